import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import { Public } from '../auth/auth.guard';
import { EVENT_STORE, type EventStore } from '../../application/ports/event-store.port';

@Public()
// Probes every few seconds from the load balancer are not a client's requests.
@SkipThrottle()
@Controller('health')
export class HealthController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  /** Liveness: the process answers. */
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: the event store answers too; 503 otherwise, so a load balancer stops sending writes. */
  @Get()
  async ready(@Res({ passthrough: true }) response: { status(code: number): unknown }) {
    const eventStore = await this.store.health().catch((error: unknown) => ({
      adapter: 'unknown',
      up: false,
      detail: error instanceof Error ? error.message : String(error),
    }));
    const head = eventStore.up ? await this.store.headPosition().catch(() => null) : null;
    const body = { status: eventStore.up ? 'ok' : 'unavailable', eventStore: { ...eventStore, headPosition: head } };
    response.status(eventStore.up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return body;
  }
}
