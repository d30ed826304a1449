import { workGroupDecider, type WorkGroupState, workGroupStream } from '../../domain/work-group/work-group.decider';
import { administersRecord } from '../../domain/access/read-policy';
import { type AccessControl } from '../access/access-control';
import { loadAggregate } from '../commands/decider-command-runner';
import type { OrgTree } from '../org-node/org-tree';
import type { EventStore } from '../ports/event-store.port';
import { type BusQueryHandler, PrincipalQuery } from '../queries/query-bus';

export type WorkGroupView = Omit<Exclude<WorkGroupState, { status: 'NONE' }>, 'activity'>;

/** A work group as recorded (without its activity window); null when there is none. */
export class GetWorkGroup extends PrincipalQuery<{ group: WorkGroupView | null; revision: bigint | null }> {
  constructor(
    principal: ConstructorParameters<typeof PrincipalQuery>[0],
    readonly groupId: string,
  ) {
    super(principal);
  }
}

/** A work group is read by its members (owner and admins among them) and the admins of its unit; for anyone else it does not exist. */
export class GetWorkGroupHandler implements BusQueryHandler<GetWorkGroup> {
  constructor(
    private readonly store: EventStore,
    private readonly tree: OrgTree,
    private readonly access: AccessControl,
  ) {}

  async execute({ principal, groupId }: GetWorkGroup) {
    const viewer = await this.access.standingOf(principal);
    const { state, revision } = await loadAggregate(this.store, workGroupDecider, workGroupStream(groupId));
    if (state.status === 'NONE' || viewer === null) return { group: null, revision: null };
    const { personId } = viewer;
    const member =
      personId !== null &&
      (state.members.includes(personId) || state.admins.includes(personId) || state.ownerId === personId);
    const { state: tree } = await this.tree.load();
    if (!member && !administersRecord(viewer, tree, [state.owningOrgNodeId])) return { group: null, revision: null };
    const { activity: _activity, ...group } = state;
    return { group, revision };
  }
}
