import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Module,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AccessControl } from '../application/access/access-control';
import { AccountService } from '../application/account/account.service';
import { AppRegistrationService } from '../application/app-registration/app-registration.service';
import { DeciderCommandRunner } from '../application/commands/decider-command-runner';
import { DirectoryService } from '../application/directory/directory.service';
import { EVENT_STORE, type EventStore } from '../application/event-store/event-store.port';
import { IdempotentRequests } from '../application/idempotency/idempotent-requests';
import { OrgTreeService } from '../application/org-tree/org-tree.service';
import { RestructuringService } from '../application/org-tree/restructuring.service';
import { PersonService } from '../application/person/person.service';
import { EVENT_POLICIES } from '../application/policies/policies';
import { PolicyEngine } from '../application/policies/policy-engine';
import { CLOCK, type Clock } from '../application/ports/clock';
import { ID_GENERATOR, type IdGenerator } from '../application/ports/id-generator';
import { WORKING_DAY_CALENDAR, type WorkingDayCalendar } from '../application/ports/working-day-calendar';
import { WorkGroupService } from '../application/work-group/work-group.service';
import { InMemoryPolicyLookups } from '../read-models/policy-lookups/policy-lookups.projection';
import { AuthGuard } from './auth/auth.guard';
import { TokenService } from './auth/token-service';
import { APP_CONFIG, type AppConfig } from './config/app-config';
import { AccountsController } from './http/accounts.controller';
import { AppsController } from './http/apps.controller';
import { CommandHttp } from './http/command-http';
import { DirectoryController } from './http/directory.controller';
import { EffectiveDates } from './http/effective-dates';
import { ImportController } from './http/import.controller';
import { IngestController } from './http/ingest.controller';
import { OrgNodesController } from './http/org-nodes.controller';
import { PersonsController } from './http/persons.controller';
import { WorkGroupsController } from './http/work-groups.controller';
import { nestOperationLog } from './system/nest-operation-log';

/** Starts the policy engine once the application is up and stops it before the store closes. */
@Injectable()
export class PolicyEngineLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    @Inject(PolicyEngine) private readonly engine: PolicyEngine,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.policiesEnabled) await this.engine.start();
  }

  /** Before the store closes (EventStoreModule closes it on application shutdown). */
  async beforeApplicationShutdown(): Promise<void> {
    await this.engine.stop();
  }
}

/** The write side's services built from the ports, authentication and authorization, the policies, and the routes. */
@Module({
  providers: [
    {
      provide: OrgTreeService,
      useFactory: (runner: DeciderCommandRunner, store: EventStore, config: AppConfig) =>
        new OrgTreeService(runner, store, config.jurisdiction),
      inject: [DeciderCommandRunner, EVENT_STORE, APP_CONFIG],
    },
    {
      provide: PersonService,
      useFactory: (
        runner: DeciderCommandRunner,
        store: EventStore,
        tree: OrgTreeService,
        clock: Clock,
        ids: IdGenerator,
      ) => new PersonService(runner, store, tree, clock, ids),
      inject: [DeciderCommandRunner, EVENT_STORE, OrgTreeService, CLOCK, ID_GENERATOR],
    },
    {
      provide: RestructuringService,
      useFactory: (store: EventStore, tree: OrgTreeService, people: PersonService, ids: IdGenerator) =>
        new RestructuringService(store, tree, people, ids),
      inject: [EVENT_STORE, OrgTreeService, PersonService, ID_GENERATOR],
    },
    {
      provide: DirectoryService,
      useFactory: (runner: DeciderCommandRunner, store: EventStore, people: PersonService, config: AppConfig) =>
        new DirectoryService(runner, store, people, config.jurisdiction),
      inject: [DeciderCommandRunner, EVENT_STORE, PersonService, APP_CONFIG],
    },
    {
      provide: AppRegistrationService,
      useFactory: (
        runner: DeciderCommandRunner,
        store: EventStore,
        tree: OrgTreeService,
        calendar: WorkingDayCalendar,
        clock: Clock,
        config: AppConfig,
      ) => new AppRegistrationService(runner, store, tree, calendar, clock, config.timeZone),
      inject: [DeciderCommandRunner, EVENT_STORE, OrgTreeService, WORKING_DAY_CALENDAR, CLOCK, APP_CONFIG],
    },
    {
      provide: AccountService,
      useFactory: (
        runner: DeciderCommandRunner,
        store: EventStore,
        people: PersonService,
        apps: AppRegistrationService,
        tree: OrgTreeService,
        clock: Clock,
        ids: IdGenerator,
        config: AppConfig,
      ) => new AccountService(runner, store, people, apps, tree, clock, ids, config.temporaryAccountMaxDays),
      inject: [
        DeciderCommandRunner,
        EVENT_STORE,
        PersonService,
        AppRegistrationService,
        OrgTreeService,
        CLOCK,
        ID_GENERATOR,
        APP_CONFIG,
      ],
    },
    {
      provide: WorkGroupService,
      useFactory: (runner: DeciderCommandRunner, store: EventStore, people: PersonService, tree: OrgTreeService) =>
        new WorkGroupService(runner, store, people, tree),
      inject: [DeciderCommandRunner, EVENT_STORE, PersonService, OrgTreeService],
    },
    {
      provide: AccessControl,
      useFactory: (
        accounts: AccountService,
        people: PersonService,
        tree: OrgTreeService,
        clock: Clock,
        config: AppConfig,
      ) =>
        new AccessControl(accounts, people, tree, clock, config.managedLevelBoundary, config.usersEditOwnOfficePhone),
      inject: [AccountService, PersonService, OrgTreeService, CLOCK, APP_CONFIG],
    },
    {
      provide: PolicyEngine,
      useFactory: (
        store: EventStore,
        accounts: AccountService,
        groups: WorkGroupService,
        people: PersonService,
        apps: AppRegistrationService,
        tree: OrgTreeService,
        clock: Clock,
        ids: IdGenerator,
        config: AppConfig,
      ) => {
        const lookups = new InMemoryPolicyLookups();
        return new PolicyEngine(
          store,
          { accounts, groups, people, apps, tree, lookups },
          EVENT_POLICIES,
          lookups,
          clock,
          ids,
          nestOperationLog('Policies'),
          {
            jurisdiction: config.jurisdiction,
            timeZone: config.timeZone,
            schedulerIntervalMs: config.schedulerIntervalMs,
          },
        );
      },
      inject: [
        EVENT_STORE,
        AccountService,
        WorkGroupService,
        PersonService,
        AppRegistrationService,
        OrgTreeService,
        CLOCK,
        ID_GENERATOR,
        APP_CONFIG,
      ],
    },
    PolicyEngineLifecycle,
    {
      provide: IdempotentRequests,
      useFactory: (store: EventStore, clock: Clock, ids: IdGenerator) => new IdempotentRequests(store, clock, ids),
      inject: [EVENT_STORE, CLOCK, ID_GENERATOR],
    },
    { provide: TokenService, useFactory: (config: AppConfig) => new TokenService(config), inject: [APP_CONFIG] },
    { provide: APP_GUARD, useClass: AuthGuard },
    CommandHttp,
    EffectiveDates,
  ],
  controllers: [
    OrgNodesController,
    PersonsController,
    DirectoryController,
    ImportController,
    AccountsController,
    WorkGroupsController,
    AppsController,
    IngestController,
  ],
  exports: [
    OrgTreeService,
    PersonService,
    RestructuringService,
    DirectoryService,
    AccountService,
    WorkGroupService,
    AppRegistrationService,
    AccessControl,
    TokenService,
    PolicyEngine,
  ],
})
export class PlatformModule {}
