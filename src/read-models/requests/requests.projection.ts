/**
 * Requests as work lists (待办): one document per request, with where it stands — its status, the
 * step under review, who may decide it (the step's reviewer) and by when. The request's stream is
 * the authority; this answers "what waits for me" and "what is open for this unit".
 */
import { change, type Projection } from '../../application/projections/projection';
import type { Doc } from '../../application/ports/read-store.port';
import { REQUEST_EVENT_TYPES, REQUEST_KINDS, type RequestEvent } from '../../domain/request/request.decider';

export const REQUESTS = 'requests';
export const REQUEST_DOCS = 'requests';

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
}

export const requestsProjection: Projection<RequestEvent> = {
  name: REQUESTS,
  version: 1,
  collections: [{ name: REQUEST_DOCS, indexes: [{ fields: ['status'] }, { fields: ['orgNodeId', 'status'] }] }],
  eventTypes: REQUEST_EVENT_TYPES,
  changesOf(event) {
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
        })),
      ];
    }
    const update = (next: (doc: RequestDoc) => Partial<RequestDoc>) =>
      change(REQUEST_DOCS, id, (current) => {
        if (!current) return null;
        const doc = current as RequestDoc;
        return { ...doc, ...next(doc), updatedAt: at };
      });
    switch (event.type) {
      case 'RequestStepApproved': {
        const { nextDueOn } = event.data;
        return [
          update((doc) => {
            if (nextDueOn === null) return {};
            const step = doc.step + 1;
            return { step, stepName: doc.route[step].name, reviewerAdminOf: doc.route[step].adminOf, dueOn: nextDueOn };
          }),
        ];
      }
      case 'RequestApproved':
        return [update(() => ({ status: 'APPROVED' }))];
      case 'RequestReturned':
        return [update(() => ({ status: 'RETURNED' }))];
      case 'RequestRefiled':
        return [
          update(() => ({ status: 'UNDER_REVIEW', dueOn: event.data.dueOn, changeType: event.data.change.type })),
        ];
      case 'RequestRejected':
        return [update(() => ({ status: 'REJECTED' }))];
      case 'RequestWithdrawn':
        return [update(() => ({ status: 'WITHDRAWN' }))];
      case 'RequestExecuted':
        return [update(() => ({ status: 'EXECUTED', lastFailure: null }))];
      case 'RequestExecutionFailed':
        return [update(() => ({ lastFailure: { code: event.data.code, reason: event.data.reason } }))];
    }
  },
};
