/**
 * The embedded read store on SQLite: one table per collection (id, JSON document, position of the
 * last event that wrote it), indexes on JSON expressions, and a side table per collection for the
 * elements of multikey (array) fields. A commit writes its documents and the checkpoint in one
 * transaction. A separate file from the event store: read models are disposable, the events not.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
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
  physicalName,
  type ReadStore,
  type ReadStoreHealth,
  type Scalar,
} from '../../../application/ports/read-store.port';

const NAME = /^[A-Za-z0-9_-]{1,120}$/;
const FIELD = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** Greater than any character a prefix can be followed by. */
const PREFIX_END = '\u{10FFFF}';

interface CollectionInfo {
  readonly multikey: ReadonlySet<string>;
}

function quote(name: string): string {
  if (!NAME.test(name)) throw new InvalidFilterError(`集合名 ${name} 无效`);
  return `"${name}"`;
}

function field(name: string): string {
  if (!FIELD.test(name)) throw new InvalidFilterError(`字段名 ${name} 无效`);
  return `json_extract(doc, '$.${name}')`;
}

function bindable(value: Scalar | string | number): string | number | null {
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

export class SqliteReadStore implements ReadStore {
  private readonly db: Database.Database;
  private readonly collections = new Map<string, CollectionInfo>();
  private readonly statements = new Map<string, Database.Statement>();
  private readonly commitTx: (
    projection: string,
    generation: number,
    writes: readonly DocumentWrite[],
    checkpoint: Position,
    fence: Fence | undefined,
  ) => void;

  constructor(
    readonly file: string,
    options: { readonly busyTimeoutMs?: number } = {},
  ) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // NORMAL: a read model lost to a power cut is rebuilt from the events; its checkpoint and
    // documents still commit together, so what survives is consistent.
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
    this.db.pragma('cache_size = -65536');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS _collections (name TEXT PRIMARY KEY, spec TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS _generations (
        projection TEXT NOT NULL, generation INTEGER NOT NULL, version INTEGER NOT NULL,
        checkpoint TEXT, state TEXT NOT NULL, PRIMARY KEY (projection, generation));
      CREATE TABLE IF NOT EXISTS _fences (lease TEXT PRIMARY KEY, term INTEGER NOT NULL);
    `);
    this.commitTx = this.db.transaction((projection, generation, writes, checkpoint, fence) => {
      // The fence first, in the same transaction: a refused term writes nothing.
      if (fence && this.claimFence(fence) === 0) throw new FencedWriteError(fence);
      for (const write of writes) this.write(write);
      this.prepare('UPDATE _generations SET checkpoint = ? WHERE projection = ? AND generation = ?').run(
        checkpoint,
        projection,
        generation,
      );
    });
  }

  /** Reads the schema and the generations: throws SQLITE_CORRUPT or SQLITE_NOTADB on a damaged file. */
  checkReadable(): void {
    this.db.prepare('SELECT name, sql FROM sqlite_master').all();
    this.db.prepare('SELECT projection, generation, state FROM _generations').all();
  }

  private prepare(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private info(collection: string): CollectionInfo {
    let info = this.collections.get(collection);
    if (!info) {
      const row = this.prepare('SELECT spec FROM _collections WHERE name = ?').get(collection) as
        { spec: string } | undefined;
      const spec: CollectionSpec = row ? (JSON.parse(row.spec) as CollectionSpec) : { name: collection };
      info = { multikey: new Set((spec.indexes ?? []).filter((i) => i.multikey).map((i) => i.fields[0])) };
      if (row) this.collections.set(collection, info);
    }
    return info;
  }

  /** Tables known to exist (a collection is only ever dropped through this store, which forgets it then). */
  private readonly existing = new Set<string>();

  private exists(collection: string): boolean {
    if (this.existing.has(collection)) return true;
    const found =
      this.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(collection) !== undefined;
    if (found) this.existing.add(collection);
    return found;
  }

  async ensureCollections(
    specs: readonly CollectionSpec[],
    options: { readonly deferIndexes?: boolean } = {},
  ): Promise<void> {
    this.db.transaction(() => {
      for (const spec of specs) {
        const table = quote(spec.name);
        this.db.exec(`CREATE TABLE IF NOT EXISTS ${table} (id TEXT PRIMARY KEY, doc TEXT, pos TEXT NOT NULL)`);
        const multikey = (spec.indexes ?? []).filter((i) => i.multikey);
        if (multikey.some((index) => index.fields.length !== 1)) throw new InvalidFilterError('多值索引只能含一个字段');
        if (multikey.length > 0) {
          const side = quote(`${spec.name}__mk`);
          this.db.exec(`CREATE TABLE IF NOT EXISTS ${side} (field TEXT NOT NULL, value, id TEXT NOT NULL)`);
          // Writes find a document's side rows by id: this one is needed while the collection fills.
          this.db.exec(`CREATE INDEX IF NOT EXISTS ${quote(`${spec.name}__mk_id`)} ON ${side} (id)`);
        }
        // A deferred collection's query indexes are built by promote(): one sort of a filled table
        // instead of an index update per write (the audit trail's five, issue 20).
        const deferred = (options.deferIndexes ?? false) && this.hasDeferrable(spec);
        if (!deferred) this.createQueryIndexes(spec);
        this.prepare(
          'INSERT INTO _collections (name, spec) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET spec = excluded.spec',
        ).run(spec.name, JSON.stringify(deferred ? { ...spec, deferredIndexes: true } : spec));
        this.collections.delete(spec.name);
      }
    })();
    this.statements.clear();
  }

  private hasDeferrable(spec: CollectionSpec): boolean {
    return (spec.indexes ?? []).length > 0;
  }

  /** The indexes queries use: one per index spec, and the multikey side table's value index. */
  private createQueryIndexes(spec: CollectionSpec): void {
    const table = quote(spec.name);
    if ((spec.indexes ?? []).some((i) => i.multikey)) {
      const side = quote(`${spec.name}__mk`);
      this.db.exec(`CREATE INDEX IF NOT EXISTS ${quote(`${spec.name}__mk_value`)} ON ${side} (field, value, id)`);
    }
    for (const index of spec.indexes ?? []) {
      if (index.multikey) continue;
      const name = quote(`${spec.name}__${index.fields.join('_')}`);
      this.db.exec(`CREATE INDEX IF NOT EXISTS ${name} ON ${table} (${index.fields.map(field).join(', ')})`);
    }
  }

  /** Builds the deferred indexes of a generation's collections (before it is promoted). */
  private buildDeferredIndexes(projection: string, generation: number): void {
    const prefix = physicalName(projection, generation, '');
    const rows = this.prepare('SELECT name, spec FROM _collections WHERE substr(name, 1, ?) = ?').all(
      prefix.length,
      prefix,
    ) as Array<{ name: string; spec: string }>;
    for (const row of rows) {
      const spec = JSON.parse(row.spec) as CollectionSpec & { deferredIndexes?: boolean };
      if (!spec.deferredIndexes) continue;
      const { deferredIndexes: _deferred, ...complete } = spec;
      this.db.transaction(() => {
        this.createQueryIndexes(complete);
        this.prepare('UPDATE _collections SET spec = ? WHERE name = ?').run(JSON.stringify(complete), row.name);
      })();
      // Statistics for the planner (sampled: seconds even for a province), so that a selective
      // filter is read from its index and a broad one in sort order.
      this.db.pragma('analysis_limit = 1000');
      this.db.exec(`ANALYZE ${quote(row.name)}`);
    }
    this.statements.clear();
  }

  async dropCollections(names: readonly string[]): Promise<void> {
    this.db.transaction(() => {
      for (const name of names) {
        this.db.exec(`DROP TABLE IF EXISTS ${quote(name)}`);
        this.db.exec(`DROP TABLE IF EXISTS ${quote(`${name}__mk`)}`);
        this.prepare('DELETE FROM _collections WHERE name = ?').run(name);
        this.collections.delete(name);
        this.existing.delete(name);
      }
    })();
    this.statements.clear();
  }

  async get(collection: string, id: string): Promise<Doc | null> {
    if (!this.exists(collection)) return null;
    const row = this.prepare(`SELECT doc FROM ${quote(collection)} WHERE id = ? AND doc IS NOT NULL`).get(id) as
      { doc: string } | undefined;
    return row ? (JSON.parse(row.doc) as Doc) : null;
  }

  async getMany(collection: string, ids: readonly string[]): Promise<Doc[]> {
    if (ids.length === 0 || !this.exists(collection)) return [];
    const out: Doc[] = [];
    // Chunks keep the statement within SQLite's parameter limit.
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const rows = this.prepare(
        `SELECT doc FROM ${quote(collection)} WHERE doc IS NOT NULL AND id IN (${chunk.map(() => '?').join(',')})`,
      ).all(...chunk) as Array<{ doc: string }>;
      for (const row of rows) out.push(JSON.parse(row.doc) as Doc);
    }
    return out;
  }

  async find(collection: string, filter: Filter = {}, options: FindOptions = {}): Promise<Doc[]> {
    if (!this.exists(collection)) return [];
    const { where, params } = this.where(collection, filter, keysetAfter(options));
    const order = (options.sort ?? []).map(([f, d]) => `${field(f)} ${d === 1 ? 'ASC' : 'DESC'}`);
    order.push('id ASC');
    const limit = options.limit ?? -1;
    const skip = options.skip ?? 0;
    const from = `${quote(collection)}${this.indexedBy(collection, options.hint)}`;
    const sql = `SELECT doc FROM ${from}${where} ORDER BY ${order.join(', ')} LIMIT ? OFFSET ?`;
    const rows = this.prepare(sql).all(...params, limit, skip) as Array<{ doc: string }>;
    return rows.map((row) => JSON.parse(row.doc) as Doc);
  }

  /** `INDEXED BY` the hinted index, when the collection has it built (a rebuild defers them). */
  private indexedBy(collection: string, hint: readonly string[] | undefined): string {
    if (!hint) return '';
    const name = `${collection}__${hint.join('_')}`;
    const built = this.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = ?").get(name);
    return built ? ` INDEXED BY ${quote(name)}` : '';
  }

  async count(collection: string, filter: Filter = {}): Promise<number> {
    if (!this.exists(collection)) return 0;
    const { where, params } = this.where(collection, filter);
    return (this.prepare(`SELECT COUNT(*) AS n FROM ${quote(collection)}${where}`).get(...params) as { n: number }).n;
  }

  private where(
    collection: string,
    filter: Filter,
    after: string | null = null,
  ): { where: string; params: Array<string | number | null> } {
    const { multikey } = this.info(collection);
    const clauses: string[] = after === null ? ['doc IS NOT NULL'] : ['id > ?', 'doc IS NOT NULL'];
    const params: Array<string | number | null> = after === null ? [] : [after];
    for (const [name, condition] of Object.entries(filter)) {
      const isMultikey = multikey.has(name);
      // A multikey field is matched through its side table, one row per element.
      const target = isMultikey ? 'value' : field(name);
      const parts: string[] = [];
      const kind = conditionKind(condition);
      if (isMultikey && kind === 'ne') throw new InvalidFilterError(`多值字段 ${name} 不支持 $ne`);
      if (kind === 'eq') {
        if (condition === null) parts.push(`${target} IS NULL`);
        else {
          parts.push(`${target} = ?`);
          params.push(bindable(condition as Scalar));
        }
      } else if (kind === 'in') {
        const values = (condition as { $in: Scalar[] }).$in;
        if (values.length === 0) parts.push('0');
        else {
          parts.push(`${target} IN (${values.map(() => '?').join(',')})`);
          for (const value of values) params.push(bindable(value));
        }
      } else if (kind === 'prefix') {
        const prefix = (condition as { $prefix: string }).$prefix;
        parts.push(`${target} >= ? AND ${target} < ?`);
        params.push(prefix, prefix + PREFIX_END);
      } else if (kind === 'ne') {
        const value = (condition as { $ne: Scalar }).$ne;
        if (value === null) parts.push(`${target} IS NOT NULL`);
        else {
          parts.push(`(${target} IS NULL OR ${target} <> ?)`);
          params.push(bindable(value));
        }
      } else {
        const range = condition as Record<string, string | number>;
        for (const [op, sql] of [
          ['$gte', '>='],
          ['$gt', '>'],
          ['$lte', '<='],
          ['$lt', '<'],
        ] as const) {
          if (range[op] !== undefined) {
            parts.push(`${target} ${sql} ?`);
            params.push(range[op]);
          }
        }
      }
      if (isMultikey) {
        clauses.push(`id IN (SELECT id FROM ${quote(`${collection}__mk`)} WHERE field = ? AND ${parts.join(' AND ')})`);
        // The field name binds before the condition's values.
        params.splice(params.length - countPlaceholders(parts), 0, name);
      } else clauses.push(parts.join(' AND '));
    }
    return { where: ` WHERE ${clauses.join(' AND ')}`, params };
  }

  async commit(
    projection: string,
    generation: number,
    writes: readonly DocumentWrite[],
    checkpoint: Position,
    fence?: Fence,
  ): Promise<void> {
    this.commitTx(projection, generation, writes, checkpoint, fence);
  }

  /** Records the fence's term unless a later one has written: 1 if it holds, 0 if refused. */
  private claimFence({ lease, term }: Fence): number {
    return this.prepare(
      'INSERT INTO _fences (lease, term) VALUES (?, ?) ON CONFLICT(lease) DO UPDATE SET term = excluded.term WHERE term <= excluded.term',
    ).run(lease, term).changes;
  }

  private write({ collection, id, doc, position }: DocumentWrite): void {
    const table = quote(collection);
    const changed =
      doc === null
        ? // A tombstone (doc NULL) keeps the position, so a stale write cannot bring the document back.
          this.prepare(
            `INSERT INTO ${table} (id, doc, pos) VALUES (?, NULL, ?) ON CONFLICT(id) DO UPDATE SET doc = NULL, pos = excluded.pos WHERE pos < excluded.pos`,
          ).run(id, position).changes
        : this.prepare(
            `INSERT INTO ${table} (id, doc, pos) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET doc = excluded.doc, pos = excluded.pos WHERE pos < excluded.pos`,
          ).run(id, JSON.stringify(doc), position).changes;
    const { multikey } = this.info(collection);
    if (changed === 0 || multikey.size === 0) return;
    const side = quote(`${collection}__mk`);
    this.prepare(`DELETE FROM ${side} WHERE id = ?`).run(id);
    if (doc === null) return;
    const insert = this.prepare(`INSERT INTO ${side} (field, value, id) VALUES (?, ?, ?)`);
    for (const name of multikey) {
      const values = doc[name];
      if (!Array.isArray(values)) continue;
      for (const value of new Set(values)) {
        if (value === null || typeof value !== 'object') insert.run(name, bindable(value as Scalar), id);
      }
    }
  }

  async generations(projection: string): Promise<GenerationRecord[]> {
    const rows = this.prepare(
      'SELECT projection, generation, version, checkpoint, state FROM _generations WHERE projection = ? ORDER BY generation',
    ).all(projection) as GenerationRecord[];
    return rows.map((row) => ({ ...row }));
  }

  async saveGeneration(record: GenerationRecord): Promise<void> {
    this.prepare(
      `INSERT INTO _generations (projection, generation, version, checkpoint, state) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(projection, generation) DO UPDATE SET version = excluded.version, checkpoint = excluded.checkpoint, state = excluded.state`,
    ).run(record.projection, record.generation, record.version, record.checkpoint, record.state);
  }

  async promote(projection: string, generation: number): Promise<void> {
    this.buildDeferredIndexes(projection, generation);
    this.db.transaction(() => {
      this.prepare(
        `UPDATE _generations SET state = 'RETIRED' WHERE projection = ? AND state = 'ACTIVE' AND generation <> ?`,
      ).run(projection, generation);
      this.prepare(`UPDATE _generations SET state = 'ACTIVE' WHERE projection = ? AND generation = ?`).run(
        projection,
        generation,
      );
    })();
  }

  async deleteGeneration(projection: string, generation: number): Promise<void> {
    this.prepare('DELETE FROM _generations WHERE projection = ? AND generation = ?').run(projection, generation);
  }

  async health(): Promise<ReadStoreHealth> {
    try {
      this.db.prepare('SELECT 1').get();
      return { adapter: 'sqlite', up: this.db.open, detail: this.file };
    } catch (error) {
      return { adapter: 'sqlite', up: false, detail: error instanceof Error ? error.message : String(error) };
    }
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

function countPlaceholders(parts: readonly string[]): number {
  return parts.join(' ').split('?').length - 1;
}
