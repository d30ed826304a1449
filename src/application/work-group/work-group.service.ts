/**
 * Work groups: resolves the persons a command names (status and the nodes of their posts) and the
 * owning node's status, then runs the WorkGroup decider.
 */
import {
  type PersonFacts,
  type WorkGroupCommand,
  type WorkGroupEvent,
  type WorkGroupState,
  workGroupDecider,
  workGroupStream,
} from '../../domain/work-group/work-group.decider';
import {
  type CommandMetadata,
  type CommandOutcome,
  type DeciderCommandRunner,
  loadAggregate,
} from '../commands/decider-command-runner';
import type { EventStore } from '../event-store/event-store.port';
import type { OrgTreeService } from '../org-tree/org-tree.service';
import type { PersonService } from '../person/person.service';

type WithoutFacts<C> = C extends { data: infer D } ? Omit<D, 'persons' | 'nodeStatus'> : never;
/** A work-group command as a client sends it: the service adds the facts. */
export type WorkGroupRequest<T extends WorkGroupCommand['type']> = WithoutFacts<Extract<WorkGroupCommand, { type: T }>>;

export class WorkGroupService {
  constructor(
    private readonly runner: DeciderCommandRunner,
    private readonly store: EventStore,
    private readonly people: PersonService,
    private readonly tree: OrgTreeService,
  ) {}

  load(groupId: string): Promise<{ state: WorkGroupState; revision: bigint | null }> {
    return loadAggregate<WorkGroupEvent, WorkGroupState>(this.store, workGroupDecider, workGroupStream(groupId));
  }

  async personFacts(personIds: readonly string[]): Promise<PersonFacts> {
    const facts: Record<string, PersonFacts[string]> = {};
    for (const id of new Set(personIds)) {
      const { state } = await this.people.load(id);
      facts[id] =
        state.status === 'NONE'
          ? { status: 'NONE', orgNodeIds: [] }
          : { status: state.status, orgNodeIds: state.posts.map((p) => p.orgNodeId) };
    }
    return facts;
  }

  private run(command: WorkGroupCommand, metadata: CommandMetadata): Promise<CommandOutcome<WorkGroupEvent>> {
    return this.runner.run(workGroupDecider, workGroupStream(command.data.groupId), command, metadata);
  }

  async create(request: WorkGroupRequest<'CreateWorkGroup'>, metadata: CommandMetadata) {
    const persons = await this.personFacts([
      request.ownerId,
      ...(request.adminIds ?? []),
      ...(request.memberIds ?? []),
    ]);
    const nodes = await this.tree.nodeFacts([request.owningOrgNodeId]);
    return this.run(
      { type: 'CreateWorkGroup', data: { ...request, persons, nodeStatus: nodes[request.owningOrgNodeId] ?? 'NONE' } },
      metadata,
    );
  }

  async addMembers(request: WorkGroupRequest<'AddGroupMembers'>, metadata: CommandMetadata) {
    return this.run(
      { type: 'AddGroupMembers', data: { ...request, persons: await this.personFacts(request.personIds) } },
      metadata,
    );
  }

  async assignAdmin(request: WorkGroupRequest<'AssignGroupAdmin'>, metadata: CommandMetadata) {
    return this.run(
      { type: 'AssignGroupAdmin', data: { ...request, persons: await this.personFacts([request.personId]) } },
      metadata,
    );
  }

  async transferOwnership(request: WorkGroupRequest<'TransferGroupOwnership'>, metadata: CommandMetadata) {
    return this.run(
      { type: 'TransferGroupOwnership', data: { ...request, persons: await this.personFacts([request.personId]) } },
      metadata,
    );
  }

  /** Commands that need no facts: remove members, revoke an admin, record activity, re-home, dissolve. */
  execute(
    command: Extract<
      WorkGroupCommand,
      {
        type:
          'RemoveGroupMembers' | 'RevokeGroupAdmin' | 'RecordGroupActivity' | 'RehomeWorkGroup' | 'DissolveWorkGroup';
      }
    >,
    metadata: CommandMetadata,
  ) {
    return this.run(command, metadata);
  }
}
