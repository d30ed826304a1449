/**
 * Delivers one subscription's events to its URL: in order within each stream, several streams at
 * once, each failed attempt retried after an exponentially growing, jittered pause, and after the
 * subscription's last attempt moved to the failed list with the rest of its stream held behind it
 * (so nothing is ever delivered out of order and nothing is dropped). Progress is written to the
 * delivery log (delivery-log.ts); a restart resumes from the last checkpoint.
 *
 * Leased (issue 25): a worker run in a term of the subscription's lease first claims the log for
 * its term, then writes at the revisions it knows. A write refused because the log moved on
 * interrupts it: deposed when a later term claimed the log, otherwise an operator's replay or
 * rewind made on another instance, and it is started again from the record.
 */
import type { DomainEvent } from '../../domain/shared/decider';
import type { SubscriptionSettings } from '../../domain/subscription/subscription.decider';
import { envelopeOf } from '../commands/decider-command-runner';
import { type EventEnvelope, fromRecordedEvent, toEventToAppend } from '../event-store/event-envelope';
import { ANY, type EventStore, NO_STREAM } from '../ports/event-store.port';
import { WrongExpectedVersionError } from '../event-store/event-store.errors';
import type { JsonObject } from '../event-store/json';
import type { Position } from '../event-store/position';
import type { Clock } from '../ports/clock.port';
import type { OperationLog } from '../ports/operation-log.port';
import type { IdGenerator } from '../ports/id-generator.port';
import type { PersonalField } from '../published-events/catalog';
import type { EventScope } from '../published-events/event-scope';
import { openFeed, type Feed } from '../published-events/published-feed';
import { toPublicEvent } from '../published-events/public-event';
import {
  type DeliveryLogEvent,
  type DeliveryState,
  deliveryStream,
  evolveDelivery,
  type FailedEntry,
  initialDeliveryState,
  loadDeliveryLog,
  parkedStreams,
} from './delivery-log';
import {
  ATTEMPT_HEADER,
  EVENT_ID_HEADER,
  EVENT_TYPE_HEADER,
  SIGNATURE_HEADER,
  signatureOf,
  SUBSCRIPTION_HEADER,
  TIMESTAMP_HEADER,
} from './signature';
import type { SubscriptionSecrets, WebhookSender } from '../ports/webhook-delivery.port';
import { NO_TRACING, type Tracing } from '../ports/tracing.port';

export interface DeliveryOptions {
  readonly jurisdiction: string;
  /** Streams delivered at once (each stream one event at a time). */
  readonly concurrency: number;
  readonly timeoutMs: number;
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
  readonly checkpointIntervalMs: number;
  /** Events read ahead of the oldest unsettled one. */
  readonly lookahead: number;
  /** Each attempt is a span of the trace its event carries, sent on as the `traceparent` header. */
  readonly tracing?: Tracing;
  /** Told of every delivery attempt's outcome (the metrics). */
  readonly onAttempt?: (subscriptionId: string, outcome: 'delivered' | 'retried' | 'failed') => void;
}

/** The lease term a worker runs in, and whom to tell when a refused write interrupts it. */
export interface DeliveryLease {
  readonly term: number;
  onInterrupted(deposed: boolean): void;
}

export interface ActiveSubscription extends SubscriptionSettings {
  readonly subscriptionId: string;
  readonly secretVersion: number;
}

interface Item {
  readonly eventId: string;
  readonly streamId: string;
  readonly position: Position;
  envelope: EventEnvelope | null;
  readonly orgNodeIds: readonly string[];
  /** A live item's place in the settle order; null for a replayed failed entry. */
  readonly slot: { settled: boolean; readonly position: Position } | null;
  attempts: number;
  lastError: string;
  readonly replayOf: FailedEntry | null;
}

export function backoffDelay(
  attempts: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(exponential * (0.8 + 0.4 * random()));
}

export class WebhookWorker {
  private state: DeliveryState = initialDeliveryState();
  private parked = new Set<string>();
  private readonly slots: { settled: boolean; readonly position: Position }[] = [];
  private readonly queues = new Map<string, Item[]>();
  private readonly ready = new Set<string>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private readonly inFlight = new Set<Promise<void>>();
  private active = 0;
  private stopped = false;
  private feed: Feed | null = null;
  private run: Promise<void> | null = null;
  private writes: Promise<unknown> = Promise.resolve();
  /** A delivery-log write failed: stop, so that nothing is checkpointed past an unrecorded failure. */
  private broken = false;
  private settledUpTo: Position | null = null;
  private savedCheckpoint: Position | null = null;
  private lastCheckpointAt = 0;
  private roomWaiter: (() => void) | null = null;
  private readonly grants: ReadonlySet<PersonalField>;
  /** The log's revision as this worker knows it (leased: it writes there); null before the log exists. */
  private revision: bigint | null = null;
  private loaded: bigint | undefined;

  constructor(
    private readonly subscription: ActiveSubscription,
    private readonly store: EventStore,
    private readonly sender: WebhookSender,
    private readonly secrets: SubscriptionSecrets,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly options: DeliveryOptions,
    private readonly log: OperationLog,
    private readonly lease: DeliveryLease | null = null,
  ) {
    this.grants = new Set(subscription.grants);
  }

  /** The revision of the delivery log this worker started from (-1: none yet), once it has read it. */
  get loadedRevision(): bigint | undefined {
    return this.loaded;
  }

  start(): void {
    this.run = this.loop().catch((error: unknown) => {
      if (!this.stopped)
        this.log.error(
          `订阅 ${this.subscription.subscriptionId} 的推送已停止：${error instanceof Error ? error.message : String(error)}`,
        );
    });
  }

  /** Stops reading and retrying; what is in flight runs on. */
  private async halt(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.roomWaiter?.();
    await this.feed?.close();
  }

  /** Stops reading, lets deliveries in flight finish, writes the checkpoint. */
  async stop(): Promise<void> {
    await this.halt();
    await this.run;
    await Promise.all(this.inFlight);
    this.checkpoint(true);
    await this.writes;
  }

  private async loop(): Promise<void> {
    const recorded = await loadDeliveryLog(this.store, this.subscription.subscriptionId);
    this.state = recorded.state;
    this.revision = recorded.revision;
    this.loaded = recorded.revision ?? -1n;
    if (this.lease) {
      this.append([
        { type: 'DeliveryClaimed', data: { subscriptionId: this.subscription.subscriptionId, term: this.lease.term } },
      ]);
      await this.writes;
    }
    // Stopped while reading the log or claiming it: no feed is opened that nothing would close.
    if (this.stopped || this.broken) return;
    this.parked = parkedStreams(this.state);
    this.settledUpTo = this.savedCheckpoint = this.state.checkpoint;
    for (const entry of this.state.failed.values()) {
      if (entry.replaying)
        this.enqueue({
          eventId: entry.eventId,
          streamId: entry.streamId,
          position: entry.position,
          envelope: null,
          orgNodeIds: entry.orgNodeIds,
          slot: null,
          attempts: 0,
          lastError: '',
          replayOf: entry,
        });
    }
    this.pump();
    this.feed = openFeed(this.store, this.state.checkpoint ?? 'start', this.subscription.filter);
    for await (const { envelope, scope } of this.feed) {
      if (this.stopped) break;
      const slot = { settled: false, position: envelope.position };
      this.slots.push(slot);
      if (this.state.failed.has(envelope.eventId)) {
        slot.settled = true; // already in the failed list (recorded before a restart)
      } else if (this.parked.has(envelope.streamId)) {
        this.recordFailed([this.itemOf(envelope, scope, slot)], this.firstFailedOf(envelope.streamId));
        slot.settled = true;
      } else {
        this.enqueue(this.itemOf(envelope, scope, slot));
        this.pump();
      }
      this.advance();
      while (!this.stopped && this.slots.length >= this.options.lookahead)
        await new Promise<void>((resolve) => (this.roomWaiter = resolve));
    }
  }

  private itemOf(envelope: EventEnvelope, scope: EventScope, slot: Item['slot']): Item {
    return {
      eventId: envelope.eventId,
      streamId: envelope.streamId,
      position: envelope.position,
      envelope,
      orgNodeIds: scope.orgNodeIds,
      slot,
      attempts: 0,
      lastError: '',
      replayOf: null,
    };
  }

  private enqueue(item: Item): void {
    const queue = this.queues.get(item.streamId);
    if (queue) queue.push(item);
    else {
      this.queues.set(item.streamId, [item]);
      this.ready.add(item.streamId);
    }
  }

  private pump(): void {
    for (const streamId of this.ready) {
      if (this.stopped || this.active >= this.options.concurrency) return;
      this.ready.delete(streamId);
      this.active++;
      const attempt = this.deliverHead(streamId)
        .catch((error: unknown) =>
          this.log.error(
            `订阅 ${this.subscription.subscriptionId}：流 ${streamId} 的投递出错：${error instanceof Error ? error.message : String(error)}`,
          ),
        )
        .finally(() => {
          this.active--;
          this.inFlight.delete(attempt);
        });
      this.inFlight.add(attempt);
    }
  }

  private async deliverHead(streamId: string): Promise<void> {
    const queue = this.queues.get(streamId)!;
    const item = queue[0];
    const envelope = (item.envelope ??= await this.reload(item));
    item.attempts++;
    const body = JSON.stringify(
      toPublicEvent(item.envelope, { orgNodeIds: item.orgNodeIds, within: new Set() }, this.grants),
    );
    const timestamp = Math.floor(this.clock.now().getTime() / 1000);
    let ok = false;
    const tracing = this.options.tracing ?? NO_TRACING;
    const attributes = {
      'gov.subscription': this.subscription.subscriptionId,
      'gov.event.id': item.eventId,
      'gov.delivery.attempt': item.attempts,
    };
    try {
      const status = await tracing.span('webhook delivery', 'client', envelope.traceparent, attributes, (traceparent) =>
        this.sender.post(
          this.subscription.url!,
          body,
          {
            ...(traceparent ? { traceparent } : {}),
            'content-type': 'application/json; charset=utf-8',
            [EVENT_ID_HEADER]: item.eventId,
            [EVENT_TYPE_HEADER]: envelope.type,
            [ATTEMPT_HEADER]: String(item.attempts),
            [SUBSCRIPTION_HEADER]: this.subscription.subscriptionId,
            [TIMESTAMP_HEADER]: String(timestamp),
            [SIGNATURE_HEADER]: signatureOf(
              this.secrets.secretOf(this.subscription.subscriptionId, this.subscription.secretVersion),
              timestamp,
              body,
            ),
          },
          this.options.timeoutMs,
        ),
      );
      ok = status >= 200 && status < 300;
      // The class of the answer only: the failed list must not let anyone read what a receiver answers.
      if (!ok) item.lastError = `接收方未确认接收（${Math.floor(status / 100)}xx）`;
    } catch (error) {
      // The sender's own refusals and timeouts say what happened; a system error (ECONNREFUSED, a DNS
      // failure…) would describe the receiver's network, so it is told in general terms.
      const system = typeof (error as { code?: unknown }).code === 'string';
      item.lastError = system || !(error instanceof Error) ? '无法连接接收方' : error.message;
    }
    const outcome = ok ? 'delivered' : item.attempts >= this.subscription.maxAttempts ? 'failed' : 'retried';
    this.options.onAttempt?.(this.subscription.subscriptionId, outcome);
    if (ok) {
      queue.shift();
      this.settle(item);
    } else if (item.attempts >= this.subscription.maxAttempts) {
      this.log.warn(
        `订阅 ${this.subscription.subscriptionId}：事件 ${item.eventId} 投递 ${item.attempts} 次失败（${item.lastError}），已移入失败列表，流 ${streamId} 的后续事件随之暂停`,
      );
      this.recordFailed(queue.splice(0), item.eventId);
      this.parked.add(streamId);
    } else if (!this.stopped) {
      const timer = setTimeout(
        () => {
          this.timers.delete(timer);
          this.ready.add(streamId);
          this.pump();
        },
        backoffDelay(item.attempts, this.options.backoffBaseMs, this.options.backoffMaxMs),
      );
      this.timers.add(timer);
      return;
    }
    if (queue.length > 0) this.ready.add(streamId);
    else this.queues.delete(streamId);
    this.pump();
  }

  private async reload(item: Item): Promise<EventEnvelope> {
    const [recorded] = await this.store.readStream(item.streamId, {
      from: BigInt(item.replayOf!.revision),
      maxCount: 1,
    });
    if (!recorded || recorded.eventId !== item.eventId)
      throw new Error(`事件 ${item.eventId} 不在流 ${item.streamId} 的版本 ${item.replayOf!.revision}`);
    return fromRecordedEvent(recorded);
  }

  private settle(item: Item): void {
    if (item.slot) {
      item.slot.settled = true;
      this.advance();
    } else {
      this.append([
        {
          type: 'FailedDeliveriesCleared',
          data: { subscriptionId: this.subscription.subscriptionId, eventIds: [item.eventId] },
        },
      ]);
    }
  }

  /** The head failed for good: it and everything queued behind it in its stream go to the failed list. */
  private recordFailed(items: readonly Item[], headId: string): void {
    const failedAt = this.clock.now().toISOString();
    const events: DeliveryLogEvent[] = items.map((item) => ({
      type: 'DeliveryFailed',
      data: {
        subscriptionId: this.subscription.subscriptionId,
        eventId: item.eventId,
        eventType: item.envelope?.type ?? item.replayOf!.eventType,
        streamId: item.streamId,
        revision: item.envelope?.revision.toString() ?? item.replayOf!.revision,
        position: item.position,
        orgNodeIds: [...item.orgNodeIds],
        attempts: item.attempts,
        lastError: item.eventId === headId ? item.lastError : `等待同一流中先前失败的事件 ${headId}`,
        failedAt,
        heldBehind: item.eventId === headId ? null : headId,
      },
    }));
    for (const event of events)
      this.state = evolveDelivery(this.state, event as unknown as { type: string; data: JsonObject });
    this.append(events);
    for (const item of items) if (item.slot) item.slot.settled = true;
    this.advance();
  }

  private firstFailedOf(streamId: string): string {
    for (const entry of this.state.failed.values())
      if (entry.streamId === streamId) return entry.heldBehind ?? entry.eventId;
    return '';
  }

  private advance(): void {
    while (this.slots.length > 0 && this.slots[0].settled) this.settledUpTo = this.slots.shift()!.position;
    if (this.roomWaiter && this.slots.length < this.options.lookahead) {
      const wake = this.roomWaiter;
      this.roomWaiter = null;
      wake();
    }
    this.checkpoint(false);
  }

  private checkpoint(force: boolean): void {
    const now = this.clock.now().getTime();
    if (this.settledUpTo === null || this.settledUpTo === this.savedCheckpoint) return;
    if (!force && now - this.lastCheckpointAt < this.options.checkpointIntervalMs) return;
    this.lastCheckpointAt = now;
    this.savedCheckpoint = this.settledUpTo;
    this.append([
      {
        type: 'DeliveryCheckpointed',
        data: { subscriptionId: this.subscription.subscriptionId, position: this.settledUpTo },
      },
    ]);
  }

  /** Delivery-log writes in the order they were made: a failure is on record before a checkpoint past it. */
  private append(events: readonly DeliveryLogEvent[]): void {
    const metadata = envelopeOf(
      { actor: { accountId: 'system:webhooks', role: 'SYSTEM' }, jurisdiction: this.options.jurisdiction },
      this.clock.now(),
      this.ids.next(),
    );
    const toAppend = events.map((event) => toEventToAppend(this.ids.next(), event as unknown as DomainEvent, metadata));
    const stream = deliveryStream(this.subscription.subscriptionId);
    this.writes = this.writes
      .then(async () => {
        if (this.broken) return;
        const expected = this.lease ? (this.revision ?? NO_STREAM) : ANY;
        this.revision = (await this.store.append(stream, toAppend, expected)).nextExpectedRevision;
      })
      .catch(async (error: unknown) => {
        this.broken = true;
        if (this.lease && error instanceof WrongExpectedVersionError) return this.interrupted(this.lease);
        this.log.error(
          `订阅 ${this.subscription.subscriptionId} 的投递记录写入失败，推送暂停至服务重启：${error instanceof Error ? error.message : String(error)}`,
        );
        void this.halt();
      });
  }

  /** The log moved on under this worker: a later term claimed it (deposed), or an operator acted on it. */
  private async interrupted(lease: DeliveryLease): Promise<void> {
    await this.halt();
    const deposed = (await loadDeliveryLog(this.store, this.subscription.subscriptionId)).term > lease.term;
    const id = this.subscription.subscriptionId;
    if (deposed) this.log.warn(`订阅 ${id} 的推送第 ${lease.term} 任期已被接替，停止推送`);
    else this.log.info(`订阅 ${id} 的投递记录已被操作员更改，按记录重新开始推送`);
    lease.onInterrupted(deposed);
  }
}
