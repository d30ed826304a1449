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
import { seesNode } from '../../domain/access/read-policy';
import { contactModeBetween } from '../../domain/directory-policy/visibility';
import { pathOf, responsibleFor, unitOf } from '../../domain/org-node/org-node.decider';
import { RuleViolation } from '../../domain/shared/domain-error';
import { AccessControl } from '../access/access-control';
import { loadMatrix } from '../directory/directory.command-handlers';
import type { BusCommandHandler, Issuer } from '../commands/command-bus';
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
      await this.assertAddable(issuer, request, state);
      return this.withFacts(request, state);
    };
    return this.runner.run(workGroupDecider, workGroupStream(request.data.groupId), prepare, metadata);
  }

  private async permission(request: WorkGroupRequest, state: WorkGroupState): Promise<Permission> {
    switch (request.type) {
      case 'CreateWorkGroup': {
        const admin = await this.access.unit('建立工作群', [request.data.owningOrgNodeId]);
        // A person may found a group of their own unit only, never of another (or of a hidden) unit.
        if (!(await this.ofOwnUnit(request.data.ownerId, request.data.owningOrgNodeId))) return admin;
        return AccessControl.anyOf(admin, {
          kind: 'SELF',
          action: '建立自己为群主的工作群',
          personId: request.data.ownerId,
        });
      }
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

  /** Whether `orgNodeId` is one of the person's post nodes or the unit they belong to. */
  private async ofOwnUnit(personId: string, orgNodeId: string): Promise<boolean> {
    const { state: person } = await loadPerson(this.store, personId);
    if (person.status !== 'ACTIVE') return false;
    const { state: tree } = await this.tree.load();
    return person.posts.some((post) => post.orgNodeId === orgNodeId || unitOf(tree, post.orgNodeId) === orgNodeId);
  }

  /**
   * Whom a group's owner or admin (not an admin of its unit) may bring in: the people they could
   * add as contacts: not inside a hidden node they are kept out of, and not NONE for them in the
   * directory matrix or by the person's own contact mode (001b:9-10).
   */
  private async assertAddable(issuer: Issuer, request: WorkGroupRequest, state: WorkGroupState): Promise<void> {
    if (issuer.kind === 'PLATFORM') return;
    const named =
      request.type === 'CreateWorkGroup'
        ? [...(request.data.adminIds ?? []), ...(request.data.memberIds ?? [])]
        : request.type === 'AddGroupMembers'
          ? request.data.personIds
          : [];
    if (named.length === 0) return;
    const owningOrgNodeId =
      request.type === 'CreateWorkGroup'
        ? request.data.owningOrgNodeId
        : state.status === 'NONE'
          ? null
          : state.owningOrgNodeId;
    if (owningOrgNodeId === null) return;
    const { principal } = issuer;
    // An admin of the group's unit adds anyone in their scope; anyone else, only people they may add.
    if (this.access.allows(principal, await this.access.unit('管理工作群成员', [owningOrgNodeId]))) return;
    const viewer = await this.access.standingOf(principal);
    const viewerPerson = viewer?.personId ? (await loadPerson(this.store, viewer.personId)).state : null;
    if (!viewer || !viewerPerson || viewerPerson.status !== 'ACTIVE') return;
    const { state: tree } = await this.tree.load();
    const matrix = await loadMatrix(this.store, this.tree.jurisdiction);
    for (const personId of new Set(named)) {
      if (personId === viewerPerson.personId) continue;
      const { state: person } = await loadPerson(this.store, personId);
      if (person.status !== 'ACTIVE') continue; // the decider refuses those
      const primary = AccessControl.nodesOf(person)[0];
      const inside = new Set(viewerPerson.posts.flatMap((post) => pathOf(tree, post.orgNodeId)));
      const addable = contactModeBetween(viewerPerson, person, matrix, inside) !== 'NONE';
      if (!primary || !seesNode(viewer, tree, primary) || !addable)
        throw new RuleViolation(
          'MEMBER_NOT_ADDABLE',
          'forbidden',
          `不能将人员 ${personId} 加入工作群：按通讯录可见规则，您不能添加此人`,
          {
            personId,
          },
        );
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

  private async withFacts(request: WorkGroupRequest, state: WorkGroupState): Promise<WorkGroupCommand> {
    switch (request.type) {
      case 'CreateWorkGroup': {
        const { ownerId, adminIds, memberIds, owningOrgNodeId } = request.data;
        const persons = await this.personFacts([ownerId, ...(adminIds ?? []), ...(memberIds ?? [])]);
        const nodes = await this.tree.nodeFacts([owningOrgNodeId]);
        const nodeStatus = nodes[owningOrgNodeId] ?? 'NONE';
        const unitHeadId = await this.headOf(owningOrgNodeId);
        return { type: request.type, data: { ...request.data, persons, nodeStatus, unitHeadId } };
      }
      case 'AddGroupMembers':
        return {
          type: request.type,
          data: { ...request.data, persons: await this.personFacts(request.data.personIds) },
        };
      case 'AssignGroupAdmin': {
        const persons = await this.personFacts([request.data.personId]);
        return { type: request.type, data: { ...request.data, persons } };
      }
      case 'TransferGroupOwnership': {
        const persons = await this.personFacts([request.data.personId]);
        const unitHeadId = state.status === 'NONE' ? null : await this.headOf(state.owningOrgNodeId);
        return { type: request.type, data: { ...request.data, persons, unitHeadId } };
      }
      default:
        return request as WorkGroupCommand;
    }
  }

  /** The head (主要负责同志) the tree records for a node, if any. */
  private async headOf(orgNodeId: string): Promise<string | null> {
    const { state: tree } = await this.tree.load();
    return responsibleFor(tree, orgNodeId, 'HEAD')[0] ?? null;
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
