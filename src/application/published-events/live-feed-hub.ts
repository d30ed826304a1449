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
import { EventScopeTracker, SCOPE_EVENT_TYPES, type ScopeChanges, type ScopeIndex } from './event-scope';
import { type Feed, type FeedItem, openFeed } from './published-feed';

/** A saved fold: its entries, and where it stands (the id of the event there, to check it is the same store); null if empty. */
export interface SavedScopes {
  readonly index: ScopeIndex;
  readonly at: { readonly position: Position; readonly eventId: string } | null;
}

/**
 * Where the hub keeps what it has folded, so that a start resumes from there instead of folding
 * the whole store again (minutes on a province). One process keeps it at a time: another gets
 * `held` and folds in memory. A saved fold that does not match the store (another store put in
 * place, a history restored) is discarded and the fold starts over.
 */
export interface ScopeSnapshots {
  load(): Promise<SavedScopes | 'held'>;
  /** Adds what was folded since the last save, with where the fold now stands, at one commit. */
  save(position: Position, eventId: string, changes: ScopeChanges): Promise<void>;
  /** Empties the saved fold (it is of another store, or a rebuild starts over). */
  discard(): Promise<void>;
  /** Lets another process keep it. */
  close(): Promise<void>;
}

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
  /** The fold as it stands, when it has moved since the last save. */
  private unsaved: { position: Position; eventId: string; tracker: EventScopeTracker } | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly store: EventStore,
    private readonly options: {
      readonly maxBuffered: number;
      readonly retryMs: number;
      /**
       * Save once caught up, then after each this many folded events (a save adds only what changed
       * since the last one: after a crash, the next start folds at most this many again).
       */
      readonly snapshotEvery?: number;
      /**
       * Milliseconds now (the application's clock): whether the fold has caught up is asked at most once
       * a second; without it the fold is saved only every `snapshotEvery` events and at stop.
       */
      readonly now?: () => number;
    } = { maxBuffered: 10_000, retryMs: 1_000 },
    private readonly onError: (error: unknown) => void = () => undefined,
    private readonly snapshots: ScopeSnapshots | null = null,
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
    // What was folded since the last save is kept, so that the next start resumes from here.
    await this.saveUnsaved().catch(this.onError);
    await this.snapshots?.close().catch(this.onError);
  }

  /**
   * Folds up to the head, saves and returns, without staying live: `cli rebuild` runs it, so that
   * the service's first start on a store resumes at its head instead of folding it all. `held`:
   * a running service keeps the fold (and keeps it current).
   */
  async catchUp(options: { readonly startOver: boolean; readonly pageSize?: number }): Promise<number | 'held'> {
    const loaded = await this.resume(options.startOver);
    if (loaded === 'held') return 'held';
    const tracker = new EventScopeTracker(loaded.index);
    let from: Position | 'start' = loaded.at?.position ?? 'start';
    // Only the events that change a scope: nobody listens, so no other needs a scope of its own.
    const filter = { eventTypes: [...SCOPE_EVENT_TYPES] };
    const pageSize = options.pageSize ?? 5_000;
    let folded = 0;
    let sinceSave = 0;
    for (;;) {
      const page = await this.store.readAll({ from, maxCount: pageSize, filter });
      for (const recorded of page) {
        const envelope = fromRecordedEvent(recorded);
        tracker.observe(envelope.type, envelope.data);
        this.unsaved = { position: recorded.position, eventId: recorded.eventId, tracker };
      }
      folded += page.length;
      sinceSave += page.length;
      if (sinceSave >= this.snapshotEvery) {
        await this.saveUnsaved();
        sinceSave = 0;
      }
      if (page.length < pageSize) break;
      from = page[page.length - 1].position;
      // SQLite answers synchronously: let the process do its other work (the CLI's progress) between pages.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await this.saveUnsaved();
    return folded;
  }

  /** The published events strictly after `from` that match `filter`, catch-up then live. */
  open(from: Position | 'start' | 'end', filter: EventFilter): Feed {
    if (from !== 'end') return openFeed(this.store, from, filter);
    // Started by the first feed at `end` unless the service started it with itself (LiveFeeds.warmUp).
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
        const loaded = await this.resume(false);
        // Stopped while the saved fold was read: no subscription to close, none to open.
        if (this.stopped) return;
        const keeping = loaded !== 'held';
        const tracker = new EventScopeTracker(keeping ? loaded.index : null);
        const from = (keeping && loaded.at?.position) || 'start';
        this.subscription = this.store.subscribeToAll({ from, filter: { eventTypes: PUBLISHED_TYPES } });
        let folded = 0;
        let saved = false;
        let askedAt = 0;
        for await (const recorded of this.subscription) {
          const envelope = fromRecordedEvent(recorded);
          const scope = tracker.observe(envelope.type, envelope.data);
          if (this.listeners.size > 0) this.deliver({ envelope, scope });
          folded++;
          if (!keeping) continue;
          this.unsaved = { position: recorded.position, eventId: recorded.eventId, tracker };
          // Once caught up (asked at most once a second), then after every so many events.
          const now = this.options.now?.() ?? 0;
          const ask = !saved && now - askedAt >= 1_000;
          if (ask) askedAt = now;
          if (folded >= this.snapshotEvery || (ask && (await this.caughtUpAt(recorded.position)))) {
            await this.saveUnsaved();
            folded = 0;
            saved = true;
          }
        }
      } catch (error) {
        if (this.stopped) return;
        this.onError(error);
        // What was folded since the last save is not saved: it may be what failed.
        this.unsaved = null;
      }
      // The fold starts over (from its last save): a listener cannot be served from a tracker with a gap.
      this.detachAll();
      if (!this.stopped) await new Promise((resolve) => setTimeout(resolve, this.options.retryMs));
    }
  }

  private get snapshotEvery(): number {
    return this.options.snapshotEvery ?? 50_000;
  }

  private async saveUnsaved(): Promise<void> {
    const unsaved = this.unsaved;
    if (!this.snapshots || !unsaved) return;
    await this.snapshots.save(unsaved.position, unsaved.eventId, unsaved.tracker.changes());
    unsaved.tracker.markSaved();
    this.unsaved = null;
  }

  /** The saved fold, if it matches this store (the event at its position is the one it names); otherwise it is emptied. */
  private async resume(startOver: boolean): Promise<SavedScopes | 'held'> {
    if (!this.snapshots) return 'held';
    const loaded = await this.snapshots.load();
    if (loaded === 'held' || loaded.at === null) return loaded;
    if (!startOver && (await this.sameStore(loaded.at))) return loaded;
    await this.snapshots.discard();
    return { index: loaded.index, at: null };
  }

  private async sameStore(saved: { readonly position: Position; readonly eventId: string }): Promise<boolean> {
    // The event just before the one after the saved position is the saved one, in the same store.
    const [after] = await this.store.readAll({ from: saved.position, maxCount: 1 });
    const [own] = await this.store.readAll({
      from: after ? after.position : 'end',
      direction: 'backwards',
      maxCount: 1,
    });
    return own?.eventId === saved.eventId && comparePositions(own.position, saved.position) === 0;
  }

  /** Nothing published after `position` yet: the fold is caught up. */
  private async caughtUpAt(position: Position): Promise<boolean> {
    const [next] = await this.store.readAll({ from: position, maxCount: 1, filter: { eventTypes: PUBLISHED_TYPES } });
    return next === undefined;
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
