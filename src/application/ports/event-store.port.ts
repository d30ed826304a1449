/**
 * The event store port. Its semantics follow EventStoreDB's so that the
 * embedded SQLite adapter and the EventStoreDB adapter implement it faithfully
 * and are held to one contract suite (test/event-store/event-store.contract.ts).
 *
 * - Stream revisions start at 0n and are gapless per stream (bigint, as in EventStoreDB).
 * - Global positions are opaque, totally ordered, serialisable tokens (see position.ts).
 * - Events are never updated or deleted: the history is append-only.
 */
import type { JsonObject } from '../event-store/json';
import type { Position } from '../event-store/position';

export const NO_STREAM = 'no_stream' as const;
export const STREAM_EXISTS = 'stream_exists' as const;
export const ANY = 'any' as const;

/** What the writer believes about the stream before appending. */
export type ExpectedRevision = typeof NO_STREAM | typeof STREAM_EXISTS | typeof ANY | bigint;

/** An event as the application hands it to the store; data and metadata are plain JSON objects. */
export interface EventToAppend {
  /** UUID chosen by the writer; re-appending the same ids at the same expected revision is a no-op. */
  readonly eventId: string;
  readonly type: string;
  readonly data: JsonObject;
  readonly metadata: JsonObject;
}

/** An event as the store hands it back. */
export interface RecordedEvent {
  readonly streamId: string;
  readonly revision: bigint;
  readonly position: Position;
  readonly eventId: string;
  readonly type: string;
  readonly data: JsonObject;
  readonly metadata: JsonObject;
  /** When the store committed it (server time). The envelope's recordedAt is the application's clock. */
  readonly created: Date;
  /**
   * Tamper evidence (application/integrity/hash-chain.ts): the hash chained to the previous event of
   * the jurisdiction. Set by stores that keep the chain (the embedded SQLite store).
   */
  readonly hash?: string | null;
}

export interface AppendResult {
  /** Revision of the last event now in the stream: pass it as `expected` for the next append. */
  readonly nextExpectedRevision: bigint;
  /** Global position of the last event appended. */
  readonly position: Position;
}

export type Direction = 'forwards' | 'backwards';

export interface ReadStreamOptions {
  /** Inclusive start revision, or 'start' / 'end'. Default: 'start' forwards, 'end' backwards. */
  readonly from?: bigint | 'start' | 'end';
  readonly direction?: Direction;
  readonly maxCount?: number;
}

/** Either exact event types or stream-name prefixes (EventStoreDB filters one or the other). */
export type AllFilter =
  | { readonly eventTypes: readonly string[]; readonly streamPrefixes?: undefined }
  | { readonly streamPrefixes: readonly string[]; readonly eventTypes?: undefined };

export interface ReadAllOptions {
  /**
   * Exclusive bound: forwards returns events strictly after `from`, backwards strictly before it,
   * so the last position of one page is the `from` of the next. Default: 'start' forwards, 'end' backwards.
   */
  readonly from?: Position | 'start' | 'end';
  readonly direction?: Direction;
  readonly maxCount?: number;
  readonly filter?: AllFilter;
}

export interface SubscribeToAllOptions {
  /** Exclusive: the subscription yields events strictly after this position. Default 'start'. */
  readonly from?: Position | 'start' | 'end';
  readonly filter?: AllFilter;
}

/**
 * A catch-up-then-live subscription. Pull-based: the store reads the next page only when the
 * consumer asks for it, so a slow consumer never makes the store buffer without bound.
 */
export interface Subscription extends AsyncIterable<RecordedEvent> {
  /** Ends the iteration; a pending `next()` resolves with `done: true`. */
  close(): Promise<void>;
}

export interface EventStoreHealth {
  readonly adapter: 'sqlite' | 'eventstoredb';
  readonly up: boolean;
  readonly detail?: string;
}

export interface EventStore {
  append(streamId: string, events: readonly EventToAppend[], expected: ExpectedRevision): Promise<AppendResult>;
  /** Events of one stream; an absent stream reads as empty. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** The streams whose name starts with `prefix` and that hold an event, in name order (no event is read). */
  streamIds(prefix: string): Promise<string[]>;
  subscribeToAll(options?: SubscribeToAllOptions): Subscription;
  /** Position of the newest event (matching nothing when the store is empty). */
  headPosition(): Promise<Position | null>;
  health(): Promise<EventStoreHealth>;
  /** Stops taking appends, finishes the ones in flight, releases resources. */
  close(): Promise<void>;
}

/** Nest injection token for the port. */
export const EVENT_STORE = Symbol('EventStore');
