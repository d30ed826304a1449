/**
 * The Merkle log (issue 22): every stored event, in the global order, becomes leaf number n
 * (n = the events before it); each leaf completes the subtrees it closes, and the head document
 * keeps the right edge. Signed checkpoints and cosignatures are events too: they are leaves, and
 * their notes are kept for the proof endpoints and `verify`. A rebuild reads the same events in the
 * same order and writes the same documents, bit for bit.
 */
import type { IntegrityLogEvent } from '../../domain/integrity-log/integrity-log.decider';
import { leafOf } from '../../application/integrity/log-entry';
import {
  CHECKPOINTS,
  type CheckpointDoc,
  checkpointId,
  HEAD,
  type HeadDoc,
  LEAVES,
  MERKLE_LOG,
  NODES,
} from '../../application/integrity/merkle-log';
import { appendLeaf, type Frontier, type Hash } from '../../application/integrity/merkle-tree';
import { comparePositions, type Position } from '../../application/event-store/position';
import { change, type Change, type HistoryProjection } from '../../application/projections/projection';

/** Not content: a checkpoint covering only these would never end (each checkpoint is itself an event). */
const BOOKKEEPING: ReadonlySet<string> = new Set<IntegrityLogEvent['type']>(['CheckpointSigned', 'CheckpointCosigned']);

/** The frontier as hashes, by the frontier array of the head document (which the engine passes along unchanged). */
const frontiers = new WeakMap<readonly unknown[], Frontier>();

function frontierOf(head: HeadDoc | null): Frontier {
  if (!head) return [];
  const known = frontiers.get(head.frontier);
  if (known) return known;
  const frontier = head.frontier.map((h) => (h === null ? null : Buffer.from(h, 'hex')));
  frontiers.set(head.frontier, frontier);
  return frontier;
}

function headAfter(frontier: Frontier, size: number, lastContentIndex: number, position: string): HeadDoc {
  const stored = frontier.map((h) => (h === null ? null : h.toString('hex')));
  frontiers.set(stored, frontier);
  return { id: HEAD, size, frontier: stored, lastContentIndex, position };
}

/** A stored event as the engine hands it to a history projection. */
type StoredEvent = Parameters<HistoryProjection['changesOfStored']>[0];

function checkpointChanges(event: StoredEvent): Change[] {
  const logged = { type: event.type, data: event.data } as unknown as IntegrityLogEvent;
  if (logged.type === 'CheckpointSigned') {
    const { origin, size, rootHash, note } = logged.data;
    const doc: CheckpointDoc = {
      id: checkpointId(size),
      origin,
      size,
      rootHash,
      note,
      witnesses: [],
      signedAt: String(event.metadata.recordedAt ?? event.created.toISOString()),
      eventId: event.eventId,
    };
    return [change(CHECKPOINTS, doc.id, () => ({ ...doc }))];
  }
  if (logged.type === 'CheckpointCosigned') {
    const { size, witness, signature } = logged.data;
    return [
      change(CHECKPOINTS, checkpointId(size), (current) => {
        const checkpoint = current as unknown as CheckpointDoc | null;
        if (!checkpoint) return null;
        return {
          ...checkpoint,
          note: `${checkpoint.note}${signature}\n`,
          witnesses: [...checkpoint.witnesses, witness],
        };
      }),
    ];
  }
  return [];
}

export const integrityLogProjection: HistoryProjection = {
  name: MERKLE_LOG,
  version: 1,
  readsHistory: true,
  writtenLast: HEAD,
  collections: [
    { name: LEAVES, indexes: [{ fields: ['eventId'] }] },
    { name: NODES },
    { name: HEAD },
    { name: CHECKPOINTS, indexes: [{ fields: ['size'] }] },
  ],
  async changesOfStored(event, view) {
    const head = (await view.get(HEAD, HEAD)) as HeadDoc | null;
    // A head at or past this event: a batch replayed after a crash on a store without transactions
    // (the head is written last, so everything up to it is there): this event is already in the log.
    if (head && comparePositions(head.position as Position, event.position) >= 0) return [];
    const size = head?.size ?? 0;
    const leaf: Hash = leafOf(event);
    const appended = appendLeaf(frontierOf(head), size, leaf);
    const lastContentIndex = BOOKKEEPING.has(event.type) ? (head?.lastContentIndex ?? -1) : size;
    const next = headAfter(appended.frontier, size + 1, lastContentIndex, event.position);
    return [
      change(LEAVES, String(size), () => ({
        id: String(size),
        eventId: event.eventId,
        streamId: event.streamId,
        revision: event.revision.toString(),
        hash: leaf.toString('hex'),
      })),
      ...appended.completed.map((node) =>
        change(NODES, `${node.level}/${node.index}`, () => ({
          id: `${node.level}/${node.index}`,
          hash: node.hash.toString('hex'),
        })),
      ),
      change(HEAD, HEAD, () => next),
      ...checkpointChanges(event),
    ];
  },
};
