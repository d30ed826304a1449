import { accountDecider, type AccountState, accountStream } from '../../domain/account/account.decider';
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

export class GetAccountHandler implements BusQueryHandler<GetAccount> {
  constructor(private readonly store: EventStore) {}

  async execute({ accountId }: GetAccount) {
    const { state, revision } = await loadAggregate(this.store, accountDecider, accountStream(accountId));
    if (state.status === 'NONE') return { account: null, revision };
    const { signIns, ...account } = state;
    return { account: { ...account, lastSignInAt: signIns.latestAt }, revision };
  }
}
