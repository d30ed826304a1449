/**
 * The production event store: EventStoreDB through @eventstore/db-client, behind the same port and
 * held to the same contract suite as the embedded store (run when ESDB_CONNECTION_STRING is set).
 *
 * Mapping:
 * - revisions are EventStoreDB's bigint stream revisions, unchanged;
 * - positions encode $all's (commit, prepare) pair (position.ts), so ordering is EventStoreDB's;
 * - the envelope travels in the event's JSON metadata and comes back verbatim;
 * - EventStoreDB's WrongExpectedVersionError becomes the port's, with the same stream and revisions;
 * - system events ($-prefixed types and streams) are never handed out;
 * - subscriptions reconnect after a dropped connection from the last position they yielded.
 */
import {
  ANY as ESDB_ANY,
  BACKWARDS,
  END,
  type EventStoreDBClient,
  EventStoreDBClient as Client,
  eventTypeFilter,
  excludeSystemEvents,
  FORWARDS,
  jsonEvent,
  NO_STREAM as ESDB_NO_STREAM,
  type Position as EsdbPosition,
  START,
  STREAM_EXISTS as ESDB_STREAM_EXISTS,
  StreamNotFoundError,
  streamNameFilter,
  WrongExpectedVersionError as EsdbWrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  type Filter,
  type ResolvedEvent,
} from '@eventstore/db-client';
import {
  assertFilter,
  assertMaxCount,
  assertStreamFrom,
  assertStreamName,
  DEFAULT_MAX_EVENT_BYTES,
  DEFAULT_READ_ALL_MAX_COUNT,
  describeExpected,
  validateAppend,
} from '../append-validation';
import {
  EventStoreClosedError,
  EventStoreUnavailableError,
  WrongExpectedVersionError,
} from '../../../application/event-store/event-store.errors';
import {
  ANY,
  type AllFilter,
  type AppendResult,
  type EventStore,
  type EventStoreHealth,
  type EventToAppend,
  type ExpectedRevision,
  NO_STREAM,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  STREAM_EXISTS,
  type SubscribeToAllOptions,
  type Subscription,
} from '../../../application/ports/event-store.port';
import type { JsonObject } from '../../../application/event-store/json';
import type { CommitObserver } from '../commit-observer';
import { parsePosition, type Position, positionOf, positionParts } from '../../../application/event-store/position';

interface EsdbSubscriptionControl {
  closed: boolean;
  current: { unsubscribe(): Promise<void> } | null;
}

export interface EsdbEventStoreOptions {
  readonly maxEventBytes?: number;
  /** Longest pause between reconnection attempts of a dropped subscription. */
  readonly maxReconnectDelayMs?: number;
  /** Events per page when reading $all (filtered reads are filtered on this side). */
  readonly readPageSize?: number;
  /** Told of every append (each is a commit of its own here). */
  readonly onCommit?: CommitObserver;
}

export class EsdbEventStore implements EventStore {
  private closed = false;
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly subscriptions = new Set<Subscription>();
  private readonly maxEventBytes: number;
  private readonly maxReconnectDelayMs: number;
  private readonly readPageSize: number;

  constructor(
    private readonly client: EventStoreDBClient,
    private readonly options: EsdbEventStoreOptions = {},
  ) {
    this.maxEventBytes = options.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES;
    this.maxReconnectDelayMs = options.maxReconnectDelayMs ?? 5000;
    this.readPageSize = options.readPageSize ?? 1000;
  }

  static connect(connectionString: string, options?: EsdbEventStoreOptions): EsdbEventStore {
    return new EsdbEventStore(Client.connectionString(connectionString), options);
  }

  append(streamId: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    try {
      if (this.closed) throw new EventStoreClosedError();
      validateAppend(streamId, events, expected, this.maxEventBytes);
    } catch (error) {
      return Promise.reject(error);
    }
    const started = process.hrtime.bigint();
    const pending = this.doAppend(streamId, events, expected);
    if (this.options.onCommit) {
      const observe = this.options.onCommit;
      void pending.then(
        () => {
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          observe({ appends: 1, events: events.length, waitedSeconds: seconds, commitSeconds: seconds });
        },
        () => undefined,
      );
    }
    this.inFlight.add(pending);
    void pending.catch(() => undefined).finally(() => this.inFlight.delete(pending));
    return pending;
  }

  private async doAppend(
    streamId: string,
    events: readonly EventToAppend[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    try {
      const result = await this.client.appendToStream(
        streamId,
        events.map((event) =>
          jsonEvent({ id: event.eventId.toLowerCase(), type: event.type, data: event.data, metadata: event.metadata }),
        ),
        { expectedRevision: toEsdbExpected(expected) },
      );
      const position = result.position ?? (await this.positionAt(streamId, result.nextExpectedRevision));
      return { nextExpectedRevision: result.nextExpectedRevision, position: toPosition(position) };
    } catch (error) {
      if (error instanceof EsdbWrongExpectedVersionError) {
        const actual = error.actualVersion;
        throw new WrongExpectedVersionError(
          streamId,
          describeExpected(expected),
          typeof actual === 'bigint' ? actual : 'no_stream',
        );
      }
      throw translate(error);
    }
  }

  /** An idempotent re-append may come back without a position: the batch's last event has it. */
  private async positionAt(streamId: string, revision: bigint): Promise<EsdbPosition> {
    for await (const resolved of this.client.readStream(streamId, { fromRevision: revision, maxCount: 1 })) {
      if (resolved.event?.position) return resolved.event.position;
    }
    throw new EventStoreUnavailableError(`no position for revision ${revision} of ${streamId}`);
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    assertStreamName(streamId);
    assertMaxCount(options.maxCount);
    const backwards = options.direction === 'backwards';
    const from = options.from ?? (backwards ? 'end' : 'start');
    assertStreamFrom(from);
    const out: RecordedEvent[] = [];
    try {
      const read = this.client.readStream(streamId, {
        direction: backwards ? BACKWARDS : FORWARDS,
        fromRevision: from === 'start' ? START : from === 'end' ? END : from,
        ...(options.maxCount !== undefined ? { maxCount: options.maxCount } : {}),
      });
      for await (const resolved of read) {
        const event = toRecordedEvent(resolved);
        if (event) out.push(event);
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw translate(error);
    }
    return out;
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    assertMaxCount(options.maxCount);
    assertFilter(options.filter);
    const backwards = options.direction === 'backwards';
    const from = options.from ?? (backwards ? 'end' : 'start');
    const bound = from === 'start' || from === 'end' ? null : parsePosition(from);
    const maxCount = options.maxCount ?? DEFAULT_READ_ALL_MAX_COUNT;
    const matches = compileFilter(options.filter);
    const out: RecordedEvent[] = [];
    let cursor: EsdbPosition | typeof START | typeof END = bound ? positionParts(bound) : from === 'end' ? END : START;
    try {
      for (;;) {
        let seen = 0;
        let last: EsdbPosition | undefined;
        for await (const resolved of this.client.readAll({
          fromPosition: cursor,
          direction: backwards ? BACKWARDS : FORWARDS,
          maxCount: this.readPageSize,
        })) {
          seen++;
          const event = toRecordedEvent(resolved);
          if (resolved.event?.position) last = resolved.event.position;
          if (!event || !matches(event)) continue;
          // The port's bound is exclusive in both directions; EventStoreDB may include it.
          if (bound && (backwards ? event.position >= bound : event.position <= bound)) continue;
          out.push(event);
          if (out.length >= maxCount) return out;
        }
        if (seen < this.readPageSize || !last) return out;
        cursor = last;
      }
    } catch (error) {
      throw translate(error);
    }
  }

  async streamIds(prefix: string): Promise<string[]> {
    const filter = { streamPrefixes: [prefix] };
    assertFilter(filter);
    // No index of stream names without the server's system projections: gathered from the prefix's events.
    const ids = new Set<string>();
    for (let from: Position | 'start' = 'start'; ;) {
      const page = await this.readAll({ from, filter, maxCount: this.readPageSize });
      for (const event of page) ids.add(event.streamId);
      if (page.length < this.readPageSize) return [...ids].sort();
      from = page[page.length - 1].position;
    }
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): Subscription {
    assertFilter(options.filter);
    const from = options.from ?? 'start';
    const start = from === 'start' || from === 'end' ? from : parsePosition(from);
    const control: EsdbSubscriptionControl = { closed: false, current: null };
    const subscription: Subscription = {
      close: async () => {
        control.closed = true;
        this.subscriptions.delete(subscription);
        await control.current?.unsubscribe().catch(() => undefined);
      },
      [Symbol.asyncIterator]: () => this.follow(start, toEsdbFilter(options.filter), control),
    };
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** Follows $all; after a dropped connection it resubscribes from the last position it yielded. */
  private async *follow(
    start: Position | 'start' | 'end',
    filter: Filter,
    control: EsdbSubscriptionControl,
  ): AsyncGenerator<RecordedEvent> {
    let resumeFrom: EsdbPosition | typeof START | typeof END =
      start === 'start' ? START : start === 'end' ? END : positionParts(start);
    let lastYielded: Position | null = start === 'start' || start === 'end' ? null : start;
    let failures = 0;
    while (!control.closed && !this.closed) {
      const live = this.client.subscribeToAll({ fromPosition: resumeFrom, filter });
      control.current = live;
      try {
        for await (const resolved of live) {
          failures = 0;
          const event = toRecordedEvent(resolved);
          if (!event) continue;
          // After a reconnect the server may repeat the event at the resume position.
          if (lastYielded !== null && event.position <= lastYielded) continue;
          lastYielded = event.position;
          resumeFrom = positionParts(event.position);
          yield event;
          if (control.closed) return;
        }
        if (control.closed || this.closed) return;
      } catch (error) {
        if (control.closed || this.closed) return;
        if (!isTransient(error)) throw translate(error);
      } finally {
        await live.unsubscribe().catch(() => undefined);
      }
      failures++;
      const delay = Math.min(this.maxReconnectDelayMs, 100 * 2 ** Math.min(failures, 10));
      await new Promise((resolve) => setTimeout(resolve, delay * (0.5 + Math.random() / 2)));
    }
  }

  async headPosition(): Promise<Position | null> {
    for await (const resolved of this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 64 })) {
      const event = toRecordedEvent(resolved);
      if (event) return event.position;
    }
    return null;
  }

  async health(): Promise<EventStoreHealth> {
    try {
      for await (const _ of this.client.readAll({
        direction: BACKWARDS,
        fromPosition: END,
        maxCount: 1,
        deadline: 2000,
      }))
        break;
      return { adapter: 'eventstoredb', up: !this.closed, detail: this.closed ? 'closed' : undefined };
    } catch (error) {
      return { adapter: 'eventstoredb', up: false, detail: error instanceof Error ? error.message : String(error) };
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.inFlight]);
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    await this.client.dispose();
  }
}

function toEsdbExpected(expected: ExpectedRevision): AppendExpectedRevision {
  if (expected === NO_STREAM) return ESDB_NO_STREAM;
  if (expected === STREAM_EXISTS) return ESDB_STREAM_EXISTS;
  if (expected === ANY) return ESDB_ANY;
  return expected;
}

function toPosition(position: EsdbPosition): Position {
  return positionOf(position.commit, position.prepare);
}

function toRecordedEvent(resolved: ResolvedEvent | AllStreamResolvedEvent): RecordedEvent | null {
  const event = resolved.event;
  if (!event || event.type.startsWith('$') || event.streamId.startsWith('$') || !event.position) return null;
  return {
    streamId: event.streamId,
    revision: event.revision,
    position: toPosition(event.position),
    eventId: event.id,
    type: event.type,
    data: asJsonObject(event.data),
    metadata: asJsonObject(event.metadata),
    created: event.created,
  };
}

function asJsonObject(value: unknown): JsonObject {
  if (value instanceof Uint8Array) {
    if (value.length === 0) return {};
    return JSON.parse(Buffer.from(value).toString('utf8')) as JsonObject;
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as JsonObject;
  return {};
}

function compileFilter(filter: AllFilter | undefined): (event: RecordedEvent) => boolean {
  if (!filter) return () => true;
  if (filter.eventTypes) {
    const types = new Set(filter.eventTypes);
    return (event) => types.has(event.type);
  }
  const prefixes = filter.streamPrefixes ?? [];
  return (event) => prefixes.some((prefix) => event.streamId.startsWith(prefix));
}

function toEsdbFilter(filter: AllFilter | undefined): Filter {
  if (!filter) return excludeSystemEvents();
  if (filter.eventTypes) {
    const alternatives = filter.eventTypes.map((type) => type.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
    return eventTypeFilter({ regex: `^(?:${alternatives})$` });
  }
  return streamNameFilter({ prefixes: [...(filter.streamPrefixes ?? [])] });
}

function isTransient(error: unknown): boolean {
  const type = (error as { type?: string } | null)?.type;
  return (
    type === 'unavailable' ||
    type === 'deadline-exceeded' ||
    type === 'not-leader' ||
    type === 'cancelled' ||
    type === 'unknown'
  );
}

function translate(error: unknown): unknown {
  if (isTransient(error)) {
    return new EventStoreUnavailableError(error instanceof Error ? error.message : String(error), error);
  }
  return error;
}
