/**
 * GET /metrics in the Prometheus text format, for the metrics service credential
 * (`npm run cli -- token --service metrics`) or a system admin. What the components hold is read
 * here at each scrape: each read model's lag and progress, the policies' lag, the failed lists.
 */
import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccessControl } from '../../application/access/access-control';
import { positionParts, type Position } from '../../application/event-store/position';
import { ProjectionEngine } from '../../application/projections/projection-engine';
import { EVENT_STORE, type EventStore } from '../../application/ports/event-store.port';
import { CLOCK, type Clock } from '../../application/ports/clock.port';
import { PolicyEngine } from '../../application/policies/policy-engine';
import { loadDeliveryState } from '../../application/webhooks/delivery-log';
import { subscriptionIds } from '../../application/webhooks/webhook-dispatcher';
import { ForMetricsScrapers } from '../auth/auth.guard';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { PlatformMetrics } from '../observability/platform-metrics';
import { type HttpRequestLike, type HttpResponseLike, principalOf } from './http-exchange';

/** Lag is counted up to this many events: past it, the figure says "at least". */
const LAG_COUNT_CAP = 10_000;

@ApiTags('operations (运维)')
@Controller('metrics')
export class MetricsController {
  constructor(
    @Inject(PlatformMetrics) private readonly metrics: PlatformMetrics,
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ProjectionEngine) projections: ProjectionEngine,
    @Inject(PolicyEngine) policies: PolicyEngine,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    metrics.observe({
      projections: async () =>
        Promise.all(
          (await projections.status()).map(async (s) => ({
            projection: s.projection,
            state: s.state,
            lagEvents: s.caughtUp ? 0 : await this.eventsAfter(s.checkpoint),
            lagSeconds: s.lagMs / 1000,
            progress: s.caughtUp ? 1 : progressOf(s.checkpoint, s.head),
          })),
        ),
      policies: async () =>
        config.policiesEnabled ? [{ policy: 'all', lagEvents: await this.eventsAfter(policies.position) }] : [],
      failedLists: async () => {
        const now = this.clock.now().getTime();
        const lists = [];
        for (const subscription of await subscriptionIds(this.store)) {
          const { failed } = await loadDeliveryState(this.store, subscription);
          const times = [...failed.values()].map((entry) => Date.parse(entry.failedAt));
          const oldest = times.length === 0 ? now : Math.min(...times);
          lists.push({ subscription, size: failed.size, oldestAgeSeconds: (now - oldest) / 1000 });
        }
        return lists;
      },
    });
  }

  @Get()
  @ForMetricsScrapers()
  @ApiOperation({
    summary: 'Operational metrics, Prometheus text format (the metrics service credential, system admins)',
  })
  async scrape(@Req() req: HttpRequestLike, @Res({ passthrough: true }) res: HttpResponseLike) {
    this.access.authorize(principalOf(req), { kind: 'METRICS' });
    res.setHeader('Content-Type', this.metrics.registry.contentType);
    return this.metrics.registry.metrics();
  }

  private async eventsAfter(position: Position | null): Promise<number> {
    return (await this.store.readAll({ from: position ?? 'start', maxCount: LAG_COUNT_CAP })).length;
  }
}

/** How far through the history a checkpoint stands, by commit position (exact on the embedded store). */
function progressOf(checkpoint: Position | null, head: Position | null): number {
  if (checkpoint === null || head === null) return 0;
  const at = Number(positionParts(checkpoint).commit);
  const end = Number(positionParts(head).commit);
  return end === 0 ? 1 : Math.min(1, at / end);
}
