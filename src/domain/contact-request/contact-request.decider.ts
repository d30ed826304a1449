/**
 * A contact request (好友申请), stream `ContactRequest-<requestId>`: where the directory policy
 * says SEARCH_ADD, a person found by search can be chatted with once they accept (001b:10).
 * Whether the mode between the two is SEARCH_ADD is resolved by the application and passed in.
 */
import { eventTypes, type Decider } from '../shared/decider';
import { DomainError } from '../shared/domain-error';
import type { ContactModeName } from '../directory-policy/directory-policy.decider';

export class ContactRequestNotApplicable extends DomainError {
  readonly code = 'CONTACT_REQUEST_NOT_APPLICABLE';
  readonly kind = 'unprocessable';
  constructor(mode: ContactModeName | 'SELF') {
    super(
      mode === 'SELF'
        ? '不能向自己发送联系申请'
        : mode === 'DIRECT'
          ? '双方已可直接联系，无需申请'
          : '按通讯录规则，不能向该人员发送联系申请',
      { mode },
    );
  }
}
export class ContactRequestNotFound extends DomainError {
  readonly code = 'CONTACT_REQUEST_NOT_FOUND';
  readonly kind = 'unprocessable';
  constructor(requestId: string) {
    super(`联系申请 ${requestId} 不存在`, { requestId });
  }
}
export class ContactRequestAlreadyAnswered extends DomainError {
  readonly code = 'CONTACT_REQUEST_ALREADY_ANSWERED';
  readonly kind = 'conflict';
  constructor(requestId: string, status: string) {
    super(`联系申请 ${requestId} 已${status === 'ACCEPTED' ? '同意' : '拒绝'}`, { requestId, status });
  }
}
export class NotTheRequestedPerson extends DomainError {
  readonly code = 'NOT_THE_REQUESTED_PERSON';
  readonly kind = 'unprocessable';
  constructor(requestId: string) {
    super(`只有被申请人本人可以答复联系申请 ${requestId}`, { requestId });
  }
}

export type ContactRequestState =
  | { readonly status: 'NONE' }
  | {
      readonly status: 'PENDING' | 'ACCEPTED' | 'DECLINED';
      readonly requestId: string;
      readonly fromPersonId: string;
      readonly toPersonId: string;
    };

export type ContactRequestCommand =
  | {
      type: 'RequestContact';
      data: {
        requestId: string;
        fromPersonId: string;
        toPersonId: string;
        message?: string | null;
        mode: ContactModeName;
      };
    }
  | { type: 'AcceptContact'; data: { requestId: string; byPersonId: string } }
  | { type: 'DeclineContact'; data: { requestId: string; byPersonId: string } };

export type ContactRequestEvent =
  | {
      type: 'ContactRequested';
      data: { requestId: string; fromPersonId: string; toPersonId: string; message: string | null };
    }
  | { type: 'ContactAccepted'; data: { requestId: string; fromPersonId: string; toPersonId: string } }
  | { type: 'ContactDeclined'; data: { requestId: string; fromPersonId: string; toPersonId: string } };

/** Every ContactRequest event type, checked exhaustive by the compiler. */
export const CONTACT_REQUEST_EVENT_TYPES = eventTypes<ContactRequestEvent>({
  ContactRequested: true,
  ContactAccepted: true,
  ContactDeclined: true,
});

export const contactRequestStream = (requestId: string) => `ContactRequest-${requestId}`;

function answerable(state: ContactRequestState, requestId: string, byPersonId: string) {
  if (state.status === 'NONE') throw new ContactRequestNotFound(requestId);
  if (state.toPersonId !== byPersonId) throw new NotTheRequestedPerson(requestId);
  if (state.status !== 'PENDING') throw new ContactRequestAlreadyAnswered(requestId, state.status);
  return state;
}

export const contactRequestDecider: Decider<ContactRequestCommand, ContactRequestEvent, ContactRequestState> = {
  initialState: () => ({ status: 'NONE' }),
  decide(command, state) {
    switch (command.type) {
      case 'RequestContact': {
        const { requestId, fromPersonId, toPersonId, mode } = command.data;
        if (state.status !== 'NONE') return []; // the same request sent again
        if (fromPersonId === toPersonId) throw new ContactRequestNotApplicable('SELF');
        if (mode !== 'SEARCH_ADD') throw new ContactRequestNotApplicable(mode);
        return [
          {
            type: 'ContactRequested',
            data: { requestId, fromPersonId, toPersonId, message: command.data.message?.trim().slice(0, 200) || null },
          },
        ];
      }
      case 'AcceptContact': {
        const request = answerable(state, command.data.requestId, command.data.byPersonId);
        return [
          {
            type: 'ContactAccepted',
            data: { requestId: request.requestId, fromPersonId: request.fromPersonId, toPersonId: request.toPersonId },
          },
        ];
      }
      case 'DeclineContact': {
        const request = answerable(state, command.data.requestId, command.data.byPersonId);
        return [
          {
            type: 'ContactDeclined',
            data: { requestId: request.requestId, fromPersonId: request.fromPersonId, toPersonId: request.toPersonId },
          },
        ];
      }
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'ContactRequested':
        return {
          status: 'PENDING',
          requestId: event.data.requestId,
          fromPersonId: event.data.fromPersonId,
          toPersonId: event.data.toPersonId,
        };
      case 'ContactAccepted':
        return state.status === 'NONE' ? state : { ...state, status: 'ACCEPTED' };
      case 'ContactDeclined':
        return state.status === 'NONE' ? state : { ...state, status: 'DECLINED' };
    }
  },
};
