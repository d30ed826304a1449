/**
 * The live feed hub's saved fold in a SQLite file of DATA_DIR (ids only: nodes, people, accounts,
 * owned things; no personal data). Entries are read when the fold first needs them, not loaded:
 * a province's fold (millions of entries) resumes at once, where reading it whole took seconds.
 * Each save adds the entries changed since the last one and where the fold stands, at one commit,
 * so a crash leaves the fold as one save or the next, never between them.
 *
 * One process keeps the file (SQLite's exclusive locking mode, taken at load and held until
 * close): a second one, a `cli rebuild` while the service runs say, is told `held`.
 */
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { keepRecent } from '../../application/shared/recency';
import type { Position } from '../../application/event-store/position';
import type { SavedScopes, ScopeSnapshots } from '../../application/published-events/live-feed-hub';
import {
  SCOPE_KINDS,
  type ScopeChanges,
  type ScopeIndex,
  type ScopeKind,
  type ScopeValues,
} from '../../application/published-events/event-scope';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS fold (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    position TEXT NOT NULL,
    event_id TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS entry (
    kind INTEGER NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (kind, key)
  ) WITHOUT ROWID;
`;

/** Entries read from the file and kept for the next event about the same thing. */
const RECENT_ENTRIES = 100_000;

const kindCode = (kind: ScopeKind): number => SCOPE_KINDS.indexOf(kind);

export class ScopeIndexFile implements ScopeSnapshots, ScopeIndex {
  private db: Database.Database | null = null;
  /** Every node's parent, read whole at load: every scope walks the tree, and a tree is small. */
  private readonly parents = new Map<string, string | null>();
  private readonly recent = new Map<string, unknown>();
  private select: Database.Statement<[number, string], { value: string }> | null = null;

  constructor(private readonly file: string) {}

  async load(): Promise<SavedScopes | 'held'> {
    const db = this.open();
    if (!db) return 'held';
    this.parents.clear();
    this.recent.clear();
    const fold = db.prepare('SELECT position, event_id FROM fold WHERE id = 1').get() as
      { position: string; event_id: string } | undefined;
    if (!fold) return { index: this, at: null };
    const rows = db.prepare('SELECT key, value FROM entry WHERE kind = ?').all(kindCode('parentOf')) as Array<{
      key: string;
      value: string;
    }>;
    for (const row of rows) this.parents.set(row.key, JSON.parse(row.value) as string | null);
    return { index: this, at: { position: fold.position as Position, eventId: fold.event_id } };
  }

  get<K extends ScopeKind>(kind: K, key: string): ScopeValues[K] | undefined {
    if (kind === 'parentOf') return this.parents.get(key) as ScopeValues[K] | undefined;
    const cacheKey = `${kindCode(kind)}:${key}`;
    if (this.recent.has(cacheKey)) return this.recent.get(cacheKey) as ScopeValues[K] | undefined;
    const row = this.select?.get(kindCode(kind), key);
    const value = row ? (JSON.parse(row.value) as ScopeValues[K]) : undefined;
    this.recent.set(cacheKey, value);
    keepRecent(this.recent, RECENT_ENTRIES);
    return value;
  }

  async save(position: Position, eventId: string, changes: ScopeChanges): Promise<void> {
    const db = this.required();
    const put = db.prepare('INSERT OR REPLACE INTO entry (kind, key, value) VALUES (?, ?, ?)');
    db.transaction(() => {
      for (const kind of SCOPE_KINDS) {
        const code = kindCode(kind);
        for (const [key, value] of changes[kind] as ReadonlyMap<string, unknown>)
          put.run(code, key, JSON.stringify(value));
      }
      db.prepare('INSERT OR REPLACE INTO fold (id, position, event_id) VALUES (1, ?, ?)').run(position, eventId);
    })();
    // After the commit: what is read from now on is what was saved.
    for (const [key, value] of changes.parentOf) this.parents.set(key, value);
    for (const kind of SCOPE_KINDS)
      for (const key of changes[kind].keys()) this.recent.delete(`${kindCode(kind)}:${key}`);
  }

  async discard(): Promise<void> {
    const db = this.required();
    db.exec('DELETE FROM entry; DELETE FROM fold;');
    this.parents.clear();
    this.recent.clear();
  }

  async close(): Promise<void> {
    this.db?.close();
    this.db = null;
    this.select = null;
  }

  /** The file, kept by this process from now on; null if another process keeps it. */
  private open(): Database.Database | null {
    if (this.db) return this.db;
    // No wait for the lock: a process that keeps the file keeps it for as long as it runs.
    const db = new Database(this.file, { timeout: 0 });
    try {
      db.pragma('locking_mode = EXCLUSIVE');
      db.pragma('journal_mode = WAL');
      // A save lost to a power cut only makes the next start fold a little more.
      db.pragma('synchronous = NORMAL');
      db.exec(SCHEMA);
    } catch (error) {
      db.close();
      const code = (error as { code?: string }).code;
      if (code === 'SQLITE_BUSY') return null;
      // Not a database (a torn copy, another file): the fold is derived from the store, so it starts over.
      if (code !== 'SQLITE_NOTADB' && code !== 'SQLITE_CORRUPT') throw error;
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${this.file}${suffix}`, { force: true });
      return this.open();
    }
    this.db = db;
    this.select = db.prepare('SELECT value FROM entry WHERE kind = ? AND key = ?');
    return db;
  }

  private required(): Database.Database {
    if (!this.db) throw new Error('the live feed scope index is not open (load it first)');
    return this.db;
  }
}

/** The hub's index beside the embedded store (the whole-JSON snapshot of earlier versions, if left, is removed). */
export function liveFeedScopeIndex(dataDir: string): ScopeIndexFile {
  rmSync(join(dataDir, 'live-feed-scopes.json'), { force: true });
  return new ScopeIndexFile(join(dataDir, 'live-feed-scopes.sqlite'));
}
