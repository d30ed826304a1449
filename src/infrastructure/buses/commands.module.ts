/**
 * The write side: every command handler built from the ports and bound to the command bus, the
 * queries of the aggregates bound to the query bus, authorization's facts, the policies and the
 * idempotency records. The buses are @nestjs/cqrs's; the application sees them as ports.
 */
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Module,
  type OnApplicationBootstrap,
  type OnModuleInit,
} from '@nestjs/common';
import { CommandBus as NestCommandBus, QueryBus as NestQueryBus } from '@nestjs/cqrs';
import { AccessControl } from '../../application/access/access-control';
import { AccountCommandHandler } from '../../application/account/account.command-handler';
import { ExecuteAccountCommand } from '../../application/account/account.commands';
import { GetAccount, GetAccountHandler } from '../../application/account/account.queries';
import { AppCommandHandler } from '../../application/app-registration/app-registration.command-handler';
import { ExecuteAppCommand } from '../../application/app-registration/app-registration.commands';
import { GetApp, GetAppHandler } from '../../application/app-registration/app-registration.queries';
import {
  BootstrapJurisdiction,
  BootstrapJurisdictionHandler,
} from '../../application/bootstrap/bootstrap-jurisdiction';
import { COMMAND_BUS, type CommandBus } from '../../application/commands/command-bus';
import { DeciderCommandRunner } from '../../application/commands/decider-command-runner';
import {
  ContactRequestHandler,
  DirectoryMatrixHandler,
  TagCommandHandler,
} from '../../application/directory/directory.command-handlers';
import {
  ExecuteContactRequestCommand,
  ExecuteTagCommand,
  SetDirectoryMatrix,
} from '../../application/directory/directory.commands';
import { GetDirectoryMatrix, GetDirectoryMatrixHandler } from '../../application/directory/directory.queries';
import { EVENT_STORE, type EventStore } from '../../application/ports/event-store.port';
import { IdempotentRequests } from '../../application/idempotency/idempotent-requests';
import { ImportDirectory, ImportDirectoryHandler } from '../../application/import/directory-import';
import { OrgNodeBatchHandler, OrgNodeCommandHandler } from '../../application/org-node/org-node.command-handler';
import { OrgTree } from '../../application/org-node/org-tree';
import {
  ExecuteOrgNodeBatch,
  ExecuteOrgNodeCommand,
  RestructureOrgTree,
} from '../../application/org-node/org-node.commands';
import { GetOrgTree, GetOrgTreeHandler } from '../../application/org-node/org-node.queries';
import { RestructuringHandler } from '../../application/org-node/restructuring.command-handler';
import { PersonCommandHandler, RegisterNewPeopleHandler } from '../../application/person/person.command-handler';
import { RequestCommandHandler } from '../../application/request/request.command-handler';
import { ExecuteRequestCommand } from '../../application/request/request.commands';
import { GetRequest, GetRequestHandler } from '../../application/request/request.queries';
import { ExecutePersonCommand, RegisterNewPeople } from '../../application/person/person.commands';
import { GetPerson, GetPersonHandler } from '../../application/person/person.queries';
import { EVENT_POLICIES } from '../../application/policies/policies';
import { PolicyEngine } from '../../application/policies/policy-engine';
import { CLOCK, type Clock } from '../../application/ports/clock.port';
import { ID_GENERATOR, type IdGenerator } from '../../application/ports/id-generator.port';
import { WORKING_DAY_CALENDAR, type WorkingDayCalendar } from '../../application/ports/working-day-calendar.port';
import { timelinessOf } from '../../application/calendar/working-days';
import { QUERY_BUS } from '../../application/queries/query-bus';
import { RecordUsageSignals, RecordUsageSignalsHandler } from '../../application/usage-signals/usage-signals';
import {
  SignInThroughSso,
  SignInThroughSsoHandler,
  SignInWithLink,
  SignInWithLinkHandler,
} from '../../application/account/sign-in-link';
import { WorkGroupCommandHandler } from '../../application/work-group/work-group.command-handler';
import { ExecuteWorkGroupCommand } from '../../application/work-group/work-group.commands';
import { GetWorkGroup, GetWorkGroupHandler } from '../../application/work-group/work-group.queries';
import { InMemoryPolicyLookups } from '../../read-models/policy-lookups/policy-lookups.projection';
import { answer, bindCommands, bindQueries, type CommandBinding, on, type QueryBinding } from './bus-bindings';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { nestOperationLog } from '../system/nest-operation-log';
import { RestructuringProcess } from '../../application/org-node/restructuring.process';
import { BatchProcess } from '../../application/batch/batch.process';
import { PlanBatchHandler } from '../../application/batch/batch.command-handler';
import { PlanBatch } from '../../application/batch/batch.commands';
import { UpdateDirectory, UpdateDirectoryHandler } from '../../application/import/directory-update';
import { GetBatch, GetBatchHandler } from '../../application/batch/batch.queries';
import { FoldedStreams } from '../../application/commands/folded-streams';
import { CorrectPersonRecord, PersonCorrectionHandler } from '../../application/person/person-corrections';
import { measuredCommandBus } from '../observability/measured-command-bus';
import { PlatformMetrics } from '../observability/platform-metrics';
import { TRACING, type Tracing } from '../../application/ports/tracing.port';
import { INSTANCE_NAME } from '../system/instance-name';
import { LeaseHolder } from '../../application/leases/lease-holder';

/** Makes a policy engine (one per lease term). */
const POLICY_ENGINES = Symbol('PolicyEngines');

const COMMAND_BINDINGS = Symbol('CommandBindings');
const QUERY_BINDINGS = Symbol('QueryBindings');

/**
 * Starts the background work once the application is up: batches and restructurings left half-done
 * by a crash are finished, then the policy engine starts; it is stopped before the store closes.
 */
@Injectable()
export class PolicyEngineLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = nestOperationLog('Restructuring');
  private readonly batchLog = nestOperationLog('Batches');

  private lease: LeaseHolder | null = null;

  constructor(
    @Inject(PolicyEngine) private readonly engine: PolicyEngine,
    @Inject(POLICY_ENGINES) private readonly engines: () => PolicyEngine,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(COMMAND_BUS) private readonly commands: CommandBus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(OrgTree) private readonly tree: OrgTree,
    @Inject(BatchProcess) private readonly batches: BatchProcess,
    @Inject(DeciderCommandRunner) private readonly runner: DeciderCommandRunner,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(PlatformMetrics) private readonly metrics: PlatformMetrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.policiesEnabled) return;
    try {
      const resumed = await this.batches.resumePending();
      if (resumed.length > 0) this.batchLog.info(`已续办 ${resumed.length} 项中断的批量操作：${resumed.join('、')}`);
    } catch (error) {
      this.batchLog.error(`批量操作未能续办完成：${error instanceof Error ? error.message : String(error)}`);
    }
    try {
      const finished = await new RestructuringProcess(this.commands, this.store, this.tree).resumePending();
      if (finished.length > 0) this.log.info(`已续办 ${finished.length} 项中断的组织调整：${finished.join('、')}`);
    } catch (error) {
      // A plan that cannot be carried out stays pending (visible in the audit trail) and is tried at the next start.
      this.log.error(`组织调整未能续办完成：${error instanceof Error ? error.message : String(error)}`);
    }
    // The policies and the scheduler run in one instance at a time: the holder of their lease. The
    // first term runs the engine the module provides; a later one (after losing the lease) a fresh one.
    let engine: PolicyEngine | null = null;
    const worker = {
      start: async (term: number) => {
        engine = engine === null && !this.engineUsed ? this.engine : this.engines();
        this.engineUsed = true;
        await engine.start(term);
      },
      stop: async () => {
        await engine?.stop();
        engine = null;
      },
    };
    const settings = {
      jurisdiction: this.config.jurisdiction,
      lease: 'policies',
      holder: INSTANCE_NAME,
      ttlMs: this.config.leaseTtlMs,
      onChange: (term: number | null) => this.metrics.leaseChanged('policies', term),
    };
    this.lease = new LeaseHolder(this.runner, worker, settings, this.clock, nestOperationLog('Leases'));
    await this.lease.start();
  }

  private engineUsed = false;

  /** Before the store closes (EventStoreModule closes it on application shutdown). */
  async beforeApplicationShutdown(): Promise<void> {
    // Stops the engine and releases the lease: another instance takes over at once.
    await this.lease?.stop();
    // A batch under way stops between rows once the store closes; it is carried on at the next start.
    await this.batches.settled();
  }
}

/** Binds this module's handlers before any worker starts (onModuleInit runs before every bootstrap hook). */
@Injectable()
export class WriteSideBindings implements OnModuleInit {
  constructor(
    @Inject(NestCommandBus) private readonly commandBus: NestCommandBus,
    @Inject(NestQueryBus) private readonly queryBus: NestQueryBus,
    @Inject(COMMAND_BINDINGS) private readonly commands: readonly CommandBinding[],
    @Inject(QUERY_BINDINGS) private readonly queries: readonly QueryBinding[],
  ) {}

  onModuleInit(): void {
    bindCommands(this.commandBus, this.commands);
    bindQueries(this.queryBus, this.queries);
  }
}

export function commandBindings(
  runner: DeciderCommandRunner,
  commands: CommandBus,
  store: EventStore,
  tree: OrgTree,
  access: AccessControl,
  clock: Clock,
  ids: IdGenerator,
  calendar: WorkingDayCalendar,
  config: AppConfig,
  batches: BatchProcess,
): CommandBinding[] {
  const people = new PersonCommandHandler(runner, store, tree, access, clock, ids, config.requests);
  const accounts = new AccountCommandHandler(
    runner,
    store,
    tree,
    access,
    clock,
    ids,
    config.temporaryAccountMaxDays,
    config.requests,
  );
  const { jurisdiction } = config;
  const importContext = { tree, store, reservations: people.reservations, commands, jurisdiction };
  return [
    on(ExecutePersonCommand, people),
    on(RegisterNewPeople, new RegisterNewPeopleHandler(people)),
    on(CorrectPersonRecord, new PersonCorrectionHandler(runner, store, access, people.reservations, clock, ids)),
    on(ExecuteAccountCommand, accounts),
    on(ExecuteOrgNodeCommand, new OrgNodeCommandHandler(runner, tree, access, store, config.naming, config.requests)),
    on(ExecuteOrgNodeBatch, new OrgNodeBatchHandler(runner, tree, access)),
    on(
      RestructureOrgTree,
      new RestructuringHandler(
        runner,
        new RestructuringProcess(commands, store, tree),
        store,
        tree,
        access,
        clock,
        ids,
      ),
    ),
    on(ExecuteWorkGroupCommand, new WorkGroupCommandHandler(runner, store, tree, access)),
    on(PlanBatch, new PlanBatchHandler(runner, commands, batches, access)),
    on(UpdateDirectory, new UpdateDirectoryHandler(tree, store, commands, access, clock)),
    on(ExecuteAppCommand, new AppCommandHandler(runner, tree, access, calendar, clock, config.timeZone)),
    on(ExecuteTagCommand, new TagCommandHandler(runner, access, store, tree)),
    on(SetDirectoryMatrix, new DirectoryMatrixHandler(runner, access, jurisdiction)),
    on(ExecuteContactRequestCommand, new ContactRequestHandler(runner, store, access, jurisdiction)),
    on(BootstrapJurisdiction, new BootstrapJurisdictionHandler(commands, store, tree, clock)),
    on(ImportDirectory, new ImportDirectoryHandler(importContext, access, clock)),
    on(RecordUsageSignals, new RecordUsageSignalsHandler(commands, access, jurisdiction)),
    on(SignInWithLink, new SignInWithLinkHandler(commands, store, clock, jurisdiction)),
    on(SignInThroughSso, new SignInThroughSsoHandler(commands, store, clock, jurisdiction)),
    on(
      ExecuteRequestCommand,
      new RequestCommandHandler(
        runner,
        store,
        tree,
        access,
        calendar,
        clock,
        ids,
        commands,
        config.requests,
        config.timeZone,
      ),
    ),
  ];
}

function queryBindings(store: EventStore, tree: OrgTree, access: AccessControl, config: AppConfig): QueryBinding[] {
  return [
    answer(GetBatch, new GetBatchHandler(store, new FoldedStreams(store))),
    answer(GetPerson, new GetPersonHandler(store, tree, access)),
    answer(GetAccount, new GetAccountHandler(store, tree, access)),
    answer(GetWorkGroup, new GetWorkGroupHandler(store, tree, access)),
    answer(GetApp, new GetAppHandler(store, access)),
    answer(GetRequest, new GetRequestHandler(store, access)),
    answer(GetOrgTree, new GetOrgTreeHandler(tree, access)),
    answer(GetDirectoryMatrix, new GetDirectoryMatrixHandler(store, config.jurisdiction, access)),
  ];
}

@Module({
  providers: [
    {
      provide: COMMAND_BUS,
      useFactory: (bus: NestCommandBus, metrics: PlatformMetrics) => measuredCommandBus(bus, metrics),
      inject: [NestCommandBus, PlatformMetrics],
    },
    {
      provide: DeciderCommandRunner,
      useFactory: (
        store: EventStore,
        clock: Clock,
        ids: IdGenerator,
        calendar: WorkingDayCalendar,
        config: AppConfig,
      ) => {
        const retry = { maxAttempts: config.commandMaxAttempts, baseDelayMs: 5 };
        const timeliness = (effectiveAt: string, recordedAt: Date) =>
          timelinessOf(calendar, effectiveAt, recordedAt, config.timeZone, config.timelinessDeadlineDays);
        return new DeciderCommandRunner(store, clock, ids, retry, undefined, timeliness);
      },
      inject: [EVENT_STORE, CLOCK, ID_GENERATOR, WORKING_DAY_CALENDAR, APP_CONFIG],
    },
    { provide: QUERY_BUS, useExisting: NestQueryBus },
    {
      provide: BatchProcess,
      useFactory: (commands: CommandBus, store: EventStore, runner: DeciderCommandRunner) =>
        new BatchProcess(commands, store, runner, nestOperationLog('Batches')),
      inject: [COMMAND_BUS, EVENT_STORE, DeciderCommandRunner],
    },
    {
      provide: OrgTree,
      useFactory: (store: EventStore, config: AppConfig) => new OrgTree(store, config.jurisdiction),
      inject: [EVENT_STORE, APP_CONFIG],
    },
    {
      provide: AccessControl,
      useFactory: (store: EventStore, tree: OrgTree, clock: Clock, config: AppConfig) =>
        new AccessControl(store, tree, clock, config.managedLevelBoundary, config.usersEditOwnOfficePhone),
      inject: [EVENT_STORE, OrgTree, CLOCK, APP_CONFIG],
    },
    {
      provide: COMMAND_BINDINGS,
      useFactory: commandBindings,
      inject: [
        DeciderCommandRunner,
        COMMAND_BUS,
        EVENT_STORE,
        OrgTree,
        AccessControl,
        CLOCK,
        ID_GENERATOR,
        WORKING_DAY_CALENDAR,
        APP_CONFIG,
        BatchProcess,
      ],
    },
    {
      provide: QUERY_BINDINGS,
      useFactory: queryBindings,
      inject: [EVENT_STORE, OrgTree, AccessControl, APP_CONFIG],
    },
    WriteSideBindings,
    {
      provide: POLICY_ENGINES,
      useFactory: (
        store: EventStore,
        commands: CommandBus,
        tree: OrgTree,
        clock: Clock,
        ids: IdGenerator,
        config: AppConfig,
        tracing: Tracing,
      ): (() => PolicyEngine) => {
        const options = {
          jurisdiction: config.jurisdiction,
          timeZone: config.timeZone,
          schedulerIntervalMs: config.schedulerIntervalMs,
          tracing,
        };
        // A fresh engine per lease term: its lookups are folded anew from the history.
        return () => {
          const lookups = new InMemoryPolicyLookups();
          const reads = { store, tree, lookups };
          const log = nestOperationLog('Policies');
          return new PolicyEngine(store, commands, reads, EVENT_POLICIES, lookups, clock, ids, log, options);
        };
      },
      inject: [EVENT_STORE, COMMAND_BUS, OrgTree, CLOCK, ID_GENERATOR, APP_CONFIG, TRACING],
    },
    { provide: PolicyEngine, useFactory: (make: () => PolicyEngine) => make(), inject: [POLICY_ENGINES] },
    PolicyEngineLifecycle,
    {
      provide: IdempotentRequests,
      useFactory: (store: EventStore, clock: Clock, ids: IdGenerator) => new IdempotentRequests(store, clock, ids),
      inject: [EVENT_STORE, CLOCK, ID_GENERATOR],
    },
  ],
  exports: [
    COMMAND_BUS,
    QUERY_BUS,
    OrgTree,
    AccessControl,
    PolicyEngine,
    IdempotentRequests,
    DeciderCommandRunner,
    BatchProcess,
  ],
})
export class CommandsModule {}
