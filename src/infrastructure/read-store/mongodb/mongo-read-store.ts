/**
 * The read store on MongoDB (`mongodb` driver), selected when MONGODB_URI is set. One MongoDB
 * collection per read-model collection; `_id` is the document id and `_pos` the global position of
 * the last event that wrote it. There is no transaction across a batch: every write is guarded by
 * `_pos`, so a batch replayed after a crash (its checkpoint not yet moved) is a no-op for every
 * document it had already written. Deletions leave a tombstone carrying `_pos` for the same reason;
 * queries never see tombstones.
 *
 * A fenced commit (issue 25) claims its lease term in `_fences` before its documents and again
 * before its checkpoint: a later term's claim refuses it. The two are not one transaction, so a
 * deposed writer that passed the first claim just before the takeover may still write that one
 * batch's documents; their `_pos` guards keep them from replacing anything newer, and its
 * checkpoint is refused.
 */
import {
  type AnyBulkWriteOperation,
  type Collection,
  type Db,
  type Document,
  MongoClient,
  MongoServerError,
} from 'mongodb';
import type { Position } from '../../../application/event-store/position';
import {
  type CollectionSpec,
  conditionKind,
  type Doc,
  type DocumentWrite,
  type Fence,
  FencedWriteError,
  type Filter,
  type FindOptions,
  type GenerationRecord,
  InvalidFilterError,
  keysetAfter,
  type ReadStore,
  type ReadStoreHealth,
  type Scalar,
} from '../../../application/ports/read-store.port';

const GENERATIONS = '_generations';
const FENCES = '_fences';
const FIELD = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function toMongoFilter(filter: Filter): Document {
  const out: Document = { _deleted: { $ne: true } };
  for (const [name, condition] of Object.entries(filter)) {
    if (!FIELD.test(name)) throw new InvalidFilterError(`字段名 ${name} 无效`);
    const kind = conditionKind(condition);
    if (kind === 'eq') out[name] = condition as Scalar;
    else if (kind === 'in') out[name] = { $in: (condition as { $in: Scalar[] }).$in };
    else if (kind === 'prefix') out[name] = { $regex: `^${escapeRegex((condition as { $prefix: string }).$prefix)}` };
    else if (kind === 'ne') out[name] = { $ne: (condition as { $ne: Scalar }).$ne };
    else out[name] = { ...(condition as object) };
  }
  return out;
}

function fromMongo(document: Document): Doc {
  const { _id, _pos, _deleted, ...rest } = document;
  void _pos;
  void _deleted;
  return { ...rest, id: _id as string } as Doc;
}

function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === 11000;
}

export class MongoReadStore implements ReadStore {
  private constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
  ) {}

  static async connect(uri: string, databaseName?: string): Promise<MongoReadStore> {
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000 });
    await client.connect();
    return new MongoReadStore(client, client.db(databaseName));
  }

  private collection(name: string): Collection<Document> {
    return this.db.collection(name);
  }

  /** MongoDB builds indexes online and incrementally: `deferIndexes` changes nothing here. */
  async ensureCollections(
    specs: readonly CollectionSpec[],
    _options?: { readonly deferIndexes?: boolean },
  ): Promise<void> {
    for (const spec of specs) {
      const collection = this.collection(spec.name);
      for (const index of spec.indexes ?? []) {
        await collection.createIndex(Object.fromEntries(index.fields.map((f) => [f, 1])));
      }
    }
  }

  async dropCollections(names: readonly string[]): Promise<void> {
    const existing = new Set((await this.db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
    for (const name of names) if (existing.has(name)) await this.collection(name).drop();
  }

  async get(collection: string, id: string): Promise<Doc | null> {
    const document = await this.collection(collection).findOne({ _id: id as never, _deleted: { $ne: true } });
    return document ? fromMongo(document) : null;
  }

  async getMany(collection: string, ids: readonly string[]): Promise<Doc[]> {
    if (ids.length === 0) return [];
    const documents = await this.collection(collection)
      .find({ _id: { $in: ids as never[] }, _deleted: { $ne: true } })
      .toArray();
    return documents.map(fromMongo);
  }

  async find(collection: string, filter: Filter = {}, options: FindOptions = {}): Promise<Doc[]> {
    const sort: Array<[string, 1 | -1]> = (options.sort ?? []).map(([f, d]) => [f, d]);
    sort.push(['_id', 1]);
    const after = keysetAfter(options);
    const query = after === null ? toMongoFilter(filter) : { ...toMongoFilter(filter), _id: { $gt: after as never } };
    let cursor = this.collection(collection).find(query).sort(sort);
    if (options.skip) cursor = cursor.skip(options.skip);
    if (options.limit !== undefined) cursor = cursor.limit(options.limit);
    if (options.hint) cursor = cursor.hint(Object.fromEntries(options.hint.map((f) => [f, 1])));
    return (await cursor.toArray()).map(fromMongo);
  }

  async count(collection: string, filter: Filter = {}): Promise<number> {
    return this.collection(collection).countDocuments(toMongoFilter(filter));
  }

  async commit(
    projection: string,
    generation: number,
    writes: readonly DocumentWrite[],
    checkpoint: Position,
    fence?: Fence,
  ): Promise<void> {
    if (fence) await this.claimFence(fence);
    const byCollection = new Map<string, AnyBulkWriteOperation<Document>[]>();
    for (const { collection, id, doc, position } of writes) {
      const { id: _omit, ...fields } = doc ?? { id };
      void _omit;
      const replacement: Document = doc === null ? { _pos: position, _deleted: true } : { ...fields, _pos: position };
      const operations = byCollection.get(collection) ?? [];
      // Only a document older than this event is replaced; a newer one stays (the upsert of an
      // existing newer document fails on its _id and is ignored below).
      operations.push({
        replaceOne: { filter: { _id: id as never, _pos: { $lt: position } }, replacement, upsert: true },
      });
      byCollection.set(collection, operations);
    }
    for (const [collection, operations] of byCollection) {
      try {
        await this.collection(collection).bulkWrite(operations, { ordered: false });
      } catch (error) {
        const writeErrors = (error as { writeErrors?: Array<{ code: number }> }).writeErrors;
        const onlyDuplicates = Array.isArray(writeErrors)
          ? writeErrors.every((e) => e.code === 11000)
          : isDuplicateKey(error);
        if (!onlyDuplicates) throw error;
      }
    }
    // The checkpoint moves last: until it does, a restart replays the batch, harmlessly.
    if (fence) await this.claimFence(fence);
    await this.collection(GENERATIONS).updateOne(
      { _id: `${projection}:${generation}` as never },
      { $set: { checkpoint } },
    );
  }

  /** Records the fence's term unless a later one has: the upsert of a refused term fails on its _id. */
  private async claimFence({ lease, term }: Fence): Promise<void> {
    try {
      await this.collection(FENCES).updateOne(
        { _id: lease as never, term: { $lte: term } },
        { $set: { term } },
        { upsert: true },
      );
    } catch (error) {
      if (isDuplicateKey(error)) throw new FencedWriteError({ lease, term });
      throw error;
    }
  }

  async generations(projection: string): Promise<GenerationRecord[]> {
    const documents = await this.collection(GENERATIONS).find({ projection }).sort({ generation: 1 }).toArray();
    return documents.map((d) => ({
      projection: d.projection,
      generation: d.generation,
      version: d.version,
      checkpoint: d.checkpoint ?? null,
      state: d.state,
    }));
  }

  async saveGeneration(record: GenerationRecord): Promise<void> {
    await this.collection(GENERATIONS).replaceOne(
      { _id: `${record.projection}:${record.generation}` as never },
      { ...record },
      { upsert: true },
    );
  }

  async promote(projection: string, generation: number): Promise<void> {
    // Activate first: for a moment two generations are ACTIVE, and readers take the newest.
    await this.collection(GENERATIONS).updateOne(
      { _id: `${projection}:${generation}` as never },
      { $set: { state: 'ACTIVE' } },
    );
    await this.collection(GENERATIONS).updateMany(
      { projection, state: 'ACTIVE', generation: { $ne: generation } },
      { $set: { state: 'RETIRED' } },
    );
  }

  async deleteGeneration(projection: string, generation: number): Promise<void> {
    await this.collection(GENERATIONS).deleteOne({ _id: `${projection}:${generation}` as never });
  }

  async health(): Promise<ReadStoreHealth> {
    try {
      await this.db.command({ ping: 1 });
      return { adapter: 'mongodb', up: true, detail: this.db.databaseName };
    } catch (error) {
      return { adapter: 'mongodb', up: false, detail: error instanceof Error ? error.message : String(error) };
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
