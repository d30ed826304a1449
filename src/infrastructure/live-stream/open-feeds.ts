/** The open live feeds (SSE, WebSocket), closed on shutdown so that long-lived connections never hold the service up. */
import { type BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import type { OpenFeeds } from '../../application/published-events/open-event-stream';
import type { Feed } from '../../application/published-events/published-feed';

@Injectable()
export class LiveFeeds implements OpenFeeds, BeforeApplicationShutdown {
  private readonly open = new Set<Feed>();

  track(feed: Feed): Feed {
    // Closed by the connection when it ends, or by the shutdown below, whichever comes first.
    const tracked: Feed = {
      [Symbol.asyncIterator]: () => feed[Symbol.asyncIterator](),
      close: () => {
        this.open.delete(tracked);
        return feed.close();
      },
    };
    this.open.add(tracked);
    return tracked;
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([...this.open].map((feed) => feed.close()));
  }
}
