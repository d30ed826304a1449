/**
 * Test setup through the command bus: facades with the method names the suites were written
 * against, each method one bus command issued by the platform (test setup is not what a suite
 * authorizes; the HTTP suites authorize through the routes). Reads fold the streams directly.
 */
import type { INestApplicationContext } from '@nestjs/common';
import { AccessControl } from '../../src/application/access/access-control';
import type { DeciderCommandRunner } from '../../src/application/commands/decider-command-runner';
import type { PersonCommandHandler } from '../../src/application/person/person.command-handler';
import type { Clock } from '../../src/application/ports/clock.port';
import type { IdGenerator } from '../../src/application/ports/id-generator.port';
import type { WorkingDayCalendar } from '../../src/application/ports/working-day-calendar.port';
import { commandBindings } from '../../src/infrastructure/buses/commands.module';
import type { AppConfig } from '../../src/infrastructure/config/app-config';
import { accountDecider, accountStream } from '../../src/domain/account/account.decider';
import { appRegistrationDecider, appStream } from '../../src/domain/app-registration/app-registration.decider';
import type { OrgNodeCommand } from '../../src/domain/org-node/org-node.decider';
import { workGroupDecider, workGroupStream } from '../../src/domain/work-group/work-group.decider';
import { tagDecider, tagStream } from '../../src/domain/tag/tag.decider';
import type { TagCommand } from '../../src/domain/tag/tag.decider';
import type { Matrix } from '../../src/domain/directory-policy/directory-policy.decider';
import { type AccountRequest, ExecuteAccountCommand } from '../../src/application/account/account.commands';
import { type AppRequest, ExecuteAppCommand } from '../../src/application/app-registration/app-registration.commands';
import { byPlatform, COMMAND_BUS, type CommandBus } from '../../src/application/commands/command-bus';
import { type CommandMetadata, loadAggregate } from '../../src/application/commands/decider-command-runner';
import {
  ExecuteContactRequestCommand,
  ExecuteTagCommand,
  SetDirectoryMatrix,
} from '../../src/application/directory/directory.commands';
import { loadMatrix } from '../../src/application/directory/directory.command-handlers';
import { EVENT_STORE, type EventStore } from '../../src/application/ports/event-store.port';
import { BatchProcess } from '../../src/application/batch/batch.process';
import { OrgTree } from '../../src/application/org-node/org-tree';
import {
  type AbolitionRequest,
  ExecuteOrgNodeBatch,
  type OrgNodeRequest,
  ExecuteOrgNodeCommand,
  type MergeRequest,
  RestructureOrgTree,
} from '../../src/application/org-node/org-node.commands';
import {
  ExecutePersonCommand,
  type PersonRequest,
  type PersonRequestData,
} from '../../src/application/person/person.commands';
import { loadPerson } from '../../src/application/person/person.load';
import { ExecuteWorkGroupCommand, type WorkGroupRequest } from '../../src/application/work-group/work-group.commands';

const SETUP = byPlatform('test-setup');
type Data<R extends { type: string; data: unknown }, T extends R['type']> = Extract<R, { type: T }>['data'];

export function servicesOf(bus: CommandBus, store: EventStore, tree: OrgTree) {
  const person = (request: PersonRequest, m: CommandMetadata) =>
    bus.execute(new ExecutePersonCommand(request, m, SETUP));
  const personCall =
    <T extends PersonRequest['type']>(type: T) =>
    (data: PersonRequestData<T>, m: CommandMetadata) =>
      person({ type, data } as PersonRequest, m);
  const account = (request: AccountRequest, m: CommandMetadata) =>
    bus.execute(new ExecuteAccountCommand(request, m, SETUP));
  const group = (request: WorkGroupRequest, m: CommandMetadata) =>
    bus.execute(new ExecuteWorkGroupCommand(request, m, SETUP));
  const app = (request: AppRequest, m: CommandMetadata) => bus.execute(new ExecuteAppCommand(request, m, SETUP));
  return {
    tree: {
      execute: (command: OrgNodeRequest, m: CommandMetadata) =>
        bus.execute(new ExecuteOrgNodeCommand(command, m, SETUP)),
      executeAll: (commands: readonly OrgNodeCommand[], m: CommandMetadata) =>
        bus.execute(new ExecuteOrgNodeBatch(commands, m, SETUP)),
      load: () => tree.load(),
      loadEffectiveOn: (date: string, timeZone: string) => tree.loadEffectiveOn(date, timeZone),
      nodeFacts: (ids: readonly string[]) => tree.nodeFacts(ids),
      streamId: tree.streamId,
    },
    people: {
      load: (personId: string, effectiveOn?: { date: string; timeZone: string }) =>
        loadPerson(store, personId, effectiveOn),
      register: personCall('RegisterPerson'),
      updateProfile: personCall('UpdatePersonProfile'),
      changePost: personCall('ChangePost'),
      transfer: personCall('TransferPerson'),
      startSecondment: personCall('StartSecondment'),
      endSecondment: personCall('EndSecondment'),
      assignConcurrentPost: personCall('AssignConcurrentPost'),
      relieveConcurrentPost: personCall('RelieveConcurrentPost'),
      recordDeparture: personCall('RecordDeparture'),
      reinstate: personCall('ReinstatePerson'),
      setDirectoryClass: personCall('SetDirectoryClass'),
      setContactMode: personCall('SetContactMode'),
    },
    accounts: {
      load: (accountId: string) => loadAggregate(store, accountDecider, accountStream(accountId)),
      execute: account,
      open: (data: Data<AccountRequest, 'OpenAccount'>, m: CommandMetadata) =>
        account({ type: 'OpenAccount', data }, m),
      close: (data: Data<AccountRequest, 'CloseAccount'>, m: CommandMetadata) =>
        account({ type: 'CloseAccount', data }, m),
      grantAdminScope: (data: Data<AccountRequest, 'GrantAdminScope'>, m: CommandMetadata) =>
        account({ type: 'GrantAdminScope', data }, m),
    },
    groups: {
      load: (groupId: string) => loadAggregate(store, workGroupDecider, workGroupStream(groupId)),
      execute: group,
      create: (data: Data<WorkGroupRequest, 'CreateWorkGroup'>, m: CommandMetadata) =>
        group({ type: 'CreateWorkGroup', data }, m),
      addMembers: (data: Data<WorkGroupRequest, 'AddGroupMembers'>, m: CommandMetadata) =>
        group({ type: 'AddGroupMembers', data }, m),
      assignAdmin: (data: Data<WorkGroupRequest, 'AssignGroupAdmin'>, m: CommandMetadata) =>
        group({ type: 'AssignGroupAdmin', data }, m),
      transferOwnership: (data: Data<WorkGroupRequest, 'TransferGroupOwnership'>, m: CommandMetadata) =>
        group({ type: 'TransferGroupOwnership', data }, m),
    },
    apps: {
      load: (appId: string) => loadAggregate(store, appRegistrationDecider, appStream(appId)),
      execute: app,
      request: (data: Data<AppRequest, 'RequestAppAccess'>, m: CommandMetadata) =>
        app({ type: 'RequestAppAccess', data }, m),
    },
    directory: {
      tag: (command: TagCommand, m: CommandMetadata) => bus.execute(new ExecuteTagCommand(command, m, SETUP)),
      loadTag: async (tagId: string) => (await loadAggregate(store, tagDecider, tagStream(tagId))).state,
      setMatrix: (matrix: Matrix, m: CommandMetadata) => bus.execute(new SetDirectoryMatrix({ matrix }, m, SETUP)),
      matrix: () => loadMatrix(store, tree.jurisdiction),
      requestContact: (data: { requestId: string; toPersonId: string; message?: string | null }, m: CommandMetadata) =>
        bus.execute(new ExecuteContactRequestCommand({ type: 'RequestContact', data }, m, SETUP)),
      answerContact: (type: 'AcceptContact' | 'DeclineContact', requestId: string, m: CommandMetadata) =>
        bus.execute(new ExecuteContactRequestCommand({ type, data: { requestId } }, m, SETUP)),
    },
    restructuring: {
      merge: (data: MergeRequest, m: CommandMetadata) =>
        bus.execute(new RestructureOrgTree({ type: 'MergeOrgNodes', data }, m, SETUP)),
      abolish: (data: AbolitionRequest, m: CommandMetadata) =>
        bus.execute(new RestructureOrgTree({ type: 'DissolveOrgNode', data }, m, SETUP)),
    },
  };
}

export type Services = ReturnType<typeof servicesOf>;
export type OrgTreeService = Services['tree'];
export type PersonService = Services['people'];
export type AccountService = Services['accounts'];
export type WorkGroupService = Services['groups'];
export type AppRegistrationService = Services['apps'];
export type DirectoryService = Services['directory'];
export type RestructuringService = Services['restructuring'];

/** The facades over a running application's bus. */
export function servicesOfApp(app: INestApplicationContext): Services {
  return servicesOf(app.get<CommandBus>(COMMAND_BUS), app.get<EventStore>(EVENT_STORE), app.get(OrgTree));
}

/** A command bus without Nest, for store-level suites: each bus command class to its handler. */
export class InMemoryCommandBus implements CommandBus {
  private readonly handlers = new Map<unknown, { execute(command: never): Promise<unknown> }>();

  bind(bindings: ReadonlyArray<readonly [unknown, { execute(command: never): Promise<unknown> }]>): this {
    for (const [command, handler] of bindings) this.handlers.set(command, handler);
    return this;
  }

  execute<Answer>(command: { answer?: Answer }): Promise<Answer> {
    const handler = this.handlers.get(command.constructor);
    if (!handler) throw new Error(`no handler for ${command.constructor.name}`);
    return handler.execute(command as never) as Promise<Answer>;
  }
}

/** The write side on a bare store (no Nest): every handler bound to an in-memory bus, and the facades over it. */
export function servicesOnStore(
  runner: DeciderCommandRunner,
  store: EventStore,
  clock: Clock,
  ids: IdGenerator,
  calendar: WorkingDayCalendar,
  jurisdiction: string,
  /** The bus to bind the handlers to (a test may hand in one that fails on purpose). */
  bus: InMemoryCommandBus = new InMemoryCommandBus(),
) {
  const tree = new OrgTree(store, jurisdiction);
  const access = new AccessControl(store, tree, clock, 3, false);
  const config = { jurisdiction, timeZone: 'Asia/Shanghai', temporaryAccountMaxDays: 90 } as AppConfig;
  const batches = new BatchProcess(bus, store, runner, { error: () => undefined });
  const bindings = commandBindings(runner, bus, store, tree, access, clock, ids, calendar, config, batches);
  bus.bind(bindings);
  const reservations = (bindings.find(([command]) => command === ExecutePersonCommand)![1] as PersonCommandHandler)
    .reservations;
  return { bus, orgTree: tree, access, reservations, batches, ...servicesOf(bus, store, tree) };
}
