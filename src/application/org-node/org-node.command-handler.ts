/**
 * Commands on the jurisdiction's tree: one stream, decided on as a whole (see org-node.decider.ts).
 * The tree is read once (OrgTree keeps it folded) and the issuer authorized on that state: creating,
 * moving… a node needs the admin scope over it and, for tiered admins, the managed-level boundary.
 */
import type { Permission } from '../../domain/access/access-policy';
import { batchOf } from '../../domain/shared/decider';
import {
  type OrgNodeCommand,
  type OrgNodeEvent,
  type OrgTreeState,
  orgNodeDecider,
} from '../../domain/org-node/org-node.decider';
import { NO_REQUIRED_REQUESTS, assertDirectAllowed, type RequestRules } from '../../domain/request/request-rules';
import { AccessControl } from '../access/access-control';
import type { BusCommandHandler } from '../commands/command-bus';
import type { CommandOutcome, DeciderCommandRunner } from '../commands/decider-command-runner';
import type { EventStore } from '../ports/event-store.port';
import { loadPerson } from '../person/person.load';
import type { NamingRule } from '../../domain/org-node/naming-rule';
import type { OrgTree } from './org-tree';
import type { ExecuteOrgNodeBatch, ExecuteOrgNodeCommand, OrgNodeRequest } from './org-node.commands';

const batchDecider = batchOf(orgNodeDecider);

export class OrgNodeCommandHandler implements BusCommandHandler<ExecuteOrgNodeCommand> {
  constructor(
    private readonly runner: DeciderCommandRunner,
    private readonly tree: OrgTree,
    private readonly access: AccessControl,
    private readonly store: EventStore,
    private readonly naming: NamingRule,
    private readonly requests: RequestRules = NO_REQUIRED_REQUESTS,
  ) {}

  async execute({ request, metadata, issuer }: ExecuteOrgNodeCommand): Promise<CommandOutcome<OrgNodeEvent>> {
    if (issuer.kind === 'PRINCIPAL') assertDirectAllowed(this.requests, 'OrgNode', request.type);
    const prepare = async (state: OrgTreeState) => {
      await this.access.check(issuer, () => this.permission(request, state));
      return this.withFacts(request);
    };
    return this.runner.run(orgNodeDecider, this.tree.streamId, prepare, metadata, await this.tree.load());
  }

  private async permission(request: OrgNodeRequest, tree: OrgTreeState): Promise<Permission> {
    switch (request.type) {
      case 'CreateOrgNode': {
        const { parentId, orgNodeId } = request.data;
        if (!parentId) return AccessControl.systemAdmin('新建根节点');
        const position = await this.access.childPosition(parentId, orgNodeId, tree);
        return this.access.orgStructure('新建组织节点', [], [position], tree);
      }
      case 'RenameOrgNode':
        return this.access.orgStructure('修改节点名称', [request.data.orgNodeId], [], tree);
      case 'ReorderOrgNode':
        return this.access.orgStructure('调整节点排序', [request.data.orgNodeId], [], tree);
      case 'MoveOrgNode': {
        const { orgNodeId, toParentId } = request.data;
        const position = await this.access.childPosition(toParentId, orgNodeId, tree);
        return this.access.orgStructure('移动组织节点', [orgNodeId], [position], tree);
      }
      case 'SetOrgNodeHidden':
        return this.access.orgStructure('设置节点隐藏', [request.data.orgNodeId], [], tree);
      // Recorded by RestructureOrgTree, which authorizes the whole operation.
      case 'MergeOrgNodes':
        return AccessControl.systemAdmin('合并组织节点');
      case 'DissolveOrgNode':
        return AccessControl.systemAdmin('撤销组织节点');
      // Recorded by the restructuring process once it has carried out the plan.
      case 'CompleteRestructuring':
        return AccessControl.systemAdmin('完成组织调整');
      case 'AssignUnitResponsibility':
        return this.access.unit('指定单位负责人', [request.data.orgNodeId], tree);
      case 'ReleaseUnitResponsibility':
        return this.access.unit('免去单位负责人', [request.data.orgNodeId], tree);
    }
  }

  /** The person a role is assigned to, as their stream says (never as the request says). */
  private async withFacts(request: OrgNodeRequest): Promise<OrgNodeCommand> {
    if (request.type === 'CreateOrgNode' || request.type === 'RenameOrgNode')
      return { ...request, data: { ...request.data, naming: this.naming } } as OrgNodeCommand;
    if (request.type !== 'AssignUnitResponsibility') return request;
    const { state } = await loadPerson(this.store, request.data.personId);
    const person =
      state.status === 'NONE'
        ? { status: state.status, employmentType: null, postNodeIds: [] }
        : {
            status: state.status,
            employmentType: state.employment.type,
            postNodeIds: state.posts.map((p) => p.orgNodeId),
          };
    return { ...request, data: { ...request.data, person } };
  }
}

export class OrgNodeBatchHandler implements BusCommandHandler<ExecuteOrgNodeBatch> {
  constructor(
    private readonly runner: DeciderCommandRunner,
    private readonly tree: OrgTree,
    private readonly access: AccessControl,
  ) {}

  async execute({ request, metadata, issuer }: ExecuteOrgNodeBatch): Promise<CommandOutcome<OrgNodeEvent>> {
    await this.access.check(issuer, () => AccessControl.systemAdmin('批量导入组织和人员'));
    const batch = { type: 'Batch' as const, data: { commands: request } };
    return this.runner.run(batchDecider, this.tree.streamId, batch, metadata);
  }
}
