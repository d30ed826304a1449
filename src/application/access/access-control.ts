/**
 * Authorization's facts: who is acting (the account as it stands now, so a freeze takes effect at
 * once) and where the things a command touches sit in the org tree. The judging is the domain's
 * access policy; this class builds the permissions each command needs, from the state its handler
 * loaded where it can (one read of the target stream), and checks them for the command's issuer.
 */
import type { Actor } from '../../domain/shared/actor';
import {
  type NodePosition,
  type Permission,
  type Principal,
  AccessDenied,
  authorize,
  readScopeOf,
} from '../../domain/access/access-policy';
import type { ReadRole } from '../../domain/account/account.decider';
import { accountDecider, type AccountState, accountStream } from '../../domain/account/account.decider';
import { standingOf, type ViewerStanding } from '../../domain/access/read-policy';
import { nodeOf, type OrgTreeState, pathOf } from '../../domain/org-node/org-node.decider';
import { personDecider, type PersonState, personStream } from '../../domain/person/person.decider';
import type { Issuer } from '../commands/command-bus';
import { FoldedStreams } from '../commands/folded-streams';
import type { EventStore } from '../ports/event-store.port';
import type { OrgTree } from '../org-node/org-tree';
import type { Clock } from '../ports/clock.port';

/** Who a verified token names: an account, or a service such as the platform's gateway. */
export type Credential =
  { readonly kind: 'ACCOUNT'; readonly accountId: string } | { readonly kind: 'SERVICE'; readonly name: string };

export class AccessControl {
  /** The account on every request and the persons of access checks, read as deltas of their last fold. */
  private readonly folded: FoldedStreams;

  constructor(
    store: EventStore,
    private readonly tree: OrgTree,
    private readonly clock: Clock,
    /** Nodes at this level or above (root = 0) are kept by system admins only (001b:5). */
    readonly boundaryLevel: number,
    /** Whether users may edit their own office phone (a jurisdiction's choice). */
    readonly usersEditOwnOfficePhone: boolean,
  ) {
    this.folded = new FoldedStreams(store);
  }

  /** The principal a credential stands for; an account that does not exist is refused. */
  async principalOf(credential: Credential): Promise<Principal> {
    if (credential.kind === 'SERVICE') return credential;
    const state = await this.accountState(credential.accountId);
    if (state.status === 'NONE') {
      throw new AccessDenied('ACCOUNT_NOT_FOUND', `账号 ${credential.accountId} 不存在`, {
        accountId: credential.accountId,
      });
    }
    return { kind: 'ACCOUNT', account: state };
  }

  authorize(principal: Principal, permission: Permission): void {
    authorize(principal, permission, this.boundaryLevel, this.clock.now());
  }

  /** Whether the principal holds the permission (a question, not a refusal). */
  allows(principal: Principal, permission: Permission): boolean {
    try {
      this.authorize(principal, permission);
      return true;
    } catch (error) {
      if (error instanceof AccessDenied) return false;
      throw error;
    }
  }

  /**
   * The subtrees a principal reads for a read-only role (null: the whole jurisdiction), once the
   * role is checked: system admins, the role's holders, tiered admins for their own assessment.
   */
  readScope(principal: Principal, role: ReadRole, action: string): readonly string[] | null {
    this.authorize(principal, { kind: 'READ_ROLE', role, action });
    // Only an account passes the check above.
    return principal.kind === 'ACCOUNT' ? readScopeOf(principal.account, role) : [];
  }

  /** A principal's command is authorized; the platform's own processes act on the authority of their cause. */
  async check(issuer: Issuer, permission: () => Permission | Promise<Permission>): Promise<void> {
    await this.checkAll(issuer, async () => [await permission()]);
  }

  /** As `check`, for a command that needs every one of several permissions. */
  async checkAll(issuer: Issuer, permissions: () => Promise<readonly Permission[]>): Promise<void> {
    if (issuer.kind === 'PLATFORM') return;
    for (const permission of await permissions()) this.authorize(issuer.principal, permission);
  }

  /**
   * Where a reader stands (their posts, the subtrees they administer), for the read policy; null
   * for those the directory and the records are not for (temporary accounts, services). An
   * inactive account is refused here, as for a command.
   */
  async standingOf(principal: Principal): Promise<ViewerStanding | null> {
    this.authorize(principal, { kind: 'AUTHENTICATED' });
    const personId = principal.kind === 'ACCOUNT' ? principal.account.personId : null;
    const person = personId ? await this.personState(personId) : null;
    const posts = person && person.status === 'ACTIVE' ? person.posts.map((post) => post.orgNodeId) : [];
    return standingOf(principal, posts);
  }

  static actorOf(principal: Principal): Actor {
    if (principal.kind === 'SERVICE') return { accountId: `service:${principal.name}`, role: 'SYSTEM' };
    const { accountId, personId, type } = principal.account;
    return personId ? { accountId, personId, role: type } : { accountId, role: type };
  }

  // ---- facts ----

  private async accountState(accountId: string): Promise<AccountState> {
    return (await this.folded.load(accountDecider, accountStream(accountId))).state;
  }

  private async personState(personId: string): Promise<PersonState> {
    return (await this.folded.load(personDecider, personStream(personId))).state;
  }

  /** Positions of existing nodes; an unknown node gets a position no scope contains, so only a system admin passes. */
  async positions(orgNodeIds: readonly string[], tree?: OrgTreeState): Promise<NodePosition[]> {
    const state = tree ?? (await this.tree.load()).state;
    return orgNodeIds.map((orgNodeId) => {
      if (!state.nodes.has(orgNodeId)) return { orgNodeId, path: [], level: 0 };
      return { orgNodeId, path: pathOf(state, orgNodeId), level: nodeOf(state, orgNodeId).level };
    });
  }

  /** Where a node created under `parentId` would sit. */
  async childPosition(parentId: string, orgNodeId: string, tree?: OrgTreeState): Promise<NodePosition> {
    const [parent] = await this.positions([parentId], tree);
    return { orgNodeId, path: [...parent.path, orgNodeId], level: parent.path.length === 0 ? 0 : parent.level + 1 };
  }

  /** The node a person is managed from: the unit of the primary post (001b:6). */
  static nodesOf(person: PersonState): string[] {
    if (person.status === 'NONE') return [];
    const primary = person.posts.find((p) => p.kind === 'PRIMARY');
    return primary ? [primary.orgNodeId] : [];
  }

  async personNodes(personId: string): Promise<string[]> {
    return AccessControl.nodesOf(await this.personState(personId));
  }

  // ---- permissions ----

  static systemAdmin(action: string): Permission {
    return { kind: 'SYSTEM_ADMINISTRATION', action };
  }

  async orgStructure(
    action: string,
    orgNodeIds: readonly string[],
    extra: readonly NodePosition[] = [],
    tree?: OrgTreeState,
  ): Promise<Permission> {
    return { kind: 'ORG_STRUCTURE', action, nodes: [...(await this.positions(orgNodeIds, tree)), ...extra] };
  }

  async unit(action: string, orgNodeIds: readonly string[], tree?: OrgTreeState): Promise<Permission> {
    // Nothing to place (a departed person with no post left): only a system admin may act.
    if (orgNodeIds.length === 0) return AccessControl.systemAdmin(action);
    return { kind: 'UNIT_MANAGEMENT', action, nodes: await this.positions(orgNodeIds, tree) };
  }

  /** Managing a person: the admins of the person's unit (and of `alsoNodes`, where the command takes them). */
  async person(
    action: string,
    person: PersonState,
    alsoNodes: readonly string[] = [],
    tree?: OrgTreeState,
  ): Promise<Permission> {
    const nodes = AccessControl.nodesOf(person);
    return this.unit(action, nodes.length === 0 ? [] : [...nodes, ...alsoNodes], tree);
  }

  /** An account is managed where its person is (users) or where its app's unit is (temporary); admin accounts by system admins. */
  async account(action: string, account: AccountState): Promise<Permission> {
    if (account.status === 'NONE' || account.type === 'SYSTEM_ADMIN' || account.type === 'TIERED_ADMIN') {
      return AccessControl.systemAdmin(action);
    }
    if (account.type === 'TEMPORARY') {
      return this.unit(action, account.sponsorOrgNodeId ? [account.sponsorOrgNodeId] : []);
    }
    return this.person(action, await this.personState(account.personId ?? ''));
  }

  static anyOf(...options: Permission[]): Permission {
    return { kind: 'ANY_OF', options };
  }
}
