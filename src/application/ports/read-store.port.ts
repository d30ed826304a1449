/**
 * The read-store port: documents in named collections, written only by the projection engine and
 * read by query handlers. Two adapters hold to one contract suite (test/read-store/): SQLite (the
 * embedded default) and MongoDB. The filter language is the small subset of MongoDB's both can
 * answer from an index; a field declared `multikey` holds an array and matches when any element
 * does (MongoDB's multikey semantics).
 *
 * Exactly-once: every document remembers the global position of the last event that changed it,
 * and a write carrying a position not after that is a no-op. SQLite also commits a batch's
 * documents and its checkpoint in one transaction; MongoDB relies on the per-document positions,
 * so a batch replayed after a crash changes nothing it had already written.
 */
import type { JsonObject, JsonValue } from '../event-store/json';
import type { Position } from '../event-store/position';

export type Doc = JsonObject & { readonly id: string };

export interface IndexSpec {
  readonly fields: readonly string[];
  /** The (single) field holds an array; the index has one entry per element. */
  readonly multikey?: boolean;
}

export interface CollectionSpec {
  readonly name: string;
  readonly indexes?: readonly IndexSpec[];
}

export type Scalar = string | number | boolean | null;
export type FieldCondition =
  | Scalar
  | { readonly $in: readonly Scalar[] }
  | { readonly $prefix: string }
  | {
      readonly $gte?: string | number;
      readonly $gt?: string | number;
      readonly $lte?: string | number;
      readonly $lt?: string | number;
    }
  | { readonly $ne: Scalar };
/** All conditions must hold (AND). Top-level fields only. */
export type Filter = Readonly<Record<string, FieldCondition>>;

export interface FindOptions {
  readonly sort?: ReadonlyArray<readonly [field: string, direction: 1 | -1]>;
  readonly limit?: number;
  readonly skip?: number;
  /**
   * Only documents whose id sorts after this one, in id order (no `sort`): a keyset page, which costs
   * the same at any depth, where `skip` steps over every document before it (a province's report
   * read 1.5 M people 20,000 at a time, each page past all the earlier ones).
   */
  readonly after?: string;
  /**
   * The fields of a declared (not multikey) index to read from, when the caller knows better than
   * the planner's statistics (a small subtree among a province's rows). The answer is the same.
   */
  readonly hint?: readonly string[];
}

/** A document written at an event's position; `doc: null` deletes it. */
export interface DocumentWrite {
  readonly collection: string;
  readonly id: string;
  readonly doc: Doc | null;
  readonly position: Position;
}

/** The lease term a writer holds (issue 25): a store refuses its writes once a later term has written. */
export interface Fence {
  readonly lease: string;
  readonly term: number;
}

/** A deposed writer's write: another instance holds a later term of the lease. */
export class FencedWriteError extends Error {
  readonly code = 'FENCED_WRITE';
  constructor(fence: Fence) {
    super(`租约 ${fence.lease} 的第 ${fence.term} 任期已被接替，写入被拒绝`);
  }
}

/** Where one generation of a projection stands. */
export interface GenerationRecord {
  readonly projection: string;
  readonly generation: number;
  readonly version: number;
  readonly checkpoint: Position | null;
  /** ACTIVE answers queries; BUILDING is being rebuilt beside it; RETIRED awaits its drop. */
  readonly state: 'ACTIVE' | 'BUILDING' | 'RETIRED';
}

export interface ReadStoreHealth {
  readonly adapter: 'sqlite' | 'mongodb';
  readonly up: boolean;
  readonly detail?: string;
}

export interface ReadStore {
  /**
   * Creates the collections and their indexes if missing (idempotent). `deferIndexes`: a new
   * generation's collections, filled before anyone queries them; a store may then build their
   * secondary indexes once, when the generation is promoted, instead of on every write.
   */
  ensureCollections(specs: readonly CollectionSpec[], options?: { readonly deferIndexes?: boolean }): Promise<void>;
  dropCollections(names: readonly string[]): Promise<void>;
  get(collection: string, id: string): Promise<Doc | null>;
  getMany(collection: string, ids: readonly string[]): Promise<Doc[]>;
  find(collection: string, filter?: Filter, options?: FindOptions): Promise<Doc[]>;
  count(collection: string, filter?: Filter): Promise<number>;
  /**
   * Writes the documents and moves the generation's checkpoint to `checkpoint`. A write whose
   * position is not after the stored document's is skipped. With a fence, the write is made only
   * if no later term of that lease has written (then FencedWriteError, nothing written), and the
   * store remembers the term.
   */
  commit(
    projection: string,
    generation: number,
    writes: readonly DocumentWrite[],
    checkpoint: Position,
    fence?: Fence,
  ): Promise<void>;
  generations(projection: string): Promise<GenerationRecord[]>;
  saveGeneration(record: GenerationRecord): Promise<void>;
  /** Makes `generation` the ACTIVE one and the previous ACTIVE one RETIRED, atomically. */
  promote(projection: string, generation: number): Promise<void>;
  deleteGeneration(projection: string, generation: number): Promise<void>;
  health(): Promise<ReadStoreHealth>;
  close(): Promise<void>;
}

export const READ_STORE = Symbol('ReadStore');

export class InvalidFilterError extends Error {
  readonly code = 'INVALID_FILTER';
  constructor(reason: string) {
    super(`查询条件无效：${reason}`);
  }
}

/** Checks a filter's shape once for both adapters (queries never pass user input as operators). */
export function conditionKind(condition: FieldCondition): 'eq' | 'in' | 'prefix' | 'range' | 'ne' {
  if (condition === null || typeof condition !== 'object') return 'eq';
  if ('$in' in condition) return 'in';
  if ('$prefix' in condition) return 'prefix';
  if ('$ne' in condition) return 'ne';
  const keys = Object.keys(condition);
  if (keys.length > 0 && keys.every((k) => k === '$gte' || k === '$gt' || k === '$lte' || k === '$lt')) return 'range';
  throw new InvalidFilterError(`不支持的条件 ${JSON.stringify(condition)}`);
}

/** The value at a top-level field, for adapters that evaluate in memory. */
export function fieldOf(doc: Doc, field: string): JsonValue | undefined {
  return Object.prototype.hasOwnProperty.call(doc, field) ? doc[field] : undefined;
}

/** The generation queries read: the newest ACTIVE one (MongoDB's promote briefly leaves two). */
export function activeGeneration(records: readonly GenerationRecord[]): GenerationRecord | null {
  for (let i = records.length - 1; i >= 0; i--) if (records[i].state === 'ACTIVE') return records[i];
  return null;
}

/** Physical collection name of a projection generation's collection. */
export function physicalName(projection: string, generation: number, collection: string): string {
  return `${projection}_g${generation}_${collection}`;
}

/** The id a keyset page starts after, if any; it reads in id order, so it cannot have a sort of its own. */
export function keysetAfter(options: FindOptions): string | null {
  if (options.after === undefined) return null;
  if ((options.sort ?? []).length > 0) throw new InvalidFilterError('after 按 id 顺序分页，不能同时指定排序');
  return options.after;
}
