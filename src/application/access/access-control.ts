/**
 * Authorization's facts: who is acting (the account as it stands now, so a freeze takes effect at
 * once) and where the things a command touches sit in the org tree. The judging is the domain's
 * access policy; this class only builds the permissions each command needs.
 */
import type { Actor } from '../../domain/shared/actor';
import {
  type NodePosition,
  type Permission,
  type Principal,
  AccessDenied,
  authorize,
} from '../../domain/access/access-policy';
import { nodeOf, pathOf } from '../../domain/org-node/org-node.decider';
import type { AccountService } from '../account/account.service';
import type { OrgTreeService } from '../org-tree/org-tree.service';
import type { PersonService } from '../person/person.service';
import type { Clock } from '../ports/clock';

/** Who a verified token names: an account, or a service such as the platform's gateway. */
export type Credential =
  { readonly kind: 'ACCOUNT'; readonly accountId: string } | { readonly kind: 'SERVICE'; readonly name: string };

export class AccessControl {
  constructor(
    private readonly accounts: AccountService,
    private readonly people: PersonService,
    private readonly tree: OrgTreeService,
    private readonly clock: Clock,
    /** Nodes at this level or above (root = 0) are kept by system admins only (001b:5). */
    readonly boundaryLevel: number,
    /** Whether users may edit their own office phone (a jurisdiction's choice). */
    readonly usersEditOwnOfficePhone: boolean,
  ) {}

  /** The principal a credential stands for; an account that does not exist is refused. */
  async principalOf(credential: Credential): Promise<Principal> {
    if (credential.kind === 'SERVICE') return credential;
    const { state } = await this.accounts.load(credential.accountId);
    if (state.status === 'NONE')
      throw new AccessDenied('ACCOUNT_NOT_FOUND', `账号 ${credential.accountId} 不存在`, {
        accountId: credential.accountId,
      });
    return { kind: 'ACCOUNT', account: state };
  }

  authorize(principal: Principal, permission: Permission): void {
    authorize(principal, permission, this.boundaryLevel, this.clock.now());
  }

  static actorOf(principal: Principal): Actor {
    if (principal.kind === 'SERVICE') return { accountId: `service:${principal.name}`, role: 'SYSTEM' };
    const { accountId, personId, type } = principal.account;
    return personId ? { accountId, personId, role: type } : { accountId, role: type };
  }

  // ---- facts ----

  /** Positions of existing nodes; an unknown node gets a position no scope contains, so only a system admin passes. */
  async positions(orgNodeIds: readonly string[]): Promise<NodePosition[]> {
    const { state } = await this.tree.load();
    return orgNodeIds.map((orgNodeId) => {
      if (!state.nodes.has(orgNodeId)) return { orgNodeId, path: [], level: 0 };
      return { orgNodeId, path: pathOf(state, orgNodeId), level: nodeOf(state, orgNodeId).level };
    });
  }

  /** Where a node created under `parentId` would sit. */
  async childPosition(parentId: string, orgNodeId: string): Promise<NodePosition> {
    const [parent] = await this.positions([parentId]);
    return { orgNodeId, path: [...parent.path, orgNodeId], level: parent.path.length === 0 ? 0 : parent.level + 1 };
  }

  /** The node a person is managed from: the unit of the primary post (001b:6). */
  async personNodes(personId: string): Promise<string[]> {
    const { state } = await this.people.load(personId);
    if (state.status === 'NONE') return [];
    const primary = state.posts.find((p) => p.kind === 'PRIMARY');
    return primary ? [primary.orgNodeId] : [];
  }

  // ---- permissions ----

  static systemAdmin(action: string): Permission {
    return { kind: 'SYSTEM_ADMINISTRATION', action };
  }

  async orgStructure(
    action: string,
    orgNodeIds: readonly string[],
    extra: readonly NodePosition[] = [],
  ): Promise<Permission> {
    return { kind: 'ORG_STRUCTURE', action, nodes: [...(await this.positions(orgNodeIds)), ...extra] };
  }

  async unit(action: string, orgNodeIds: readonly string[]): Promise<Permission> {
    // Nothing to place (a departed person with no post left): only a system admin may act.
    if (orgNodeIds.length === 0) return AccessControl.systemAdmin(action);
    return { kind: 'UNIT_MANAGEMENT', action, nodes: await this.positions(orgNodeIds) };
  }

  async person(action: string, personId: string, alsoNodes: readonly string[] = []): Promise<Permission> {
    const nodes = await this.personNodes(personId);
    return this.unit(action, nodes.length === 0 ? [] : [...nodes, ...alsoNodes]);
  }

  /** An account is managed where its person is (users) or where its app's unit is (temporary); admin accounts by system admins. */
  async account(action: string, accountId: string): Promise<Permission> {
    const { state } = await this.accounts.load(accountId);
    if (state.status === 'NONE' || state.type === 'SYSTEM_ADMIN' || state.type === 'TIERED_ADMIN')
      return AccessControl.systemAdmin(action);
    if (state.type === 'TEMPORARY') return this.unit(action, state.sponsorOrgNodeId ? [state.sponsorOrgNodeId] : []);
    return this.person(action, state.personId ?? '');
  }

  static anyOf(...options: Permission[]): Permission {
    return { kind: 'ANY_OF', options };
  }
}
