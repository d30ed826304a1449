import type {
  DocumentReference,
  RequestDecision,
  RequestEvent,
  RequestKind,
  RequestedChange,
} from '../../domain/request/request.decider';
import { AggregateCommand } from '../commands/command-bus';
import type { CommandOutcome } from '../commands/decider-command-runner';

/** A request command as its issuer sends it: routes, due dates and required documents are the handler's. */
export type RequestRequest =
  | {
      type: 'FileRequest';
      data: {
        requestId: string;
        kind: RequestKind;
        /** The unit on whose behalf the request is filed (for a unit's registration, its parent). */
        orgNodeId: string;
        change: RequestedChange;
        documents: readonly DocumentReference[];
      };
    }
  | {
      type: 'DecideRequestStep';
      data: { requestId: string; step: number; decision: RequestDecision; reason?: string | null };
    }
  | {
      type: 'RefileRequest';
      data: { requestId: string; change: RequestedChange; documents: readonly DocumentReference[] };
    }
  | { type: 'WithdrawRequest'; data: { requestId: string; reason?: string | null } }
  /** A step past its due date reported one level up (the scheduler's policy, 000:9). */
  | { type: 'EscalateRequestStep'; data: { requestId: string; step: number } }
  /** Carries out an approved request's change (again, after it failed): the approval is its cause. */
  | { type: 'ExecuteApprovedRequest'; data: { requestId: string } };

/** Any command on one request's stream (FileRequest … ExecuteApprovedRequest). */
export class ExecuteRequestCommand extends AggregateCommand<RequestRequest, CommandOutcome<RequestEvent>> {}
