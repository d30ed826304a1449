/**
 * What one event contributes to the Merkle log: its entry, the UTF-8 JSON text
 *   ["gov-collab/event/v1", eventId, streamId, revision, type, SHA-256(data), SHA-256(metadata)]
 * with the revision as a decimal string and the digests in hex of the stored JSON texts (as
 * written: JSON.stringify of the values, which a reader re-creates from the parsed values). The
 * data and metadata enter by their digests so that erasing personal data later (replacing the
 * stored data, keeping its digest) leaves every leaf, and so every published proof, unchanged.
 * examples/verify-proof.js computes the same entry.
 */
import { createHash } from 'node:crypto';
import type { JsonObject } from '../event-store/json';
import type { RecordedEvent } from '../ports/event-store.port';
import { type Hash, leafHash } from './merkle-tree';

export const ENTRY_FORMAT = 'gov-collab/event/v1';

/** The stored event as a proof file carries it. */
export interface LoggedEvent {
  readonly eventId: string;
  readonly streamId: string;
  readonly revision: string;
  readonly type: string;
  readonly data: JsonObject;
  readonly metadata: JsonObject;
}

const digest = (text: string): string => createHash('sha256').update(text).digest('hex');

export function loggedEvent(event: RecordedEvent): LoggedEvent {
  const { eventId, streamId, type, data, metadata } = event;
  return { eventId, streamId, revision: event.revision.toString(), type, data, metadata };
}

/** The digests of the stored data and metadata texts, as the entry holds them. */
export function entryDigests(event: Pick<LoggedEvent, 'data' | 'metadata'>): {
  dataDigest: string;
  metadataDigest: string;
} {
  return { dataDigest: digest(JSON.stringify(event.data)), metadataDigest: digest(JSON.stringify(event.metadata)) };
}

export function logEntry(event: LoggedEvent): Buffer {
  const { dataDigest, metadataDigest } = entryDigests(event);
  const fields = [ENTRY_FORMAT, event.eventId, event.streamId, event.revision, event.type, dataDigest, metadataDigest];
  return Buffer.from(JSON.stringify(fields), 'utf8');
}

export function leafOf(event: RecordedEvent): Hash {
  return leafHash(logEntry(loggedEvent(event)));
}
