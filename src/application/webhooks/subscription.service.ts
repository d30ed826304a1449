/**
 * Subscriptions as a system admin manages them: register (the signing secret is shown once),
 * change, rotate the secret, pause, resume, remove; inspect the delivery state and the failed
 * list, replay it, rewind to a position. Authorization is the caller's (system admins only).
 */
import type { DomainEvent } from '../../domain/shared/decider';
import { RuleViolation } from '../../domain/shared/domain-error';
import {
  type SubscriptionCommand,
  type SubscriptionSettings,
  subscriptionDecider,
  subscriptionStream,
} from '../../domain/subscription/subscription.decider';
import { type CommandMetadata, type DeciderCommandRunner, envelopeOf } from '../commands/decider-command-runner';
import { toEventToAppend } from '../event-store/event-envelope';
import { ANY, type EventStore } from '../ports/event-store.port';
import { parsePosition, type Position } from '../event-store/position';
import type { Clock } from '../ports/clock.port';
import type { IdGenerator } from '../ports/id-generator.port';
import {
  type DeliveryLogEvent,
  type DeliveryState,
  deliveryStream,
  type FailedEntry,
  loadDeliveryState,
} from './delivery-log';
import { loadSubscription, subscriptionIds, type WebhookDispatcher } from './webhook-dispatcher';
import type { SubscriptionSecrets } from '../ports/webhook-delivery.port';

export interface SubscriptionView extends SubscriptionSettings {
  readonly subscriptionId: string;
  readonly status: 'ACTIVE' | 'PAUSED' | 'REMOVED';
  readonly secretVersion: number;
  readonly delivery: { readonly checkpoint: Position | null; readonly failed: number };
}

export class SubscriptionService {
  constructor(
    private readonly runner: DeciderCommandRunner,
    private readonly store: EventStore,
    private readonly secrets: SubscriptionSecrets,
    /** Null where this process does not deliver webhooks: actions are recorded and take effect where it runs. */
    private readonly dispatcher: WebhookDispatcher | null,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  async execute(
    command: SubscriptionCommand,
    metadata: CommandMetadata,
  ): Promise<{ subscription: SubscriptionView; secret?: string }> {
    const outcome = await this.runner.run(
      subscriptionDecider,
      subscriptionStream(command.data.subscriptionId),
      command,
      metadata,
    );
    const subscription = await this.get(command.data.subscriptionId);
    // The dispatcher follows the Subscription- streams; restarting here makes the change take effect before we answer.
    if (outcome.events.length > 0) await this.dispatcher?.restart(command.data.subscriptionId);
    const showsSecret = command.type === 'RegisterSubscription' || command.type === 'RotateSubscriptionSecret';
    return showsSecret
      ? { subscription, secret: this.secrets.secretOf(subscription.subscriptionId, subscription.secretVersion) }
      : { subscription };
  }

  async get(subscriptionId: string): Promise<SubscriptionView> {
    const state = await loadSubscription(this.store, subscriptionId);
    if (state.status === 'NONE')
      throw new RuleViolation('SUBSCRIPTION_NOT_FOUND', 'conflict', `订阅 ${subscriptionId} 不存在`, {
        subscriptionId,
      });
    const delivery = await this.deliveryOf(subscriptionId);
    const { status, subscriptionId: id, secretVersion, name, url, filter, grants, maxAttempts } = state;
    return {
      subscriptionId: id,
      status,
      secretVersion,
      name,
      url,
      filter,
      grants,
      maxAttempts,
      delivery: { checkpoint: delivery.checkpoint, failed: delivery.failed.size },
    };
  }

  async list(): Promise<SubscriptionView[]> {
    const views = await Promise.all((await subscriptionIds(this.store)).map((id) => this.get(id)));
    return views.filter((view) => view.status !== 'REMOVED');
  }

  async failed(subscriptionId: string): Promise<FailedEntry[]> {
    await this.get(subscriptionId);
    return [...(await this.deliveryOf(subscriptionId)).failed.values()];
  }

  /**
   * Sends failed events back for delivery. Whole streams at a time, in order: replaying one event
   * replays every failed event of its stream, since a later one may never overtake an earlier one.
   */
  async replay(
    subscriptionId: string,
    eventIds: readonly string[] | 'ALL',
    metadata: CommandMetadata,
  ): Promise<{ replayed: string[] }> {
    await this.get(subscriptionId);
    const run = async () => {
      const { failed } = await this.deliveryOf(subscriptionId);
      const unknown = eventIds === 'ALL' ? [] : eventIds.filter((id) => !failed.has(id));
      if (unknown.length > 0)
        throw new RuleViolation(
          'NOT_IN_FAILED_LIST',
          'unprocessable',
          `以下事件不在失败列表中：${unknown.join('、')}`,
          { eventIds: unknown },
        );
      const streams = new Set(
        eventIds === 'ALL'
          ? [...failed.values()].map((e) => e.streamId)
          : eventIds.map((id) => failed.get(id)!.streamId),
      );
      const replayed = [...failed.values()]
        .filter((entry) => streams.has(entry.streamId) && !entry.replaying)
        .map((entry) => entry.eventId);
      if (replayed.length > 0)
        await this.record(
          subscriptionId,
          { type: 'FailedDeliveriesReplayed', data: { subscriptionId, eventIds: replayed } },
          metadata,
        );
      return { replayed };
    };
    return this.dispatcher ? this.dispatcher.whileStopped(subscriptionId, run) : run();
  }

  /** Moves the subscription to a position (null or 'start': from the beginning); later events are delivered again. */
  async rewind(
    subscriptionId: string,
    to: string | null,
    metadata: CommandMetadata,
  ): Promise<{ from: Position | null; to: Position | null }> {
    await this.get(subscriptionId);
    let target: Position | null = null;
    if (to !== null && to !== 'start') {
      try {
        target = parsePosition(to);
      } catch {
        throw new RuleViolation(
          'INVALID_POSITION',
          'unprocessable',
          `位置 ${JSON.stringify(to)} 无效：应为事件的 position（如 SSE 的 id），或 start`,
          { to },
        );
      }
    }
    const run = async () => {
      const { checkpoint } = await this.deliveryOf(subscriptionId);
      await this.record(
        subscriptionId,
        { type: 'DeliveryRewound', data: { subscriptionId, from: checkpoint, to: target } },
        metadata,
      );
      return { from: checkpoint, to: target };
    };
    return this.dispatcher ? this.dispatcher.whileStopped(subscriptionId, run) : run();
  }

  private deliveryOf(subscriptionId: string): Promise<DeliveryState> {
    return loadDeliveryState(this.store, subscriptionId);
  }

  private async record(subscriptionId: string, event: DeliveryLogEvent, metadata: CommandMetadata): Promise<void> {
    const envelope = envelopeOf(metadata, this.clock.now(), metadata.correlationId ?? this.ids.next());
    await this.store.append(
      deliveryStream(subscriptionId),
      [toEventToAppend(this.ids.next(), event as unknown as DomainEvent, envelope)],
      ANY,
    );
  }
}
