/**
 * The figures operators watch (GET /metrics, Prometheus text format): commands by type and outcome,
 * appends and group commits, read-model and policy lag, webhook deliveries and failed lists,
 * rebuild progress. One registry per service (no global default registry): what the components
 * push is counted here as it happens; what they hold (lag, failed lists) is read at each scrape.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CommitMeasure } from '../event-store/commit-observer';

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const BATCH_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];

/** What a scrape reads from the components that hold it. */
export interface ObservedState {
  readonly projections: () => Promise<
    ReadonlyArray<{ projection: string; state: string; lagEvents: number; lagSeconds: number; progress: number }>
  >;
  readonly policies: () => Promise<ReadonlyArray<{ policy: string; lagEvents: number }>>;
  readonly failedLists: () => Promise<ReadonlyArray<{ subscription: string; size: number; oldestAgeSeconds: number }>>;
}

export class PlatformMetrics {
  readonly registry = new Registry();
  private readonly commands = new Counter({
    name: 'gov_commands_total',
    help: 'Commands handled, by command type and outcome (ACCEPTED, or the refusal code)',
    labelNames: ['command', 'outcome'],
    registers: [this.registry],
  });
  private readonly commandSeconds = new Histogram({
    name: 'gov_command_duration_seconds',
    help: 'Time to handle a command, by command type and outcome',
    labelNames: ['command', 'outcome'],
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly appendSeconds = new Histogram({
    name: 'gov_event_store_append_duration_seconds',
    help: 'From an append reaching the store to its commit (queueing for the group commit included)',
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly commitSeconds = new Histogram({
    name: 'gov_event_store_commit_duration_seconds',
    help: 'Time of one commit (transaction) of the event store',
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly commitAppends = new Histogram({
    name: 'gov_event_store_commit_appends',
    help: 'Appends per commit (the group commit batch size)',
    buckets: BATCH_BUCKETS,
    registers: [this.registry],
  });
  private readonly commitEvents = new Histogram({
    name: 'gov_event_store_commit_events',
    help: 'Events per commit',
    buckets: BATCH_BUCKETS,
    registers: [this.registry],
  });
  private readonly deliveries = new Counter({
    name: 'gov_webhook_deliveries_total',
    help: 'Webhook delivery attempts, by subscription and outcome (delivered, retried, failed)',
    labelNames: ['subscription', 'outcome'],
    registers: [this.registry],
  });

  private readonly leaseHeld = new Gauge({
    name: 'gov_lease_held',
    help: 'Whether this instance holds a singleton worker’s lease (1) or not (0), with the term it holds',
    labelNames: ['lease'],
    registers: [this.registry],
  });
  private readonly leaseTerm = new Gauge({
    name: 'gov_lease_term',
    help: 'The lease term this instance holds (0 when it holds none)',
    labelNames: ['lease'],
    registers: [this.registry],
  });
  private readonly leaseAcquisitions = new Counter({
    name: 'gov_lease_acquisitions_total',
    help: 'Leases this instance acquired (a takeover when another instance held the term before)',
    labelNames: ['lease'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'gov_' });
  }

  commandHandled(command: string, outcome: string, seconds: number): void {
    this.commands.inc({ command, outcome });
    this.commandSeconds.observe({ command, outcome }, seconds);
  }

  committed(commit: CommitMeasure): void {
    this.commitSeconds.observe(commit.commitSeconds);
    this.commitAppends.observe(commit.appends);
    this.commitEvents.observe(commit.events);
    // Each append of the batch waited at most as long as the first.
    for (let i = 0; i < commit.appends; i++) this.appendSeconds.observe(commit.waitedSeconds);
  }

  /** This instance's hold on a lease changed: acquired in `term`, or lost or released (null). */
  leaseChanged(lease: string, term: number | null): void {
    this.leaseHeld.set({ lease }, term === null ? 0 : 1);
    this.leaseTerm.set({ lease }, term ?? 0);
    if (term !== null) this.leaseAcquisitions.inc({ lease });
  }

  delivery(subscription: string, outcome: 'delivered' | 'retried' | 'failed'): void {
    this.deliveries.inc({ subscription, outcome });
  }

  /** Gauges read from the components at each scrape. */
  observe(state: ObservedState): void {
    const registers = [this.registry];
    const byProjection = ['projection', 'state'];
    // A registry collects its metrics at once: the gauges of one source share one reading of it.
    const projections = shared(state.projections);
    const failedLists = shared(state.failedLists);
    const gauge = <T>(
      name: string,
      help: string,
      labelNames: string[],
      read: () => Promise<readonly T[]>,
      sampleOf: (item: T) => [Record<string, string>, number],
    ) =>
      new Gauge({
        name,
        help,
        labelNames,
        registers,
        async collect() {
          this.reset();
          for (const item of await read()) this.set(...sampleOf(item));
        },
      });
    gauge(
      'gov_projection_lag_events',
      'Events of the history a read model has not applied yet (counted up to 10,000)',
      byProjection,
      projections,
      (p) => [{ projection: p.projection, state: p.state }, p.lagEvents],
    );
    gauge(
      'gov_projection_lag_seconds',
      'Age of the oldest event a read model has not applied yet',
      byProjection,
      projections,
      (p) => [{ projection: p.projection, state: p.state }, p.lagSeconds],
    );
    gauge(
      'gov_read_model_rebuild_progress_ratio',
      'How far a read model generation has come through the history (1 when caught up)',
      byProjection,
      projections,
      (p) => [{ projection: p.projection, state: p.state }, p.progress],
    );
    gauge(
      'gov_policy_lag_events',
      'Events the policies have not taken in yet (counted up to 10,000)',
      ['policy'],
      state.policies,
      (p) => [{ policy: p.policy }, p.lagEvents],
    );
    gauge('gov_webhook_failed_events', 'Events in a subscription’s failed list', ['subscription'], failedLists, (f) => [
      { subscription: f.subscription },
      f.size,
    ]);
    gauge(
      'gov_webhook_failed_oldest_age_seconds',
      'Age of the oldest entry of a subscription’s failed list (0 when empty)',
      ['subscription'],
      failedLists,
      (f) => [{ subscription: f.subscription }, f.oldestAgeSeconds],
    );
  }
}

/** One reading for the callers that ask while it is in flight (the gauges of one scrape). */
function shared<T>(read: () => Promise<T>): () => Promise<T> {
  let inFlight: Promise<T> | null = null;
  return () => {
    inFlight ??= read().finally(() => {
      inFlight = null;
    });
    return inFlight;
  };
}
