/**
 * Accounts: resolves the facts the Account decider needs (the person's status, the app), keeps
 * login names unique and one USER account per person (一人一号) through reservation streams.
 */
import {
  type AccountCommand,
  type AccountEvent,
  type AccountState,
  accountDecider,
  accountStream,
} from '../../domain/account/account.decider';
import {
  type CommandMetadata,
  type CommandOutcome,
  type DeciderCommandRunner,
  envelopeOf,
  loadAggregate,
} from '../commands/decider-command-runner';
import type { EventStore } from '../event-store/event-store.port';
import type { Clock } from '../ports/clock';
import type { IdGenerator } from '../ports/id-generator';
import type { AppRegistrationService } from '../app-registration/app-registration.service';
import type { OrgTreeService } from '../org-tree/org-tree.service';
import type { PersonService } from '../person/person.service';
import { type UniqueKind, UniqueValueReservations } from '../uniqueness/unique-value-reservations';

type Data<T extends AccountCommand['type']> = Extract<AccountCommand, { type: T }>['data'];
export type OpenAccountRequest = Omit<Data<'OpenAccount'>, 'facts'>;

export class AccountService {
  readonly reservations: UniqueValueReservations;

  constructor(
    private readonly runner: DeciderCommandRunner,
    private readonly store: EventStore,
    private readonly people: PersonService,
    private readonly apps: AppRegistrationService,
    private readonly tree: OrgTreeService,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly maxTemporaryDays: number,
  ) {
    this.reservations = new UniqueValueReservations(
      store,
      ids,
      (kind, holderId, value) => this.holds(kind, holderId, value),
      clock,
    );
  }

  load(accountId: string): Promise<{ state: AccountState; revision: bigint | null }> {
    return loadAggregate<AccountEvent, AccountState>(this.store, accountDecider, accountStream(accountId));
  }

  private async holds(kind: UniqueKind, holderId: string, value: string): Promise<boolean> {
    const { state } = await this.load(holderId);
    if (state.status === 'NONE') return false;
    // Login names are never reused, so that the audit trail stays unambiguous.
    if (kind === 'LoginName') return state.loginName === value;
    return state.status !== 'CLOSED' && state.type === 'USER' && state.personId === value;
  }

  execute(command: AccountCommand, metadata: CommandMetadata): Promise<CommandOutcome<AccountEvent>> {
    return this.runner.run(accountDecider, accountStream(command.data.accountId), command, metadata);
  }

  async open(request: OpenAccountRequest, metadata: CommandMetadata): Promise<CommandOutcome<AccountEvent>> {
    const m = metadata.correlationId ? metadata : { ...metadata, correlationId: this.ids.next() };
    const personStatus = request.personId ? (await this.people.load(request.personId)).state.status : undefined;
    const app = request.appId ? (await this.apps.load(request.appId)).state : null;
    const appFact =
      app === null
        ? null
        : app.status === 'NONE'
          ? { status: 'NONE', owningOrgNodeId: '' }
          : { status: app.status, owningOrgNodeId: app.owningOrgNodeId };
    const command: AccountCommand = {
      type: 'OpenAccount',
      data: { ...request, facts: { personStatus, app: appFact, maxTemporaryDays: this.maxTemporaryDays } },
    };
    // Decided once without writing, so that a refused account reserves nothing.
    const now = this.clock.now();
    accountDecider.decide(command, (await this.load(request.accountId)).state, {
      now,
      effectiveAt: m.effectiveAt ?? now.toISOString(),
      actor: m.actor,
    });
    const claims: Array<[UniqueKind, string]> = [['LoginName', request.loginName]];
    if (request.type === 'USER' && request.personId) claims.push(['UserAccount', request.personId]);
    return this.reservations.holding(claims, request.accountId, envelopeOf(m, now, m.correlationId!), () =>
      this.execute(command, m),
    );
  }

  async close(request: Data<'CloseAccount'>, metadata: CommandMetadata): Promise<CommandOutcome<AccountEvent>> {
    const outcome = await this.execute({ type: 'CloseAccount', data: request }, metadata);
    const { state } = await this.load(request.accountId);
    // The person may have a user account again (after reinstatement); the login name stays taken.
    if (state.status === 'CLOSED' && state.type === 'USER' && state.personId) {
      await this.reservations.release(
        'UserAccount',
        state.personId,
        request.accountId,
        envelopeOf(metadata, this.clock.now(), metadata.correlationId ?? this.ids.next()),
      );
    }
    return outcome;
  }

  async grantAdminScope(
    request: Omit<Data<'GrantAdminScope'>, 'nodeStatus'>,
    metadata: CommandMetadata,
  ): Promise<CommandOutcome<AccountEvent>> {
    const facts = await this.tree.nodeFacts([request.orgNodeId]);
    return this.execute(
      { type: 'GrantAdminScope', data: { ...request, nodeStatus: facts[request.orgNodeId] ?? 'NONE' } },
      metadata,
    );
  }
}
