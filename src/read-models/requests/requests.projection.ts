/**
 * Requests as work lists (待办): one document per request, with where it stands — its status, the
 * step under review, who may decide it (the step's reviewer) and by when. The request's stream is
 * the authority; this answers "what waits for me" and "what is open for this unit".
 */
import type { TypedEnvelope } from '../../application/event-store/event-envelope';
import { type Change, change, type Projection } from '../../application/projections/projection';
import type { Doc } from '../../application/ports/read-store.port';
import { REQUEST_EVENT_TYPES, REQUEST_KINDS, type RequestEvent } from '../../domain/request/request.decider';

export const REQUESTS = 'requests';
export const REQUEST_DOCS = 'requests';
/** Each step's decision, for the timeliness of reviews per reviewing unit. */
export const STEP_DECISIONS = 'step_decisions';

export interface StepDecisionDoc extends Doc {
  readonly requestId: string;
  readonly kind: string;
  readonly step: number;
  readonly stepName: string;
  /** The node whose admins reviewed (null: the system admins), as the route named it. */
  readonly reviewerNodeId: string | null;
  readonly decision: 'APPROVED' | 'RETURNED' | 'REJECTED';
  readonly dueOn: string;
  readonly decidedAt: string;
  readonly late: boolean;
}

export interface RequestDoc extends Doc {
  readonly kind: string;
  readonly kindLabel: string;
  readonly status: string;
  readonly orgNodeId: string;
  readonly changeType: string;
  readonly applicantAccountId: string;
  readonly step: number;
  readonly stepName: string;
  /** The step's reviewer: the admins of this node (null: the system admins; 'APPLICANT_UNIT'). */
  readonly reviewerAdminOf: string | null;
  readonly dueOn: string;
  readonly filedAt: string;
  readonly updatedAt: string;
  readonly route: Array<{ name: string; adminOf: string | null }>;
  readonly lastFailure: { code: string; reason: string } | null;
  /** Past its due date, the step was reported one level up, to the admins of `escalatedTo` (null: the system admins). */
  readonly escalated: boolean;
  readonly escalatedTo: string | null;
}

export const requestsProjection: Projection<RequestEvent> = {
  name: REQUESTS,
  version: 1,
  collections: [
    { name: REQUEST_DOCS, indexes: [{ fields: ['status'] }, { fields: ['orgNodeId', 'status'] }] },
    { name: STEP_DECISIONS, indexes: [{ fields: ['decidedAt'] }] },
  ],
  eventTypes: REQUEST_EVENT_TYPES,
  async changesOf(event, view) {
    const id = event.data.requestId;
    const at = event.recordedAt;
    if (event.type === 'RequestFiled') {
      const { kind, orgNodeId, change: requested, route, dueOn, applicant } = event.data;
      return [
        change(REQUEST_DOCS, id, () => ({
          id,
          kind,
          kindLabel: REQUEST_KINDS[kind].label,
          status: 'UNDER_REVIEW',
          orgNodeId,
          changeType: requested.type,
          applicantAccountId: applicant.accountId,
          step: 0,
          stepName: route[0]?.name ?? '',
          reviewerAdminOf: route[0]?.reviewer.adminOf ?? null,
          dueOn,
          filedAt: at,
          updatedAt: at,
          route: route.map((s) => ({ name: s.name, adminOf: s.reviewer.adminOf })),
          lastFailure: null,
          escalated: false,
          escalatedTo: null,
        })),
      ];
    }
    const decisions: Change[] = [];
    if (event.type === 'RequestStepApproved' || event.type === 'RequestReturned' || event.type === 'RequestRejected') {
      const request = (await view.get(REQUEST_DOCS, id)) as RequestDoc | null;
      const { step, stepName, dueOn, late } = event.data;
      const reviewer = request?.route[step]?.adminOf ?? null;
      const decision = DECISIONS[event.type];
      const decided: StepDecisionDoc = {
        id: event.eventId,
        requestId: id,
        kind: request?.kind ?? '',
        step,
        stepName,
        reviewerNodeId: reviewer === 'APPLICANT_UNIT' ? (request?.orgNodeId ?? null) : reviewer,
        decision,
        dueOn,
        decidedAt: at,
        late,
      };
      decisions.push(change(STEP_DECISIONS, event.eventId, () => decided));
    }
    return [...decisions, ...statusChanges(event, id, at)];
  },
};

const DECISIONS = {
  RequestStepApproved: 'APPROVED',
  RequestReturned: 'RETURNED',
  RequestRejected: 'REJECTED',
} as const;

/** Where the request stands after one of its events (other than its filing). */
function statusChanges(event: TypedEnvelope<RequestEvent>, id: string, at: string): Change[] {
  const update = (next: (doc: RequestDoc) => Partial<RequestDoc>) =>
    change(REQUEST_DOCS, id, (current) => {
      if (!current) return null;
      const doc = current as RequestDoc;
      return { ...doc, ...next(doc), updatedAt: at };
    });
  switch (event.type) {
    case 'RequestFiled':
      return [];
    case 'RequestStepApproved': {
      const { nextDueOn } = event.data;
      return [
        update((doc) => {
          if (nextDueOn === null) return {};
          const step = doc.step + 1;
          const next = doc.route[step];
          return {
            step,
            stepName: next.name,
            reviewerAdminOf: next.adminOf,
            dueOn: nextDueOn,
            escalated: false,
            escalatedTo: null,
          };
        }),
      ];
    }
    case 'RequestApproved':
      return [update(() => ({ status: 'APPROVED' }))];
    case 'RequestReturned':
      return [update(() => ({ status: 'RETURNED' }))];
    case 'RequestRefiled':
      return [
        update(() => ({
          status: 'UNDER_REVIEW',
          dueOn: event.data.dueOn,
          changeType: event.data.change.type,
          escalated: false,
          escalatedTo: null,
        })),
      ];
    case 'RequestStepEscalated':
      return [update(() => ({ escalated: true, escalatedTo: event.data.escalatedTo }))];
    case 'RequestRejected':
      return [update(() => ({ status: 'REJECTED' }))];
    case 'RequestWithdrawn':
      return [update(() => ({ status: 'WITHDRAWN' }))];
    case 'RequestExecuted':
      return [update(() => ({ status: 'EXECUTED', lastFailure: null }))];
    case 'RequestExecutionFailed':
      return [update(() => ({ lastFailure: { code: event.data.code, reason: event.data.reason } }))];
  }
}
