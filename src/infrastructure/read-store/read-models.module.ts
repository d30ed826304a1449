import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '../../application/event-store/event-store.port';
import { CLOCK, type Clock } from '../../application/ports/clock';
import { ProjectionEngine } from '../../application/projections/projection-engine';
import { ReadModels } from '../../application/projections/read-models';
import { READ_STORE, type ReadStore } from '../../application/read-store/read-store.port';
import { AuditQueries } from '../../read-models/audit-trail/audit-trail.queries';
import { DirectoryQueries } from '../../read-models/directory/directory.queries';
import { readModelProjections } from '../../read-models/projections';
import { AssessmentQueries } from '../../read-models/assessment/assessment.queries';
import { WORKING_DAY_CALENDAR, type WorkingDayCalendar } from '../../application/ports/working-day-calendar';
import { AssessmentController } from '../http/assessment.controller';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ReadModelsController } from '../http/read-models.controller';
import { CommandsModule } from '../commands.module';
import { nestOperationLog } from '../system/nest-operation-log';
import { createReadStore, createScratchReadStore } from './read-store.factory';

/** Feeds the read models while the application runs (when PROJECTIONS_ENABLED) and closes the read store last. */
@Injectable()
export class ProjectionEngineLifecycle
  implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  constructor(
    @Inject(ProjectionEngine) private readonly engine: ProjectionEngine,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.projectionsEnabled) await this.engine.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.engine.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.readStore.close();
  }
}

@Module({
  imports: [CommandsModule],
  controllers: [ReadModelsController, AssessmentController],
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
    ProjectionEngineLifecycle,
    {
      provide: ReadModels,
      useFactory: (readStore: ReadStore, engine: ProjectionEngine, clock: Clock, config: AppConfig) =>
        new ReadModels(readStore, config.projectionsEnabled ? engine : null, () => clock.now().getTime()),
      inject: [READ_STORE, ProjectionEngine, CLOCK, APP_CONFIG],
    },
    {
      provide: DirectoryQueries,
      useFactory: (models: ReadModels) => new DirectoryQueries(models),
      inject: [ReadModels],
    },
    {
      provide: AuditQueries,
      useFactory: (models: ReadModels, store: EventStore, config: AppConfig) =>
        new AuditQueries(models, store, createScratchReadStore, config.jurisdiction, config.timeZone),
      inject: [ReadModels, EVENT_STORE, APP_CONFIG],
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
  ],
  exports: [READ_STORE, ProjectionEngine, ReadModels, DirectoryQueries, AuditQueries, AssessmentQueries],
})
export class ReadModelsModule {}
