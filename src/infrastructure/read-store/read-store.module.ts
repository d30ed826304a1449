import { join } from 'node:path';
/**
 * The read side: the read store, the projection engine that feeds it (when PROJECTIONS_ENABLED),
 * the read models' queries bound to the query bus, and time travel over the event store.
 */
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { AccessControl } from '../../application/access/access-control';
import { TimeTravel } from '../../application/audit/time-travel';
import { RecordedStreamCache } from '../../application/event-store/recorded-stream-cache';
import { orgTreeStream } from '../../domain/org-node/org-node.decider';
import { IdNumberDisclosures } from '../../application/account/id-number-disclosures';
import { COMMAND_BUS, type CommandBus } from '../../application/commands/command-bus';
import { GetReadModelStatus, GetReadModelStatusHandler } from '../../application/projections/read-model-status';
import {
  GetAssessmentListing,
  GetAssessmentListingHandler,
  GetAssessmentReport,
  GetAssessmentReportHandler,
} from '../../read-models/assessment/assessment.query-handlers';
import {
  GetEntityAsOf,
  GetEntityAsOfHandler,
  GetSnapshotAsOf,
  GetSnapshotAsOfHandler,
  SearchAuditTrail,
  SearchAuditTrailHandler,
} from '../../read-models/audit-trail/audit-trail.query-handlers';
import {
  GetMatrixCoverage,
  GetMatrixCoverageHandler,
  ResolveTag,
  ResolveTagHandler,
  GetMembers,
  GetMembersHandler,
  ResolveVisibility,
  ResolveVisibilityHandler,
  SearchDirectory,
  SearchDirectoryHandler,
} from '../../read-models/directory/directory.query-handlers';
import {
  GetNamingReport,
  GetNamingReportHandler,
  GetPath,
  GetPathHandler,
  GetSubtree,
  GetSubtreeHandler,
} from '../../read-models/org-tree/org-tree.query-handlers';
import { answer, bindQueries } from '../buses/bus-bindings';
import { ListInventory, ListInventoryHandler } from '../../read-models/inventory/inventory.queries';
import {
  ExportDirectoryTemplate,
  ExportDirectoryTemplateHandler,
  TEMPLATE_TIME_TRAVEL,
} from '../../read-models/audit-trail/template-export';
import {
  GetRequestWorklist,
  GetRequestWorklistHandler,
  GetReviewTimeliness,
  GetReviewTimelinessHandler,
  GetUnitRequests,
  GetUnitRequestsHandler,
} from '../../read-models/requests/requests.query-handlers';
import { CommandsModule } from '../buses/commands.module';
import { EVENT_STORE, type EventStore } from '../../application/ports/event-store.port';
import { CLOCK, type Clock } from '../../application/ports/clock.port';
import { PROJECTIONS_LEASE, ProjectionEngine } from '../../application/projections/projection-engine';
import { ReadModels } from '../../application/projections/read-models';
import { READ_STORE, type ReadStore } from '../../application/ports/read-store.port';
import { AUDIT_TIME_TRAVEL, AuditQueries } from '../../read-models/audit-trail/audit-trail.queries';
import { DirectoryQueries } from '../../read-models/directory/directory.queries';
import { readModelProjections } from '../../read-models/projections';
import { AssessmentQueries } from '../../read-models/assessment/assessment.queries';
import { WORKING_DAY_CALENDAR, type WorkingDayCalendar } from '../../application/ports/working-day-calendar.port';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { nestOperationLog } from '../system/nest-operation-log';
import { createReadStore, createScratchReadStore } from './read-store.factory';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store';
import { ProjectionWorker } from './projection-worker-client';
import { LeasedProjections } from './leased-projections';
import { StoredProgress } from '../../application/projections/stored-progress';
import { LeaseHolder } from '../../application/leases/lease-holder';
import { DeciderCommandRunner } from '../../application/commands/decider-command-runner';
import { PlatformMetrics } from '../observability/platform-metrics';
import { INSTANCE_NAME } from '../system/instance-name';

/** The projection worker thread, when the live projections run in one (embedded default, PROJECTIONS_IN_WORKER). */
export const PROJECTION_WORKER = Symbol('PROJECTION_WORKER');

function projectionWorkerOf(store: EventStore, config: AppConfig): ProjectionWorker | null {
  const embedded = store instanceof SqliteEventStore && !config.mongodbUri;
  if (!config.projectionsEnabled || !config.projectionsInWorker || !embedded) return null;
  return new ProjectionWorker(
    {
      eventsFile: join(config.dataDir, 'events.sqlite'),
      readModelsFile: join(config.dataDir, 'read-models.sqlite'),
      timeZone: config.timeZone,
      batchSize: config.projectionBatchSize,
      pollIntervalMs: config.subscriptionPollMs,
    },
    store,
    nestOperationLog('ReadModels'),
  );
}

/**
 * Feeds the read models while the application runs (when PROJECTIONS_ENABLED), in the one instance
 * holding the `projections` lease, and closes the read store last.
 */
@Injectable()
export class ProjectionEngineLifecycle
  implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  private lease: LeaseHolder | null = null;

  constructor(
    @Inject(LeasedProjections) private readonly projections: LeasedProjections,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DeciderCommandRunner) private readonly runner: DeciderCommandRunner,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(PlatformMetrics) private readonly metrics: PlatformMetrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.projectionsEnabled) return;
    const settings = {
      jurisdiction: this.config.jurisdiction,
      lease: PROJECTIONS_LEASE,
      holder: INSTANCE_NAME,
      ttlMs: this.config.leaseTtlMs,
      onChange: (term: number | null) => this.metrics.leaseChanged(PROJECTIONS_LEASE, term),
    };
    this.lease = new LeaseHolder(this.runner, this.projections, settings, this.clock, nestOperationLog('Leases'));
    await this.lease.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    // Stops the feed and releases the lease: another instance takes over at once.
    await this.lease?.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.readStore.close();
  }
}

/** Binds the read models' queries before any worker starts. */
@Injectable()
export class ReadSideBindings implements OnModuleInit {
  constructor(
    @Inject(QueryBus) private readonly bus: QueryBus,
    @Inject(ReadModels) private readonly models: ReadModels,
    @Inject(ProjectionEngine) private readonly engine: ProjectionEngine,
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(AssessmentQueries) private readonly assessment: AssessmentQueries,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(COMMAND_BUS) private readonly commands: CommandBus,
    @Inject(WORKING_DAY_CALENDAR) private readonly calendar: WorkingDayCalendar,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    const { models, access, config } = this;
    const directory = new DirectoryQueries(models);
    const audit = new AuditQueries(models);
    const { jurisdiction, timeZone } = config;
    const tree = new RecordedStreamCache(this.events, orgTreeStream(jurisdiction));
    const timeTravel = new TimeTravel(
      this.events,
      createScratchReadStore,
      AUDIT_TIME_TRAVEL,
      jurisdiction,
      timeZone,
      tree,
    );
    bindQueries(this.bus, [
      answer(GetSubtree, new GetSubtreeHandler(directory, models)),
      answer(GetPath, new GetPathHandler(directory, models)),
      answer(GetNamingReport, new GetNamingReportHandler(directory, models, config.naming)),
      answer(GetMembers, new GetMembersHandler(directory, models)),
      answer(SearchDirectory, new SearchDirectoryHandler(directory, models)),
      answer(ResolveVisibility, new ResolveVisibilityHandler(directory, models, access)),
      answer(GetMatrixCoverage, new GetMatrixCoverageHandler(directory, models)),
      answer(ResolveTag, new ResolveTagHandler(directory, models, access)),
      answer(
        SearchAuditTrail,
        new SearchAuditTrailHandler(audit, models, access, new IdNumberDisclosures(this.commands, jurisdiction)),
      ),
      answer(GetEntityAsOf, new GetEntityAsOfHandler(timeTravel, audit, access)),
      answer(GetSnapshotAsOf, new GetSnapshotAsOfHandler(timeTravel, audit, access)),
      answer(GetAssessmentReport, new GetAssessmentReportHandler(this.assessment, models, access)),
      answer(GetAssessmentListing, new GetAssessmentListingHandler(this.assessment, models, access)),
      answer(ListInventory, new ListInventoryHandler(models, this.clock)),
      answer(
        ExportDirectoryTemplate,
        new ExportDirectoryTemplateHandler(
          new TimeTravel(this.events, createScratchReadStore, TEMPLATE_TIME_TRAVEL, jurisdiction, timeZone, tree),
          audit,
          access,
          new IdNumberDisclosures(this.commands, jurisdiction),
          this.clock,
          timeZone,
        ),
      ),
      answer(GetReadModelStatus, new GetReadModelStatusHandler(this.engine, access)),
      answer(GetRequestWorklist, new GetRequestWorklistHandler(models, access, this.calendar, this.clock, timeZone)),
      answer(GetReviewTimeliness, new GetReviewTimelinessHandler(models, access, timeZone)),
      answer(
        GetUnitRequests,
        new GetUnitRequestsHandler(models, directory, access, this.calendar, this.clock, timeZone),
      ),
    ]);
  }
}

@Module({
  imports: [CommandsModule],
  providers: [
    { provide: READ_STORE, useFactory: createReadStore, inject: [APP_CONFIG] },
    {
      provide: ProjectionEngine,
      useFactory: (store: EventStore, readStore: ReadStore, clock: Clock, config: AppConfig) =>
        new ProjectionEngine(
          store,
          readStore,
          readModelProjections({ timeZone: config.timeZone }),
          clock,
          nestOperationLog('ReadModels'),
          { batchSize: config.projectionBatchSize },
        ),
      inject: [EVENT_STORE, READ_STORE, CLOCK, APP_CONFIG],
    },
    { provide: PROJECTION_WORKER, useFactory: projectionWorkerOf, inject: [EVENT_STORE, APP_CONFIG] },
    {
      provide: LeasedProjections,
      useFactory: (
        engine: ProjectionEngine,
        worker: ProjectionWorker | null,
        readStore: ReadStore,
        config: AppConfig,
      ) =>
        new LeasedProjections(
          engine,
          worker,
          new StoredProgress(
            readStore,
            readModelProjections({ timeZone: config.timeZone }).map((p) => p.name),
          ),
        ),
      inject: [ProjectionEngine, PROJECTION_WORKER, READ_STORE, APP_CONFIG],
    },
    ProjectionEngineLifecycle,
    {
      provide: ReadModels,
      useFactory: (readStore: ReadStore, projections: LeasedProjections, clock: Clock, config: AppConfig) =>
        new ReadModels(readStore, config.projectionsEnabled ? projections : null, () => clock.now().getTime()),
      inject: [READ_STORE, LeasedProjections, CLOCK, APP_CONFIG],
    },
    {
      provide: AssessmentQueries,
      useFactory: (models: ReadModels, calendar: WorkingDayCalendar, config: AppConfig) =>
        new AssessmentQueries(
          models,
          calendar,
          { timeZone: config.timeZone, deadlineWorkingDays: config.timelinessDeadlineDays, ...config.assessment },
          config.jurisdiction,
        ),
      inject: [ReadModels, WORKING_DAY_CALENDAR, APP_CONFIG],
    },
    ReadSideBindings,
  ],
  exports: [READ_STORE, ProjectionEngine, PROJECTION_WORKER, ReadModels, AssessmentQueries],
})
export class ReadStoreModule {}
