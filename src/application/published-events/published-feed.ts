/**
 * The published events after a position, catch-up then live, filtered: what SSE, WebSocket and
 * webhook delivery read. The scope of each event (the org nodes it concerns) depends on the history
 * before it, so the feed folds the published events from the start of the store and yields only
 * those after `from`; a subscriber resuming anywhere gets exactly the events it would have got live.
 */
import { type EventEnvelope, fromRecordedEvent } from '../event-store/event-envelope';
import type { EventStore, Subscription } from '../ports/event-store.port';
import { comparePositions, type Position } from '../event-store/position';
import { PUBLISHED_EVENT_TYPES } from './catalog';
import { type EventFilter, matches } from './event-filter';
import { type EventScope, EventScopeTracker } from './event-scope';

export interface FeedItem {
  readonly envelope: EventEnvelope;
  readonly scope: EventScope;
}

export interface Feed extends AsyncIterable<FeedItem> {
  close(): Promise<void>;
}

const PUBLISHED_TYPES = PUBLISHED_EVENT_TYPES.map((entry) => entry.type);

/**
 * Opens a feed of the published events strictly after `from` ('start' for all of them, 'end' for
 * only those appended from now on) that match `filter`.
 */
export function openFeed(store: EventStore, from: Position | 'start' | 'end', filter: EventFilter): Feed {
  let subscription: Subscription | null = null;
  let closed = false;
  async function* items(): AsyncGenerator<FeedItem> {
    const after = from === 'end' ? await store.headPosition() : from === 'start' ? null : from;
    if (closed) return;
    subscription = store.subscribeToAll({ from: 'start', filter: { eventTypes: PUBLISHED_TYPES } });
    const tracker = new EventScopeTracker();
    for await (const recorded of subscription) {
      const envelope = fromRecordedEvent(recorded);
      const scope = tracker.observe(envelope.type, envelope.data);
      if (after !== null && comparePositions(recorded.position, after) <= 0) continue;
      if (matches(filter, envelope.type, envelope.streamId, scope)) yield { envelope, scope };
    }
  }
  const iterator = items();
  return {
    [Symbol.asyncIterator]: () => iterator,
    close: async () => {
      closed = true;
      await subscription?.close();
      await iterator.return(undefined);
    },
  };
}
