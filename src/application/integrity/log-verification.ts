/**
 * `verify` for the Merkle log: every event's leaf recomputed from the store and compared with the
 * leaf the log holds (the first that differs is named: a changed, dropped or reordered event), the
 * tree rebuilt from the recomputed leaves, and at each checkpoint ever signed (and each one an
 * auditor kept, given as signed notes) the root compared with the signed root and the signature
 * checked. A root that differs means the history is no longer the one that was signed.
 */
import type { Position } from '../event-store/position';
import type { EventStore } from '../ports/event-store.port';
import { openCheckpoint } from './checkpoint';
import { type NoteKey } from './note-signature';
import { leafOf } from './log-entry';
import type { MerkleLogReader } from './merkle-log';
import { appendLeaf, type Frontier, headOfFrontier } from './merkle-tree';

export interface LeafMismatch {
  readonly leafIndex: number;
  readonly position: Position | null;
  /** The event now at this place in the history (null: the history ends before it). */
  readonly eventId: string | null;
  readonly streamId: string;
  readonly revision: string;
  readonly type: string;
  /** The event the log integrated at this place. */
  readonly loggedEventId: string;
  readonly reason: 'LEAF_MISMATCH' | 'EVENT_MISSING';
}

export interface CheckpointInconsistency {
  readonly size: number;
  readonly rootHash: string;
  /** ROOT_MISMATCH: the history's tree at that size has another root; BEYOND_HISTORY: the history is shorter. */
  readonly reason: 'ROOT_MISMATCH' | 'SIGNATURE_INVALID' | 'BEYOND_HISTORY';
  /** Kept by an auditor (given to verify), not read from the log. */
  readonly kept: boolean;
}

export interface LogVerification {
  readonly ok: boolean;
  /** Events of the history whose leaves were recomputed. */
  readonly events: number;
  /** Leaves the log has integrated (it may be behind the history by a few). */
  readonly integrated: number;
  readonly rootHash: string;
  readonly firstMismatch: LeafMismatch | null;
  readonly checkpoints: {
    readonly checked: number;
    readonly consistent: boolean;
    readonly firstInconsistent: CheckpointInconsistency | null;
  };
}

interface Target {
  readonly size: number;
  readonly rootHash: string;
  readonly note: string;
  readonly kept: boolean;
}

async function targetsOf(log: MerkleLogReader, kept: readonly string[], key: NoteKey): Promise<Target[]> {
  const targets: Target[] = [];
  for (let after = 0; ;) {
    const page = await log.checkpoints(after, 1000);
    if (page.length === 0) break;
    for (const doc of page) targets.push({ size: doc.size, rootHash: doc.rootHash, note: doc.note, kept: false });
    after = page[page.length - 1].size;
  }
  for (const note of kept) {
    const checkpoint = openCheckpoint(note, key);
    // A kept note that does not open is reported with the size it states, if any.
    const size = checkpoint?.size ?? Number(note.split('\n')[1] ?? 0);
    targets.push({ size, rootHash: checkpoint?.rootHash.toString('hex') ?? '', note, kept: true });
  }
  return targets.sort((a, b) => a.size - b.size);
}

function signatureHolds(target: Target, key: NoteKey): boolean {
  const checkpoint = openCheckpoint(target.note, key);
  return (
    checkpoint !== null && checkpoint.size === target.size && checkpoint.rootHash.toString('hex') === target.rootHash
  );
}

export async function verifyLog(
  store: EventStore,
  log: MerkleLogReader,
  key: NoteKey,
  kept: readonly string[] = [],
  onProgress?: (events: number) => void,
  pageSize = 4096,
): Promise<LogVerification> {
  const { size: integrated } = await log.head();
  const targets = await targetsOf(log, kept, key);
  let next = 0;
  let firstInconsistent: CheckpointInconsistency | null = null;
  const inconsistent = (target: Target, reason: CheckpointInconsistency['reason']) =>
    (firstInconsistent ??= { size: target.size, rootHash: target.rootHash, reason, kept: target.kept });
  let firstMismatch: LeafMismatch | null = null;
  let frontier: Frontier = [];
  let events = 0;
  // Checkpoints of the empty tree, or with a size the history never had, do not fit anything.
  while (next < targets.length && targets[next].size < 1) inconsistent(targets[next++], 'ROOT_MISMATCH');
  let from: Position | 'start' = 'start';
  for (;;) {
    const page = await store.readAll({ from, maxCount: pageSize });
    if (page.length === 0) break;
    const stored = events < integrated ? await log.leaves(events, Math.min(page.length, integrated - events)) : [];
    for (const [i, event] of page.entries()) {
      const leaf = leafOf(event);
      const logged = stored[i];
      if (firstMismatch === null && logged !== undefined && logged.hash !== leaf.toString('hex'))
        firstMismatch = {
          leafIndex: events,
          position: event.position,
          eventId: event.eventId,
          streamId: event.streamId,
          revision: event.revision.toString(),
          type: event.type,
          loggedEventId: logged.eventId,
          reason: 'LEAF_MISMATCH',
        };
      frontier = appendLeaf(frontier, events, leaf).frontier;
      events += 1;
      for (; next < targets.length && targets[next].size === events; next++) {
        const target = targets[next];
        if (headOfFrontier(frontier).toString('hex') !== target.rootHash) inconsistent(target, 'ROOT_MISMATCH');
        else if (!signatureHolds(target, key)) inconsistent(target, 'SIGNATURE_INVALID');
      }
    }
    from = page[page.length - 1].position;
    onProgress?.(events);
  }
  for (; next < targets.length; next++) inconsistent(targets[next], 'BEYOND_HISTORY');
  if (firstMismatch === null && integrated > events) {
    const [logged] = await log.leaves(events, 1);
    firstMismatch = {
      leafIndex: events,
      position: null,
      eventId: null,
      streamId: logged?.streamId ?? '',
      revision: logged?.revision ?? '',
      type: '',
      loggedEventId: logged?.eventId ?? '',
      reason: 'EVENT_MISSING',
    };
  }
  return {
    ok: firstMismatch === null && firstInconsistent === null,
    events,
    integrated,
    rootHash: headOfFrontier(frontier).toString('hex'),
    firstMismatch,
    checkpoints: { checked: targets.length, consistent: firstInconsistent === null, firstInconsistent },
  };
}
