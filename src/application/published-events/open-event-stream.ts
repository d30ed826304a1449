/**
 * Opening the live stream of published events (SSE and WebSocket alike), as a bus query: who may
 * read (system admins, or a subscription's own service credential `service:subscriber-<id>`),
 * which events (the query's filter, or the subscription's), which personal fields (the
 * subscription's grants; none without one), from where (Last-Event-ID, `from`: a position,
 * `start` or `end`, default `end`). The transports only write what the feed yields.
 */
import type { Principal } from '../../domain/access/access-policy';
import type { AccessControl } from '../access/access-control';
import { parsePosition, type Position } from '../event-store/position';
import { type BusQueryHandler, PrincipalQuery } from '../queries/query-bus';
import type { SubscriptionService } from '../webhooks/subscription.service';
import type { PersonalField } from './catalog';
import { type EventFilter, InvalidSubscriberRequest, parseEventFilter } from './event-filter';
import type { Feed } from './published-feed';

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

/** Where feeds are opened and kept, so that a shutdown closes the long-lived connections. */
export interface OpenFeeds {
  open(from: Position | 'start' | 'end', filter: EventFilter): Feed;
}

export class OpenEventStream extends PrincipalQuery<OpenedStream> {
  constructor(
    principal: Principal,
    readonly query: StreamQuery,
    readonly lastEventId: string | undefined,
  ) {
    super(principal);
  }
}

export class OpenEventStreamHandler implements BusQueryHandler<OpenEventStream> {
  constructor(
    private readonly subscriptions: SubscriptionService,
    private readonly access: AccessControl,
    private readonly feeds: OpenFeeds,
  ) {}

  async execute({ principal, query, lastEventId }: OpenEventStream): Promise<OpenedStream> {
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
    const from = positionOf(lastEventId ?? query.from);
    const feed = this.feeds.open(from, filter);
    return { feed, grants: new Set(grants), filter };
  }
}

function positionOf(value: unknown): Position | 'start' | 'end' {
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
