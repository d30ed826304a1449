import { workGroupDecider, type WorkGroupState, workGroupStream } from '../../domain/work-group/work-group.decider';
import { loadAggregate } from '../commands/decider-command-runner';
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

export class GetWorkGroupHandler implements BusQueryHandler<GetWorkGroup> {
  constructor(private readonly store: EventStore) {}

  async execute({ groupId }: GetWorkGroup) {
    const { state, revision } = await loadAggregate(this.store, workGroupDecider, workGroupStream(groupId));
    if (state.status === 'NONE') return { group: null, revision };
    const { activity: _activity, ...group } = state;
    return { group, revision };
  }
}
