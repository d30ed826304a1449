import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { DeciderCommandRunner } from '../../application/commands/decider-command-runner';
import { EVENT_STORE, type EventStore } from '../../application/event-store/event-store.port';
import { CLOCK, type Clock } from '../../application/ports/clock';
import { ID_GENERATOR, type IdGenerator } from '../../application/ports/id-generator';
import {
  timelinessOf,
  WORKING_DAY_CALENDAR,
  type WorkingDayCalendar,
} from '../../application/ports/working-day-calendar';
import { ChineseWorkingDayCalendar } from '../calendar/chinese-working-day-calendar';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { SystemClock } from '../system/system-clock';
import { RandomUuidGenerator } from '../system/uuid-generator';
import { createEventStore } from './event-store.factory';

@Global()
@Module({
  providers: [
    { provide: EVENT_STORE, useFactory: createEventStore, inject: [APP_CONFIG] },
    { provide: CLOCK, useClass: SystemClock },
    { provide: ID_GENERATOR, useClass: RandomUuidGenerator },
    { provide: WORKING_DAY_CALENDAR, useClass: ChineseWorkingDayCalendar },
    {
      provide: DeciderCommandRunner,
      useFactory: (
        store: EventStore,
        clock: Clock,
        ids: IdGenerator,
        calendar: WorkingDayCalendar,
        config: AppConfig,
      ) =>
        new DeciderCommandRunner(
          store,
          clock,
          ids,
          { maxAttempts: config.commandMaxAttempts, baseDelayMs: 5 },
          undefined,
          (effectiveAt, recordedAt) =>
            timelinessOf(calendar, effectiveAt, recordedAt, config.timeZone, config.timelinessDeadlineDays),
        ),
      inject: [EVENT_STORE, CLOCK, ID_GENERATOR, WORKING_DAY_CALENDAR, APP_CONFIG],
    },
  ],
  exports: [EVENT_STORE, CLOCK, ID_GENERATOR, WORKING_DAY_CALENDAR, DeciderCommandRunner],
})
export class EventStoreModule implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** Runs after the HTTP server stopped taking requests: appends in flight are written, then the store closes. */
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
