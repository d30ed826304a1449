/**
 * The Merkle log as the read side keeps it (projection `integrity_log`, read-models/integrity-log):
 * one leaf per event of the history in the global order, every complete subtree's head, the right
 * edge of the tree, and the checkpoints signed over it. Everything a proof needs is O(log n)
 * documents read in one go.
 */
import { ReadModelNotReady, type ReadModels } from '../projections/read-models';
import {
  consistencyRanges,
  type Hash,
  headOfFrontier,
  headOfPieces,
  inclusionRanges,
  type LeafRange,
  piecesOf,
} from './merkle-tree';

export const MERKLE_LOG = 'integrity_log';
export const LEAVES = 'leaves';
export const NODES = 'nodes';
export const HEAD = 'head';
export const CHECKPOINTS = 'checkpoints';

/** Leaf `id` = its index in decimal. */
export interface LeafDoc {
  readonly id: string;
  readonly eventId: string;
  /** Where the event is stored: its stream and revision (decimal). */
  readonly streamId: string;
  readonly revision: string;
  readonly hash: string;
}

/** A complete subtree above the leaves, `id` = "<level>/<index>". */
export interface NodeDoc {
  readonly id: string;
  readonly hash: string;
}

export type HeadDoc = {
  readonly id: typeof HEAD;
  readonly size: number;
  /** Hex heads of the complete subtrees on the right edge, by level (null where the size's bit is clear). */
  readonly frontier: Array<string | null>;
  /** The last leaf that is not a checkpoint or a cosignature (-1: none): what a new checkpoint must cover. */
  readonly lastContentIndex: number;
  /** The position of the last event integrated. */
  readonly position: string;
};

/** A signed checkpoint, `id` = its size zero-padded to 15 digits (so ids sort by size). */
export interface CheckpointDoc {
  readonly id: string;
  readonly origin: string;
  readonly size: number;
  readonly rootHash: string;
  /** The signed note as signed, then each witness's line. */
  readonly note: string;
  readonly witnesses: string[];
  readonly signedAt: string;
  readonly eventId: string;
}

export const checkpointId = (size: number): string => String(size).padStart(15, '0');
const nodeId = (level: number, index: number): string => (level === 0 ? String(index) : `${level}/${index}`);

export interface LogHead {
  readonly size: number;
  readonly rootHash: Hash;
  readonly lastContentIndex: number;
}

const hex = (text: string): Hash => Buffer.from(text, 'hex');

/** A log never built yet (a new store, before the projection's first batch) reads as empty. */
async function orEmpty<T>(read: () => Promise<T>, empty: T): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof ReadModelNotReady) return empty;
    throw error;
  }
}

export class MerkleLogReader {
  constructor(private readonly models: ReadModels) {}

  async head(): Promise<LogHead> {
    const doc = (await orEmpty(() => this.models.get(MERKLE_LOG, HEAD, HEAD), null)) as HeadDoc | null;
    if (!doc) return { size: 0, rootHash: headOfPieces([]), lastContentIndex: -1 };
    const frontier = doc.frontier.map((h) => (h === null ? null : hex(h)));
    return { size: doc.size, rootHash: headOfFrontier(frontier), lastContentIndex: doc.lastContentIndex };
  }

  /** The leaf of an event (null: the log has not got it, or it is not in the history). */
  async leafOf(eventId: string): Promise<(LeafDoc & { index: number }) | null> {
    const [doc] = (await this.models.find(MERKLE_LOG, LEAVES, { eventId }, { limit: 1 })) as unknown as LeafDoc[];
    return doc ? { ...doc, index: Number(doc.id) } : null;
  }

  /** Leaves [from, from + count) as stored. */
  async leaves(from: number, count: number): Promise<LeafDoc[]> {
    const ids = Array.from({ length: count }, (_, i) => String(from + i));
    const docs = (await this.models.getMany(MERKLE_LOG, LEAVES, ids)) as unknown as LeafDoc[];
    return docs.sort((a, b) => Number(a.id) - Number(b.id));
  }

  /** The heads of these ranges (each within the stored tree). */
  async heads(ranges: readonly LeafRange[]): Promise<Hash[]> {
    const pieces = ranges.map(piecesOf);
    const wanted = [...new Set(pieces.flat().map((p) => nodeId(p.level, p.index)))];
    const leafIds = wanted.filter((id) => !id.includes('/'));
    const nodeIds = wanted.filter((id) => id.includes('/'));
    const [leaves, nodes] = await Promise.all([
      leafIds.length ? this.models.getMany(MERKLE_LOG, LEAVES, leafIds) : [],
      nodeIds.length ? this.models.getMany(MERKLE_LOG, NODES, nodeIds) : [],
    ]);
    const found = new Map([...leaves, ...nodes].map((doc) => [doc.id, hex(doc.hash as string)]));
    return pieces.map((run) =>
      headOfPieces(
        run.map((p) => {
          const hash = found.get(nodeId(p.level, p.index));
          if (!hash) throw new Error(`默克尔日志缺少节点 ${nodeId(p.level, p.index)}（日志尚未整合到该位置）`);
          return hash;
        }),
      ),
    );
  }

  async rootAt(size: number): Promise<Hash> {
    return size === 0 ? headOfPieces([]) : (await this.heads([{ start: 0, size }]))[0];
  }

  inclusionPath(index: number, size: number): Promise<Hash[]> {
    return this.heads(inclusionRanges(index, size));
  }

  consistencyPath(m: number, n: number): Promise<Hash[]> {
    return this.heads(consistencyRanges(m, n));
  }

  async checkpoint(size: number): Promise<CheckpointDoc | null> {
    return (await this.models.get(MERKLE_LOG, CHECKPOINTS, checkpointId(size))) as unknown as CheckpointDoc | null;
  }

  async latestCheckpoint(): Promise<CheckpointDoc | null> {
    const [doc] = await this.models.find(MERKLE_LOG, CHECKPOINTS, {}, { sort: [['size', -1]], limit: 1 });
    return (doc as unknown as CheckpointDoc | undefined) ?? null;
  }

  /** Checkpoints in order of size, a page at a time (after `afterSize`). */
  async checkpoints(afterSize: number, limit: number): Promise<CheckpointDoc[]> {
    const query = () =>
      this.models.find(MERKLE_LOG, CHECKPOINTS, { size: { $gt: afterSize } }, { sort: [['size', 1]], limit });
    const docs = await orEmpty(query, []);
    return docs as unknown as CheckpointDoc[];
  }
}
