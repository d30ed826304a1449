/**
 * The open live feeds (SSE, WebSocket): opened through the process's one LiveFeedHub (warmed up by
 * the service, so that a stream opened at `end` is live at once), and closed on shutdown so that
 * long-lived connections never hold the service up.
 */
import { type BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import type { Position } from '../../application/event-store/position';
import type { EventFilter } from '../../application/published-events/event-filter';
import { LiveFeedHub } from '../../application/published-events/live-feed-hub';
import type { OpenFeeds } from '../../application/published-events/open-event-stream';
import type { Feed } from '../../application/published-events/published-feed';
import { EVENT_STORE, type EventStore } from '../../application/ports/event-store.port';
import { CLOCK, type Clock } from '../../application/ports/clock.port';
import { nestOperationLog } from '../system/nest-operation-log';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { liveFeedScopeIndex } from './scope-index-file';

@Injectable()
export class LiveFeeds implements OpenFeeds, BeforeApplicationShutdown {
  private readonly feeds = new Set<Feed>();
  private readonly hub: LiveFeedHub;

  constructor(
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(CLOCK) clock: Clock,
  ) {
    const log = nestOperationLog('LiveFeeds');
    // On the embedded default the fold is kept beside the store it folds; on EventStoreDB each instance folds anew.
    const snapshots = config.esdbConnectionString ? null : liveFeedScopeIndex(config.dataDir);
    this.hub = new LiveFeedHub(
      store,
      { maxBuffered: 10_000, retryMs: 1_000, now: () => clock.now().getTime() },
      (error) =>
        log.error(`live feed fold failed, restarting: ${error instanceof Error ? error.message : String(error)}`),
      snapshots,
    );
  }

  /**
   * Starts the fold now rather than at the first stream opened at `end`: the service does (main.ts),
   * so that such a stream is live at once; the CLI's short-lived processes do not fold at all.
   */
  warmUp(): void {
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
