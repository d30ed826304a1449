import { administersRecord, type ViewerStanding } from '../../domain/access/read-policy';
import { accountDecider, type AccountState, accountStream } from '../../domain/account/account.decider';
import { AccessControl } from '../access/access-control';
import type { OrgTree } from '../org-node/org-tree';
import { loadPerson } from '../person/person.load';
import { loadAggregate } from '../commands/decider-command-runner';
import type { EventStore } from '../ports/event-store.port';
import { type BusQueryHandler, PrincipalQuery } from '../queries/query-bus';

type Account = Exclude<AccountState, { status: 'NONE' }>;
export type AccountView = Omit<Account, 'signIns'> & { lastSignInAt: string | null };

/** An account as recorded (no secret is ever kept); null when there is none. */
export class GetAccount extends PrincipalQuery<{ account: AccountView | null; revision: bigint | null }> {
  constructor(
    principal: ConstructorParameters<typeof PrincipalQuery>[0],
    readonly accountId: string,
  ) {
    super(principal);
  }
}

/**
 * An account is read by those who manage it (system admins; for a user account the admins of its
 * person's unit, for a temporary one those of its app's unit) and by its holder; for anyone else it
 * does not exist.
 */
export class GetAccountHandler implements BusQueryHandler<GetAccount> {
  constructor(
    private readonly store: EventStore,
    private readonly tree: OrgTree,
    private readonly access: AccessControl,
  ) {}

  async execute({ principal, accountId }: GetAccount) {
    const viewer = await this.access.standingOf(principal);
    const { state, revision } = await loadAggregate(this.store, accountDecider, accountStream(accountId));
    const own = principal.kind === 'ACCOUNT' && principal.account.accountId === accountId;
    if (state.status === 'NONE' || (!own && !(await this.manages(viewer, state))))
      return { account: null, revision: null };
    const { signIns, ...account } = state;
    return { account: { ...account, lastSignInAt: signIns.latestAt }, revision };
  }

  private async manages(viewer: ViewerStanding | null, account: Exclude<AccountState, { status: 'NONE' }>) {
    if (viewer === null) return false;
    if (viewer.adminScope === null) return true;
    const { state: tree } = await this.tree.load();
    if (account.type === 'TEMPORARY')
      return administersRecord(viewer, tree, account.sponsorOrgNodeId ? [account.sponsorOrgNodeId] : []);
    if (account.type !== 'USER' || !account.personId) return false;
    const { state: person } = await loadPerson(this.store, account.personId);
    return administersRecord(viewer, tree, AccessControl.nodesOf(person));
  }
}
