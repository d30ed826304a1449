import type { NewOrgNode, OrgNodeCommand, OrgNodeEvent } from '../../domain/org-node/org-node.decider';
import type { DepartureReason } from '../../domain/person/person.decider';
import type { NamesakeResolution } from '../../domain/org-node/restructuring-plan';
import { AggregateCommand } from '../commands/command-bus';
import type { CommandOutcome } from '../commands/decider-command-runner';

type Assignment = Extract<OrgNodeCommand, { type: 'AssignUnitResponsibility' }>;

/** A tree command as a caller sends it: the facts about the person a role goes to are the handler's to read. */
export type OrgNodeRequest =
  | Exclude<OrgNodeCommand, Assignment>
  | { readonly type: Assignment['type']; readonly data: Omit<Assignment['data'], 'person'> };

/** Any command on the jurisdiction's tree (CreateOrgNode … SetOrgNodeHidden; merges and dissolutions come from RestructureOrgTree). */
export class ExecuteOrgNodeCommand extends AggregateCommand<OrgNodeRequest, CommandOutcome<OrgNodeEvent>> {}

/** Several tree commands decided in order and appended together, or none of them (the bulk import). */
export class ExecuteOrgNodeBatch extends AggregateCommand<readonly OrgNodeCommand[], CommandOutcome<OrgNodeEvent>> {}

export interface MergeRequest {
  readonly mergeId?: string;
  readonly absorbedIds: readonly string[];
  readonly survivorId: string;
  readonly newSurvivor?: Omit<NewOrgNode, 'orgNodeId'> | null;
  /** Same-named children under the survivor, by child id: merged with their namesake or renamed. */
  readonly namesakes?: Readonly<Record<string, NamesakeResolution>>;
}

export interface AbolitionRequest {
  /** The operation's id (its correlation), so that a client may repeat the request safely; generated when absent. */
  readonly operationId?: string;
  readonly orgNodeId: string;
  /** Where the unit's children go. */
  readonly childrenTo?: string | null;
  /** Where its people go; or, without it, the reason they leave with (003:11(2)): one is required when it has people. */
  readonly peopleTo?: string | null;
  readonly departureReason?: DepartureReason | null;
}

export type RestructuringRequest =
  | { readonly type: 'MergeOrgNodes'; readonly data: MergeRequest }
  | { readonly type: 'DissolveOrgNode'; readonly data: AbolitionRequest };

/** A merge or a dissolution (003:11) with the moves of the people and children it implies. */
export class RestructureOrgTree extends AggregateCommand<RestructuringRequest, CommandOutcome<OrgNodeEvent>> {}
