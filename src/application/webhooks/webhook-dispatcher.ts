/**
 * Runs one WebhookWorker per active subscription with a URL, and restarts a subscription's worker
 * when its settings change (followed live from the `Subscription-` streams) or when an operator
 * replays its failed list or rewinds it (SubscriptionService stops the worker, records the action,
 * then starts it again, so the worker never writes a checkpoint over the operator's rewind).
 *
 * With several instances (issue 25), each subscription's delivery is a leased worker: it runs in
 * the one instance holding `webhooks-<subscription>`, in that lease's term. An operator's replay or
 * rewind may be recorded by any instance; the holder follows the delivery logs and starts its
 * worker again from the record when one it had not read comes in.
 */
import { loadAggregate } from '../commands/decider-command-runner';
import type { EventStore, Subscription } from '../ports/event-store.port';
import type { Clock } from '../ports/clock.port';
import type { IdGenerator } from '../ports/id-generator.port';
import {
  type SubscriptionState,
  subscriptionDecider,
  subscriptionStream,
} from '../../domain/subscription/subscription.decider';
import type { OperationLog } from '../ports/operation-log.port';
import { type DeliveryOptions, WebhookWorker } from './webhook-worker';
import type { LeasedWorker, LeaseHolder } from '../leases/lease-holder';
import { DELIVERY_STREAM_PREFIX, OPERATOR_ACTIONS } from './delivery-log';
import { type SubscriptionSecrets, type WebhookSender } from '../ports/webhook-delivery.port';

export const SUBSCRIPTION_STREAM_PREFIX = 'Subscription-';

/** A subscription's lease: started, it runs the worker whenever this instance holds it. */
export type DeliveryLeaseHolder = Pick<LeaseHolder, 'heldTerm' | 'start' | 'stop'>;

/** Makes the lease holder of a subscription's delivery, running `worker` in its terms. */
export type DeliveryLeases = (subscriptionId: string, worker: LeasedWorker) => DeliveryLeaseHolder;

/** The ids of every subscription ever registered (removed ones included). */
export async function subscriptionIds(store: EventStore): Promise<string[]> {
  const streams = await store.streamIds(SUBSCRIPTION_STREAM_PREFIX);
  return streams.map((streamId) => streamId.slice(SUBSCRIPTION_STREAM_PREFIX.length));
}

export async function loadSubscription(store: EventStore, subscriptionId: string): Promise<SubscriptionState> {
  return (await loadAggregate(store, subscriptionDecider, subscriptionStream(subscriptionId))).state;
}

/** An active subscription with a URL: what a worker delivers. */
function deliverable(state: SubscriptionState): state is Exclude<SubscriptionState, { status: 'NONE' }> {
  return state.status === 'ACTIVE' && !!state.url;
}

export class WebhookDispatcher {
  private readonly workers = new Map<string, WebhookWorker>();
  private readonly leases = new Map<string, DeliveryLeaseHolder>();
  /** Per subscription, the restart in progress: restarts of one subscription never overlap. */
  private readonly chains = new Map<string, Promise<void>>();
  private follower: Subscription | null = null;
  private following: Promise<void> | null = null;
  private running = false;

  constructor(
    private readonly store: EventStore,
    private readonly sender: WebhookSender,
    private readonly secrets: SubscriptionSecrets,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly options: DeliveryOptions,
    private readonly log: OperationLog,
    /** Absent: this instance delivers every subscription (one instance, or the tools). */
    private readonly leasing: DeliveryLeases | null = null,
  ) {}

  async start(): Promise<void> {
    this.running = true;
    const head = await this.store.headPosition();
    for (const id of await subscriptionIds(this.store)) await this.restart(id);
    this.follower = this.store.subscribeToAll({
      from: head ?? 'start',
      filter: { streamPrefixes: [SUBSCRIPTION_STREAM_PREFIX, DELIVERY_STREAM_PREFIX] },
    });
    const follower = this.follower;
    this.following = (async () => {
      for await (const recorded of follower) {
        if (recorded.streamId.startsWith(DELIVERY_STREAM_PREFIX)) {
          const id = recorded.streamId.slice(DELIVERY_STREAM_PREFIX.length);
          if (OPERATOR_ACTIONS.has(recorded.type)) await this.restartIfBehind(id, recorded.revision);
        } else await this.restart(recorded.streamId.slice(SUBSCRIPTION_STREAM_PREFIX.length));
      }
    })().catch((error: unknown) =>
      this.log.error(`订阅设置的跟踪已停止：${error instanceof Error ? error.message : String(error)}`),
    );
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.follower?.close();
    await this.following;
    await Promise.all([...this.chains.values()]);
    // Each lease stops its worker and is released: another instance takes the subscription over at once.
    await Promise.all([...this.leases.values()].map((lease) => lease.stop()));
    this.leases.clear();
    await Promise.all([...this.workers.values()].map((worker) => worker.stop()));
    this.workers.clear();
  }

  /** Stops the subscription's worker, runs `action`, then starts the worker again from what is on record. */
  async whileStopped<T>(subscriptionId: string, action: () => Promise<T>): Promise<T> {
    let result!: T;
    await this.serialized(subscriptionId, async () => {
      await this.workers.get(subscriptionId)?.stop();
      this.workers.delete(subscriptionId);
      try {
        result = await action();
      } finally {
        await this.startIfActive(subscriptionId);
      }
    });
    return result;
  }

  restart(subscriptionId: string): Promise<void> {
    return this.whileStopped(subscriptionId, async () => undefined);
  }

  /** An operator's action recorded (here or on another instance) that the running worker has not read. */
  private async restartIfBehind(subscriptionId: string, revision: bigint): Promise<void> {
    const loaded = this.workers.get(subscriptionId)?.loadedRevision;
    // No worker here, or one still reading the log (it will read this too), or one that read it.
    if (loaded === undefined || loaded >= revision) return;
    await this.restart(subscriptionId);
  }

  private serialized(subscriptionId: string, work: () => Promise<void>): Promise<void> {
    const next = (this.chains.get(subscriptionId) ?? Promise.resolve()).then(work);
    const settled = next.catch(() => undefined);
    this.chains.set(subscriptionId, settled);
    void settled.then(() => {
      if (this.chains.get(subscriptionId) === settled) this.chains.delete(subscriptionId);
    });
    return next;
  }

  private async startIfActive(subscriptionId: string): Promise<void> {
    if (!this.running) return;
    const state = await loadSubscription(this.store, subscriptionId);
    if (!this.leasing) {
      this.launch(state, null);
      return;
    }
    const lease = this.leases.get(subscriptionId);
    if (!deliverable(state)) {
      // Removed or paused: its lease is given up.
      this.leases.delete(subscriptionId);
      await lease?.stop();
    } else if (lease) {
      if (lease.heldTerm !== null) this.launch(state, lease.heldTerm);
    } else {
      const held = this.leasing(subscriptionId, {
        start: async (term) => this.launch(await loadSubscription(this.store, subscriptionId), term),
        stop: async () => {
          await this.workers.get(subscriptionId)?.stop();
          this.workers.delete(subscriptionId);
        },
      });
      this.leases.set(subscriptionId, held);
      await held.start();
    }
  }

  /** Starts the subscription's worker (in a lease term, or unleased), unless one runs already. */
  private launch(state: SubscriptionState, term: number | null): void {
    if (!this.running || !deliverable(state) || this.workers.has(state.subscriptionId)) return;
    const subscriptionId = state.subscriptionId;
    const lease =
      term === null
        ? null
        : {
            term,
            // Deposed: the lease holder finds out at its next renewal and stops. Else start again from the record.
            onInterrupted: (deposed: boolean) => void (deposed ? undefined : this.restart(subscriptionId)),
          };
    const worker = new WebhookWorker(
      state,
      this.store,
      this.sender,
      this.secrets,
      this.clock,
      this.ids,
      this.options,
      this.log,
      lease,
    );
    this.workers.set(subscriptionId, worker);
    worker.start();
  }
}
