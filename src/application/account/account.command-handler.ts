/**
 * Every account command, in one place: the Account stream is read once and the issuer authorized
 * on it; the facts the decider needs (the person's status, the app) resolved; login names kept
 * unique and one USER account per person (一人一号) through reservation streams.
 */
import type { Permission } from '../../domain/access/access-policy';
import {
  type AccountCommand,
  type AccountEvent,
  type AccountState,
  accountDecider,
  accountStream,
} from '../../domain/account/account.decider';
import { appRegistrationDecider, appStream } from '../../domain/app-registration/app-registration.decider';
import { NO_REQUIRED_REQUESTS, assertDirectAllowed, type RequestRules } from '../../domain/request/request-rules';
import { AccessControl } from '../access/access-control';
import type { BusCommandHandler } from '../commands/command-bus';
import {
  type CommandMetadata,
  type CommandOutcome,
  type DeciderCommandRunner,
  envelopeOf,
  loadAggregate,
  preparedOnce,
} from '../commands/decider-command-runner';
import type { EventStore } from '../ports/event-store.port';
import type { OrgTree } from '../org-node/org-tree';
import { loadPerson } from '../person/person.load';
import type { Clock } from '../ports/clock.port';
import type { IdGenerator } from '../ports/id-generator.port';
import { type UniqueKind, UniqueValueReservations } from '../uniqueness/unique-value-reservations';
import type { AccountRequest, AccountRequestData, ExecuteAccountCommand } from './account.commands';

export class AccountCommandHandler implements BusCommandHandler<ExecuteAccountCommand> {
  readonly reservations: UniqueValueReservations;

  constructor(
    private readonly runner: DeciderCommandRunner,
    private readonly store: EventStore,
    private readonly tree: OrgTree,
    private readonly access: AccessControl,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly maxTemporaryDays: number,
    private readonly requests: RequestRules = NO_REQUIRED_REQUESTS,
  ) {
    const holds = async (kind: UniqueKind, holderId: string, value: string) => {
      const { state } = await loadAggregate(store, accountDecider, accountStream(holderId));
      if (state.status === 'NONE') return false;
      // Login names are never reused, so that the audit trail stays unambiguous.
      if (kind === 'LoginName') return state.loginName === value;
      const types = kind === 'AdminAccount' ? ['SYSTEM_ADMIN', 'TIERED_ADMIN'] : ['USER'];
      return state.status !== 'CLOSED' && types.includes(state.type) && state.personId === value;
    };
    this.reservations = new UniqueValueReservations(store, ids, holds, clock);
  }

  async execute({ request, metadata, issuer }: ExecuteAccountCommand): Promise<CommandOutcome<AccountEvent>> {
    if (issuer.kind === 'PRINCIPAL') assertDirectAllowed(this.requests, 'Account', request.type);
    const m: CommandMetadata = { ...metadata, correlationId: metadata.correlationId ?? this.ids.next() };
    const stream = accountStream(request.data.accountId);
    const loaded = await this.runner.load(accountDecider, stream);
    const prepare = async (state: AccountState): Promise<AccountCommand> => {
      await this.access.check(issuer, () => this.permission(request, state));
      return this.withFacts(request);
    };
    if (request.type === 'OpenAccount') {
      const command = await prepare(loaded.state);
      // Decided once without writing, so that a refused account reserves nothing.
      this.runner.precheck(accountDecider, command, loaded.state, m);
      const now = this.clock.now();
      const claims: Array<[UniqueKind, string]> = [['LoginName', request.data.loginName]];
      const { type, personId } = request.data;
      if (type === 'USER' && personId) claims.push(['UserAccount', personId]);
      if ((type === 'SYSTEM_ADMIN' || type === 'TIERED_ADMIN') && personId) claims.push(['AdminAccount', personId]);
      const run = () => this.runner.run(accountDecider, stream, preparedOnce(command, prepare), m, loaded);
      if (m.validateOnly) return this.reservations.checking(claims, request.data.accountId, m.jurisdiction, run);
      return this.reservations.holding(claims, request.data.accountId, envelopeOf(m, now, m.correlationId!), run);
    }
    const outcome = await this.runner.run(accountDecider, stream, prepare, m, loaded);
    if (request.type === 'CloseAccount' && !m.validateOnly) {
      const { state } = await this.runner.load(accountDecider, stream);
      // The person may have a user account again (after reinstatement); the login name stays taken.
      if (state.status === 'CLOSED' && state.personId && state.type !== 'TEMPORARY') {
        const envelope = envelopeOf(m, this.clock.now(), m.correlationId!);
        const kind = state.type === 'USER' ? 'UserAccount' : 'AdminAccount';
        await this.reservations.release(kind, state.personId, state.accountId, envelope);
      }
    }
    return outcome;
  }

  private async permission(request: AccountRequest, state: AccountState): Promise<Permission> {
    switch (request.type) {
      case 'OpenAccount':
        return this.openPermission(request.data);
      case 'ActivateAccount':
        return this.access.account('激活账号', state);
      case 'FreezeAccount':
        return this.access.account('冻结账号', state);
      case 'UnfreezeAccount':
        return this.access.account('解冻账号', state);
      case 'CloseAccount':
        return this.access.account('注销账号', state);
      case 'GrantAdminScope':
        return AccessControl.systemAdmin('授予管理范围');
      case 'RevokeAdminScope':
        return AccessControl.systemAdmin('收回管理范围');
      case 'GrantReadRole':
        return AccessControl.systemAdmin('授予只读角色');
      case 'RevokeReadRole':
        return AccessControl.systemAdmin('收回只读角色');
      case 'RecordIdNumberDisclosure':
        return AccessControl.systemAdmin('查看完整身份证号');
      case 'RecordSignIn':
      case 'RecordPasswordChange':
        return { kind: 'GATEWAY' };
    }
  }

  /** Admin accounts by system admins; user accounts by the admins of the person's unit; temporary ones by those of the app's unit. */
  private async openPermission(request: AccountRequestData<'OpenAccount'>): Promise<Permission> {
    if (request.type === 'USER') {
      return this.access.unit('开设用户账号', request.personId ? await this.access.personNodes(request.personId) : []);
    }
    if (request.type === 'TEMPORARY') {
      const app = request.appId ? await this.appState(request.appId) : null;
      return this.access.unit('开设临时账号', app && app.status !== 'NONE' ? [app.owningOrgNodeId] : []);
    }
    return AccessControl.systemAdmin('开设管理员账号');
  }

  private async appState(appId: string) {
    return (await loadAggregate(this.store, appRegistrationDecider, appStream(appId))).state;
  }

  private async withFacts(request: AccountRequest): Promise<AccountCommand> {
    if (request.type === 'GrantAdminScope') {
      const facts = await this.tree.nodeFacts([request.data.orgNodeId]);
      return { type: request.type, data: { ...request.data, nodeStatus: facts[request.data.orgNodeId] ?? 'NONE' } };
    }
    if (request.type === 'GrantReadRole') {
      const { orgNodeId } = request.data;
      const nodeStatus = orgNodeId === null ? null : ((await this.tree.nodeFacts([orgNodeId]))[orgNodeId] ?? 'NONE');
      return { type: request.type, data: { ...request.data, nodeStatus } };
    }
    if (request.type !== 'OpenAccount') return request as AccountCommand;
    const { personId, appId } = request.data;
    const personStatus = personId ? (await loadPerson(this.store, personId)).state.status : undefined;
    const app = appId ? await this.appState(appId) : null;
    const appFact =
      app === null
        ? null
        : app.status === 'NONE'
          ? { status: 'NONE', owningOrgNodeId: '' }
          : { status: app.status, owningOrgNodeId: app.owningOrgNodeId };
    const facts = { personStatus, app: appFact, maxTemporaryDays: this.maxTemporaryDays };
    return { type: 'OpenAccount', data: { ...request.data, facts } };
  }
}
