/**
 * Runs one WebhookWorker per active subscription with a URL, and restarts a subscription's worker
 * when its settings change (followed live from the `Subscription-` streams) or when an operator
 * replays its failed list or rewinds it (SubscriptionService stops the worker, records the action,
 * then starts it again, so the worker never writes a checkpoint over the operator's rewind).
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
import { type SubscriptionSecrets, type WebhookSender } from '../ports/webhook-delivery.port';

export const SUBSCRIPTION_STREAM_PREFIX = 'Subscription-';

/** The ids of every subscription ever registered (removed ones included). */
export async function subscriptionIds(store: EventStore): Promise<string[]> {
  const ids = new Set<string>();
  for (const recorded of await store.readAll({ filter: { streamPrefixes: [SUBSCRIPTION_STREAM_PREFIX] } }))
    ids.add(recorded.streamId.slice(SUBSCRIPTION_STREAM_PREFIX.length));
  return [...ids];
}

export async function loadSubscription(store: EventStore, subscriptionId: string): Promise<SubscriptionState> {
  return (await loadAggregate(store, subscriptionDecider, subscriptionStream(subscriptionId))).state;
}

export class WebhookDispatcher {
  private readonly workers = new Map<string, WebhookWorker>();
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
  ) {}

  async start(): Promise<void> {
    this.running = true;
    const head = await this.store.headPosition();
    for (const id of await subscriptionIds(this.store)) await this.restart(id);
    this.follower = this.store.subscribeToAll({
      from: head ?? 'start',
      filter: { streamPrefixes: [SUBSCRIPTION_STREAM_PREFIX] },
    });
    const follower = this.follower;
    this.following = (async () => {
      for await (const recorded of follower)
        await this.restart(recorded.streamId.slice(SUBSCRIPTION_STREAM_PREFIX.length));
    })().catch((error: unknown) =>
      this.log.error(`订阅设置的跟踪已停止：${error instanceof Error ? error.message : String(error)}`),
    );
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.follower?.close();
    await this.following;
    await Promise.all([...this.chains.values()]);
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
    if (state.status !== 'ACTIVE' || !state.url) return;
    const worker = new WebhookWorker(
      state,
      this.store,
      this.sender,
      this.secrets,
      this.clock,
      this.ids,
      this.options,
      this.log,
    );
    this.workers.set(subscriptionId, worker);
    worker.start();
  }
}
