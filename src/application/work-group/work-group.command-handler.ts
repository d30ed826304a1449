/**
 * Every work-group command: the WorkGroup stream is read once and the issuer authorized on it (the
 * admins of the group's unit, or the group's owner and admins); the persons a command names
 * (status and the nodes of their posts) and the owning node's status resolved for the decider.
 */
import type { Permission } from '../../domain/access/access-policy';
import {
  type PersonFacts,
  type WorkGroupCommand,
  type WorkGroupEvent,
  type WorkGroupState,
  workGroupDecider,
  workGroupStream,
} from '../../domain/work-group/work-group.decider';
import { AccessControl } from '../access/access-control';
import type { BusCommandHandler } from '../commands/command-bus';
import type { CommandOutcome, DeciderCommandRunner } from '../commands/decider-command-runner';
import type { EventStore } from '../ports/event-store.port';
import type { OrgTree } from '../org-node/org-tree';
import { loadPerson } from '../person/person.load';
import type { ExecuteWorkGroupCommand, WorkGroupRequest } from './work-group.commands';

export class WorkGroupCommandHandler implements BusCommandHandler<ExecuteWorkGroupCommand> {
  constructor(
    private readonly runner: DeciderCommandRunner,
    private readonly store: EventStore,
    private readonly tree: OrgTree,
    private readonly access: AccessControl,
  ) {}

  async execute({ request, metadata, issuer }: ExecuteWorkGroupCommand): Promise<CommandOutcome<WorkGroupEvent>> {
    const prepare = async (state: WorkGroupState): Promise<WorkGroupCommand> => {
      await this.access.check(issuer, () => this.permission(request, state));
      return this.withFacts(request);
    };
    return this.runner.run(workGroupDecider, workGroupStream(request.data.groupId), prepare, metadata);
  }

  private async permission(request: WorkGroupRequest, state: WorkGroupState): Promise<Permission> {
    switch (request.type) {
      case 'CreateWorkGroup':
        return AccessControl.anyOf(await this.access.unit('建立工作群', [request.data.owningOrgNodeId]), {
          kind: 'SELF',
          action: '建立自己为群主的工作群',
          personId: request.data.ownerId,
        });
      case 'AddGroupMembers':
        return this.groupPermission(state, '添加群成员', false);
      case 'RemoveGroupMembers':
        return this.groupPermission(state, '移出群成员', false);
      case 'AssignGroupAdmin':
        return this.groupPermission(state, '设置群管理员', false);
      case 'RevokeGroupAdmin':
        return this.groupPermission(state, '取消群管理员', false);
      case 'TransferGroupOwnership':
        return this.groupPermission(state, '转让群主', true);
      case 'DissolveWorkGroup':
        return this.groupPermission(state, '解散工作群', true);
      case 'RehomeWorkGroup':
        return this.access.unit('划转工作群', state.status === 'NONE' ? [] : [state.owningOrgNodeId]);
      case 'RecordGroupActivity':
        return { kind: 'GATEWAY' };
    }
  }

  /** The admins of the group's unit, or the group's own owner (and admins, unless owner-only). */
  private async groupPermission(state: WorkGroupState, action: string, ownerOnly: boolean): Promise<Permission> {
    if (state.status === 'NONE') return this.access.unit(action, []);
    return AccessControl.anyOf(await this.access.unit(action, [state.owningOrgNodeId]), {
      kind: 'GROUP_ROLE',
      action,
      ownerId: state.ownerId,
      adminIds: state.admins,
      ownerOnly,
    });
  }

  private async withFacts(request: WorkGroupRequest): Promise<WorkGroupCommand> {
    switch (request.type) {
      case 'CreateWorkGroup': {
        const { ownerId, adminIds, memberIds, owningOrgNodeId } = request.data;
        const persons = await this.personFacts([ownerId, ...(adminIds ?? []), ...(memberIds ?? [])]);
        const nodes = await this.tree.nodeFacts([owningOrgNodeId]);
        return { type: request.type, data: { ...request.data, persons, nodeStatus: nodes[owningOrgNodeId] ?? 'NONE' } };
      }
      case 'AddGroupMembers':
        return {
          type: request.type,
          data: { ...request.data, persons: await this.personFacts(request.data.personIds) },
        };
      case 'AssignGroupAdmin':
      case 'TransferGroupOwnership': {
        const persons = await this.personFacts([request.data.personId]);
        return { type: request.type, data: { ...request.data, persons } } as WorkGroupCommand;
      }
      default:
        return request as WorkGroupCommand;
    }
  }

  private async personFacts(personIds: readonly string[]): Promise<PersonFacts> {
    const facts: Record<string, PersonFacts[string]> = {};
    for (const id of new Set(personIds)) {
      const { state } = await loadPerson(this.store, id);
      facts[id] =
        state.status === 'NONE'
          ? { status: 'NONE', orgNodeIds: [] }
          : { status: state.status, orgNodeIds: state.posts.map((p) => p.orgNodeId) };
    }
    return facts;
  }
}
