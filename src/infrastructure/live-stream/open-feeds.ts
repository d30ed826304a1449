/**
 * The open live feeds (SSE, WebSocket): opened through the process's one LiveFeedHub (started with
 * the application, so that a stream opened at `end` is live at once), and closed on shutdown so
 * that long-lived connections never hold the service up.
 */
import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Position } from '../../application/event-store/position';
import type { EventFilter } from '../../application/published-events/event-filter';
import { LiveFeedHub } from '../../application/published-events/live-feed-hub';
import type { OpenFeeds } from '../../application/published-events/open-event-stream';
import type { Feed } from '../../application/published-events/published-feed';
import { EVENT_STORE, type EventStore } from '../../application/ports/event-store.port';
import { nestOperationLog } from '../system/nest-operation-log';

@Injectable()
export class LiveFeeds implements OpenFeeds, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly feeds = new Set<Feed>();
  private readonly hub: LiveFeedHub;

  constructor(@Inject(EVENT_STORE) store: EventStore) {
    const log = nestOperationLog('LiveFeeds');
    this.hub = new LiveFeedHub(store, { maxBuffered: 10_000, retryMs: 1_000 }, (error) =>
      log.error(`live feed fold failed, restarting: ${error instanceof Error ? error.message : String(error)}`),
    );
  }

  onApplicationBootstrap(): void {
    this.hub.start();
  }

  open(from: Position | 'start' | 'end', filter: EventFilter): Feed {
    const feed = this.hub.open(from, filter);
    // Closed by the connection when it ends, or by the shutdown below, whichever comes first.
    const tracked: Feed = {
      [Symbol.asyncIterator]: () => feed[Symbol.asyncIterator](),
      close: () => {
        this.feeds.delete(tracked);
        return feed.close();
      },
    };
    this.feeds.add(tracked);
    return tracked;
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([...this.feeds].map((feed) => feed.close()));
    await this.hub.stop();
  }
}
