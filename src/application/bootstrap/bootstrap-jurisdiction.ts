/**
 * Bootstraps a jurisdiction: the root node, the first system admin as a real-name person with a
 * post in the root, and that person's SYSTEM_ADMIN account, activated. Every later change is made
 * by an account; these first ones are made by the system (actor `bootstrap`).
 *
 * Each step is skipped when already done, so a bootstrap interrupted half-way can be run again;
 * a jurisdiction whose root is already another node is refused. The steps still to do are decided
 * first without writing, so that a refused bootstrap (an ID number with a wrong check digit, a bad
 * login name) writes nothing, not even the root.
 */
import { accountDecider, accountStream } from '../../domain/account/account.decider';
import { orgNodeDecider, type OrgTreeState } from '../../domain/org-node/org-node.decider';
import { personDecider, type Profile } from '../../domain/person/person.decider';
import type { Actor } from '../../domain/shared/actor';
import { RuleViolation } from '../../domain/shared/domain-error';
import { ExecuteAccountCommand } from '../account/account.commands';
import { BusCommand, type BusCommandHandler, byPlatform, type CommandBus } from '../commands/command-bus';
import { type CommandMetadata, loadAggregate } from '../commands/decider-command-runner';
import type { EventStore } from '../ports/event-store.port';
import type { OrgTree } from '../org-node/org-tree';
import type { Clock } from '../ports/clock.port';
import { ExecuteOrgNodeCommand } from '../org-node/org-node.commands';
import { ExecutePersonCommand } from '../person/person.commands';
import { loadPerson } from '../person/person.load';

export const BOOTSTRAP_ACTOR: Actor = { accountId: 'bootstrap', role: 'SYSTEM' };
const BOOTSTRAP = byPlatform('bootstrap');

export interface BootstrapRequest {
  readonly root: { readonly orgNodeId: string; readonly name: string };
  readonly admin: Profile & { readonly personId: string; readonly title?: string | null };
  readonly account: { readonly accountId: string; readonly loginName: string };
}

export interface BootstrapAnswer {
  readonly accountId: string;
  readonly created: string[];
}

export class BootstrapJurisdiction extends BusCommand<BootstrapAnswer> {
  constructor(readonly request: BootstrapRequest) {
    super();
  }
}

export class BootstrapJurisdictionHandler implements BusCommandHandler<BootstrapJurisdiction> {
  constructor(
    private readonly commands: CommandBus,
    private readonly store: EventStore,
    private readonly tree: OrgTree,
    private readonly clock: Clock,
  ) {}

  /** Decides every step still to do, without writing: a refusal is thrown before the first write. */
  private async precheck(request: BootstrapRequest, tree: OrgTreeState): Promise<void> {
    const now = this.clock.now();
    const context = { now, effectiveAt: now.toISOString(), actor: BOOTSTRAP_ACTOR };
    const rootId = request.root.orgNodeId;
    if (tree.rootId === null) {
      const root = { orgNodeId: rootId, name: request.root.name, kind: 'ROOT' as const, parentId: null };
      orgNodeDecider.decide({ type: 'CreateOrgNode', data: root }, tree, context);
    }
    const { personId, title, ...profile } = request.admin;
    if ((await loadPerson(this.store, personId)).state.status === 'NONE') {
      const primaryPost = { orgNodeId: rootId, title: title ?? '系统管理员' };
      const data = { ...profile, personId, primaryPost, nodes: { [rootId]: 'ACTIVE' as const } };
      personDecider.decide({ type: 'RegisterPerson', data }, personDecider.initialState(), context);
    }
    const { accountId, loginName } = request.account;
    const { state: account } = await loadAggregate(this.store, accountDecider, accountStream(accountId));
    if (account.status === 'NONE') {
      const facts = { personStatus: 'ACTIVE' as const, maxTemporaryDays: 0 };
      const data = { accountId, type: 'SYSTEM_ADMIN' as const, loginName, personId, facts };
      accountDecider.decide({ type: 'OpenAccount', data }, account, context);
    }
  }

  async execute({ request }: BootstrapJurisdiction): Promise<BootstrapAnswer> {
    const jurisdiction = this.tree.jurisdiction;
    const metadata: CommandMetadata = {
      actor: BOOTSTRAP_ACTOR,
      jurisdiction,
      reason: '初始化辖区',
      sourceRef: 'bootstrap',
    };
    const created: string[] = [];

    const { state: tree } = await this.tree.load();
    if (tree.rootId !== null && tree.rootId !== request.root.orgNodeId) {
      throw new RuleViolation(
        'JURISDICTION_ALREADY_BOOTSTRAPPED',
        'conflict',
        `辖区 ${jurisdiction} 已初始化，根节点为 ${tree.rootId}`,
        { rootId: tree.rootId },
      );
    }
    await this.precheck(request, tree);
    if (tree.rootId === null) {
      const root = {
        orgNodeId: request.root.orgNodeId,
        name: request.root.name,
        kind: 'ROOT' as const,
        parentId: null,
      };
      await this.commands.execute(
        new ExecuteOrgNodeCommand({ type: 'CreateOrgNode', data: root }, metadata, BOOTSTRAP),
      );
      created.push(`根节点 ${request.root.orgNodeId}`);
    }

    const { personId, title, ...profile } = request.admin;
    if ((await loadPerson(this.store, personId)).state.status === 'NONE') {
      const primaryPost = { orgNodeId: request.root.orgNodeId, title: title ?? '系统管理员' };
      const register = { type: 'RegisterPerson' as const, data: { ...profile, personId, primaryPost } };
      await this.commands.execute(new ExecutePersonCommand(register, metadata, BOOTSTRAP));
      created.push(`人员 ${personId}`);
    }

    const { accountId, loginName } = request.account;
    const { state: account } = await loadAggregate(this.store, accountDecider, accountStream(accountId));
    if (account.status === 'NONE') {
      const open = {
        type: 'OpenAccount' as const,
        data: { accountId, type: 'SYSTEM_ADMIN' as const, loginName, personId },
      };
      await this.commands.execute(new ExecuteAccountCommand(open, metadata, BOOTSTRAP));
      created.push(`系统管理员账号 ${accountId}`);
    } else if (account.type !== 'SYSTEM_ADMIN' || account.personId !== personId) {
      throw new RuleViolation(
        'ACCOUNT_ALREADY_EXISTS',
        'conflict',
        `账号 ${accountId} 已存在且不是该人员的系统管理员账号`,
        { accountId },
      );
    }
    const activate = { type: 'ActivateAccount' as const, data: { accountId } };
    await this.commands.execute(new ExecuteAccountCommand(activate, metadata, BOOTSTRAP));
    return { accountId, created };
  }
}
