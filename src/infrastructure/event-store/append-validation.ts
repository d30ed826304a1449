/**
 * Input checks shared by every adapter, so bad input is refused identically (and before anything
 * is written) whichever store is configured.
 */
import {
  EventTooLargeError,
  InvalidEventError,
  InvalidExpectedRevisionError,
  InvalidReadOptionsError,
  InvalidStreamNameError,
} from '../../application/event-store/event-store.errors';
import {
  ANY,
  type AllFilter,
  type EventToAppend,
  type ExpectedRevision,
  NO_STREAM,
  STREAM_EXISTS,
} from '../../application/ports/event-store.port';
import { findNonJson } from '../../application/event-store/json';

export const DEFAULT_MAX_EVENT_BYTES = 1024 * 1024;
const MAX_STREAM_NAME = 200;
/** `Category-id`: a category of letters and digits, then an id; `$` (system streams) is reserved. */
const STREAM_NAME = /^[A-Za-z][A-Za-z0-9_]*(?:-[A-Za-z0-9_.:@=+-]+)?$/;
const EVENT_TYPE = /^[A-Za-z][A-Za-z0-9_.-]{0,127}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function assertStreamName(streamId: unknown): asserts streamId is string {
  if (typeof streamId !== 'string') throw new InvalidStreamNameError(streamId, 'not a string');
  if (streamId.length === 0) throw new InvalidStreamNameError(streamId, 'empty');
  if (streamId.length > MAX_STREAM_NAME)
    throw new InvalidStreamNameError(streamId, `longer than ${MAX_STREAM_NAME} characters`);
  if (!STREAM_NAME.test(streamId)) {
    throw new InvalidStreamNameError(streamId, 'expected "Category-id" of letters, digits and _ . : @ = + -');
  }
}

export function assertExpectedRevision(expected: unknown): asserts expected is ExpectedRevision {
  if (expected === NO_STREAM || expected === STREAM_EXISTS || expected === ANY) return;
  if (typeof expected === 'bigint' && expected >= 0n && expected < 1n << 63n) return;
  throw new InvalidExpectedRevisionError(expected);
}

export function describeExpected(expected: ExpectedRevision): string {
  return typeof expected === 'bigint' ? expected.toString() : expected;
}

/** An event checked and serialised once, ready for the adapter to write. */
export interface SerializedEvent {
  readonly eventId: string;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
}

export function validateAndSerialize(
  events: readonly EventToAppend[],
  maxEventBytes: number = DEFAULT_MAX_EVENT_BYTES,
): SerializedEvent[] {
  if (!Array.isArray(events)) throw new InvalidEventError(0, 'events must be an array');
  if (events.length === 0) throw new InvalidEventError(0, 'nothing to append');
  const seen = new Set<string>();
  const out = new Array<SerializedEvent>(events.length);
  for (let i = 0; i < events.length; i++) {
    const event = events[i] as Partial<EventToAppend> | undefined;
    if (typeof event !== 'object' || event === null) throw new InvalidEventError(i, 'not an object');
    const { eventId, type } = event;
    if (typeof eventId !== 'string' || !UUID.test(eventId)) {
      throw new InvalidEventError(i, `eventId ${JSON.stringify(String(eventId)).slice(0, 60)} is not a UUID`);
    }
    const id = eventId.toLowerCase();
    if (seen.has(id)) throw new InvalidEventError(i, `eventId ${eventId} appears twice in the batch`);
    seen.add(id);
    if (typeof type !== 'string' || !EVENT_TYPE.test(type)) {
      throw new InvalidEventError(i, `type ${JSON.stringify(String(type)).slice(0, 60)} is not a valid event type`);
    }
    const dataProblem = findNonJson(event.data);
    if (dataProblem) throw new InvalidEventError(i, `data ${dataProblem}`);
    const metadataProblem = findNonJson(event.metadata);
    if (metadataProblem) throw new InvalidEventError(i, `metadata ${metadataProblem}`);
    const data = JSON.stringify(event.data);
    const metadata = JSON.stringify(event.metadata);
    // A UTF-16 length times 3 bounds the UTF-8 size: only measure exactly when it might matter.
    if ((data.length + metadata.length) * 3 > maxEventBytes) {
      const bytes = Buffer.byteLength(data) + Buffer.byteLength(metadata);
      if (bytes > maxEventBytes) throw new EventTooLargeError(i, bytes, maxEventBytes);
    }
    out[i] = { eventId: id, type, data, metadata };
  }
  return out;
}

/** Every check of an append, in one place for all adapters; returns the events serialised. */
export function validateAppend(
  streamId: unknown,
  events: readonly EventToAppend[],
  expected: unknown,
  maxEventBytes: number = DEFAULT_MAX_EVENT_BYTES,
): SerializedEvent[] {
  assertStreamName(streamId);
  assertExpectedRevision(expected);
  return validateAndSerialize(events, maxEventBytes);
}

export const DEFAULT_READ_ALL_MAX_COUNT = 4096;

/** readStream's `from`: 'start', 'end' or a revision (inclusive). */
export function assertStreamFrom(from: unknown): asserts from is bigint | 'start' | 'end' {
  if (from === 'start' || from === 'end' || (typeof from === 'bigint' && from >= 0n)) return;
  throw new InvalidReadOptionsError(`from ${String(from)} must be 'start', 'end' or a revision`);
}

export function assertMaxCount(maxCount: unknown): void {
  if (maxCount === undefined) return;
  if (typeof maxCount !== 'number' || !Number.isSafeInteger(maxCount) || maxCount < 1) {
    throw new InvalidReadOptionsError(`maxCount ${String(maxCount)} must be a positive integer`);
  }
}

export function assertFilter(filter: AllFilter | undefined): void {
  if (filter === undefined) return;
  const { eventTypes, streamPrefixes } = filter as { eventTypes?: unknown; streamPrefixes?: unknown };
  if ((eventTypes === undefined) === (streamPrefixes === undefined)) {
    throw new InvalidReadOptionsError('a filter has either eventTypes or streamPrefixes');
  }
  const list = (eventTypes ?? streamPrefixes) as unknown;
  if (!Array.isArray(list) || list.length === 0 || list.some((item) => typeof item !== 'string' || item.length === 0)) {
    throw new InvalidReadOptionsError('filter lists must be non-empty arrays of non-empty strings');
  }
}
