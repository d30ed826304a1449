/**
 * What SSE and WebSocket share: who may read (system admins, or a subscription's own service
 * credential `service:subscriber-<id>`), which events (the query's filter, or the subscription's),
 * which personal fields (the subscription's grants; none without one), from where (Last-Event-ID,
 * `from`: a position, `start` or `end`, default `end`), and the open feeds, closed on shutdown so
 * that long-lived connections never hold the service up.
 */
import { type BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import { AccessControl } from '../../application/access/access-control';
import { EVENT_STORE, type EventStore } from '../../application/ports/event-store.port';
import { parsePosition, type Position } from '../../application/event-store/position';
import type { PersonalField } from '../../application/published-events/catalog';
import {
  type EventFilter,
  InvalidSubscriberRequest,
  parseEventFilter,
} from '../../application/published-events/event-filter';
import { type Feed, openFeed } from '../../application/published-events/published-feed';
import { SubscriptionService } from '../../application/webhooks/subscription.service';
import type { Principal } from '../../domain/access/access-policy';

export interface StreamQuery {
  readonly types?: unknown;
  readonly streamPrefixes?: unknown;
  readonly orgSubtrees?: unknown;
  readonly subscription?: unknown;
  readonly from?: unknown;
}

export interface OpenedStream {
  readonly feed: Feed;
  readonly grants: ReadonlySet<PersonalField>;
  readonly filter: EventFilter;
}

@Injectable()
export class EventStreamAccess implements BeforeApplicationShutdown {
  private readonly open = new Set<Feed>();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SubscriptionService) private readonly subscriptions: SubscriptionService,
    @Inject(AccessControl) private readonly access: AccessControl,
  ) {}

  async openStream(principal: Principal, query: StreamQuery, lastEventId: string | undefined): Promise<OpenedStream> {
    const subscriptionId =
      typeof query.subscription === 'string' && query.subscription.trim() !== '' ? query.subscription.trim() : null;
    this.access.authorize(principal, { kind: 'EVENT_STREAM', subscriptionId });
    let filter: EventFilter;
    let grants: PersonalField[] = [];
    if (subscriptionId) {
      const subscription = await this.subscriptions.get(subscriptionId);
      if (subscription.status === 'REMOVED')
        throw new InvalidSubscriberRequest('SUBSCRIPTION_NOT_FOUND', `订阅 ${subscriptionId} 已删除`);
      filter = subscription.filter;
      grants = subscription.grants;
    } else {
      filter = parseEventFilter(query);
    }
    const from = this.positionOf(lastEventId ?? query.from);
    const feed = openFeed(this.store, from, filter);
    // Closed by the connection when it ends, or by the shutdown below, whichever comes first.
    const tracked: Feed = {
      [Symbol.asyncIterator]: () => feed[Symbol.asyncIterator](),
      close: () => {
        this.open.delete(tracked);
        return feed.close();
      },
    };
    this.open.add(tracked);
    return { feed: tracked, grants: new Set(grants), filter };
  }

  private positionOf(value: unknown): Position | 'start' | 'end' {
    if (value === undefined || value === null || value === '' || value === 'end') return 'end';
    if (value === 'start') return 'start';
    try {
      return parsePosition(String(value));
    } catch {
      throw new InvalidSubscriberRequest(
        'INVALID_POSITION',
        `续传位置 ${JSON.stringify(String(value).slice(0, 60))} 无效：应为收到的最后一条事件的 id（position），或 start、end`,
      );
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([...this.open].map((feed) => feed.close()));
  }
}
