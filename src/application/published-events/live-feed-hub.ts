/**
 * One fold of the published history for every live feed of a process. A feed opened at `end`
 * needs each new event's scope, which depends on the whole history before it; folding it per
 * connection made opening a stream cost as much as the store is long (minutes on a province).
 * The hub folds once, from the start, and stays live; a feed opened at `end` attaches to it and
 * receives what the hub folds after the head it saw at opening. A feed from a past position still
 * folds its own way (openFeed), since the hub's tracker stands at the head, not at that position.
 *
 * A feed that falls more than `maxBuffered` events behind is detached from the hub and continues,
 * without a gap, as a feed of its own from the last event it yielded: a slow consumer costs itself
 * a fold, never the hub's memory.
 */
import { fromRecordedEvent } from '../event-store/event-envelope';
import { comparePositions, type Position } from '../event-store/position';
import type { EventStore, Subscription } from '../ports/event-store.port';
import { PUBLISHED_EVENT_TYPES } from './catalog';
import { type EventFilter, matches } from './event-filter';
import { EventScopeTracker } from './event-scope';
import { type Feed, type FeedItem, openFeed } from './published-feed';

interface Listener {
  readonly after: Position | null;
  readonly filter: EventFilter;
  readonly queue: FeedItem[];
  detached: boolean;
  wake: (() => void) | null;
}

const PUBLISHED_TYPES = PUBLISHED_EVENT_TYPES.map((entry) => entry.type);

export class LiveFeedHub {
  private readonly listeners = new Set<Listener>();
  private subscription: Subscription | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly store: EventStore,
    private readonly options: { readonly maxBuffered: number; readonly retryMs: number } = {
      maxBuffered: 10_000,
      retryMs: 1_000,
    },
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  /** Starts the fold (idempotent); feeds opened before it has caught up wait for it. */
  start(): void {
    if (this.running || this.stopped) return;
    this.running = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.subscription?.close();
    await this.running;
    this.detachAll();
  }

  /** The published events strictly after `from` that match `filter`, catch-up then live. */
  open(from: Position | 'start' | 'end', filter: EventFilter): Feed {
    if (from !== 'end') return openFeed(this.store, from, filter);
    this.start();
    let closed = false;
    let listener: Listener | null = null;
    let fallback: Feed | null = null;
    const store = this.store;
    const listeners = this.listeners;
    async function* items(): AsyncGenerator<FeedItem> {
      const after = await store.headPosition();
      if (closed) return;
      const attached: Listener = { after, filter, queue: [], detached: false, wake: null };
      listener = attached;
      listeners.add(attached);
      let last: Position | null = after;
      try {
        for (;;) {
          const batch = attached.queue.splice(0);
          for (const item of batch) {
            last = item.envelope.position;
            yield item;
          }
          if (closed) return;
          if (attached.detached) break;
          if (attached.queue.length === 0) await new Promise<void>((resolve) => (attached.wake = resolve));
          attached.wake = null;
        }
      } finally {
        listeners.delete(attached);
      }
      // Detached (too far behind, or the hub stopped): the rest from our own fold, without a gap.
      if (closed) return;
      fallback = openFeed(store, last ?? 'start', filter);
      yield* fallback;
    }
    const iterator = items();
    return {
      [Symbol.asyncIterator]: () => iterator,
      close: async () => {
        closed = true;
        listener?.wake?.();
        await fallback?.close();
        await iterator.return(undefined);
      },
    };
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        this.subscription = this.store.subscribeToAll({ from: 'start', filter: { eventTypes: PUBLISHED_TYPES } });
        const tracker = new EventScopeTracker();
        for await (const recorded of this.subscription) {
          const envelope = fromRecordedEvent(recorded);
          const scope = tracker.observe(envelope.type, envelope.data);
          if (this.listeners.size > 0) this.deliver({ envelope, scope });
        }
      } catch (error) {
        if (this.stopped) return;
        this.onError(error);
      }
      // The fold must restart from the start: a listener cannot be served from a tracker with a gap.
      this.detachAll();
      if (!this.stopped) await new Promise((resolve) => setTimeout(resolve, this.options.retryMs));
    }
  }

  private deliver(item: FeedItem): void {
    const { envelope, scope } = item;
    for (const listener of this.listeners) {
      if (listener.detached) continue;
      if (listener.after !== null && comparePositions(envelope.position, listener.after) <= 0) continue;
      if (!matches(listener.filter, envelope.type, envelope.streamId, scope)) continue;
      if (listener.queue.length >= this.options.maxBuffered) listener.detached = true;
      else listener.queue.push(item);
      listener.wake?.();
    }
  }

  private detachAll(): void {
    for (const listener of this.listeners) {
      listener.detached = true;
      listener.wake?.();
    }
  }
}
