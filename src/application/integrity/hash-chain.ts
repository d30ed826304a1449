/**
 * Tamper evidence: every event's hash covers its content and the hash of the event before it in
 * the jurisdiction's global order, so changing, removing or reordering any stored event breaks
 * every hash after it. `verifyChain` recomputes the chain and names the first event where it breaks.
 * (A chain proves nothing against someone who rewrites it whole: publish or archive the head hash
 * — shown by `verify` — somewhere else, e.g. with each backup, to anchor it.)
 */
import { createHash } from 'node:crypto';
import type { EventStore, RecordedEvent } from '../ports/event-store.port';
import type { Position } from '../event-store/position';

/** The hash before the first event. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * The hash of one event given the previous one. `data` and `metadata` are the stored JSON texts;
 * a reader recomputes them with JSON.stringify of the parsed values, which gives the same text.
 */
export function chainHash(
  previous: string,
  streamId: string,
  revision: bigint | number,
  eventId: string,
  type: string,
  data: string,
  metadata: string,
): string {
  return createHash('sha256')
    .update(
      `${previous}\n[${JSON.stringify(streamId)},"${revision.toString()}",${JSON.stringify(eventId)},${JSON.stringify(type)},${data},${metadata}]`,
    )
    .digest('hex');
}

export function hashOfRecorded(previous: string, event: RecordedEvent): string {
  return chainHash(
    previous,
    event.streamId,
    event.revision,
    event.eventId,
    event.type,
    JSON.stringify(event.data),
    JSON.stringify(event.metadata),
  );
}

export interface ChainBreak {
  readonly position: Position;
  readonly eventId: string;
  readonly streamId: string;
  readonly revision: string;
  readonly type: string;
  readonly reason: 'HASH_MISMATCH' | 'HASH_MISSING';
}

export interface ChainVerification {
  readonly ok: boolean;
  readonly checked: number;
  /** The hash of the last event checked: archive it to anchor the chain. */
  readonly headHash: string;
  readonly firstBreak: ChainBreak | null;
}

export async function verifyChain(
  store: EventStore,
  onProgress?: (checked: number, position: Position) => void,
  pageSize = 4096,
): Promise<ChainVerification> {
  let previous = GENESIS_HASH;
  let checked = 0;
  let from: Position | 'start' = 'start';
  for (;;) {
    const page = await store.readAll({ from, maxCount: pageSize });
    if (page.length === 0) break;
    for (const event of page) {
      const expected = hashOfRecorded(previous, event);
      if (event.hash !== expected) {
        const reason = event.hash === undefined || event.hash === null ? 'HASH_MISSING' : 'HASH_MISMATCH';
        return {
          ok: false,
          checked,
          headHash: previous,
          firstBreak: {
            position: event.position,
            eventId: event.eventId,
            streamId: event.streamId,
            revision: event.revision.toString(),
            type: event.type,
            reason,
          },
        };
      }
      previous = expected;
      checked += 1;
    }
    from = page[page.length - 1].position;
    onProgress?.(checked, from);
  }
  return { ok: true, checked, headHash: previous, firstBreak: null };
}
