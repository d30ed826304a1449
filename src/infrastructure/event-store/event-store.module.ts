import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '../../application/ports/event-store.port';
import { CLOCK } from '../../application/ports/clock.port';
import { ID_GENERATOR } from '../../application/ports/id-generator.port';
import { WORKING_DAY_CALENDAR } from '../../application/ports/working-day-calendar.port';
import { ChineseWorkingDayCalendar } from '../calendar/chinese-working-day-calendar';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { PlatformMetrics } from '../observability/platform-metrics';
import { SystemClock } from '../system/system-clock';
import { TimeOrderedUuidGenerator } from '../system/uuid-generator';
import { createEventStore } from './event-store.factory';

/** The event store and the ports every layer uses: the clock, id generator and working-day calendar. */
@Global()
@Module({
  providers: [
    {
      provide: EVENT_STORE,
      useFactory: (config: AppConfig, metrics: PlatformMetrics) =>
        createEventStore(config, (commit) => metrics.committed(commit)),
      inject: [APP_CONFIG, PlatformMetrics],
    },
    { provide: CLOCK, useClass: SystemClock },
    { provide: ID_GENERATOR, useFactory: () => new TimeOrderedUuidGenerator() },
    { provide: WORKING_DAY_CALENDAR, useClass: ChineseWorkingDayCalendar },
  ],
  exports: [EVENT_STORE, CLOCK, ID_GENERATOR, WORKING_DAY_CALENDAR],
})
export class EventStoreModule implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** Runs after the HTTP server stopped taking requests: appends in flight are written, then the store closes. */
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
