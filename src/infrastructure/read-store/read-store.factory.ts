import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import type { ReadStore } from '../../application/ports/read-store.port';
import type { AppConfig } from '../config/app-config';
import { MongoReadStore } from './mongodb/mongo-read-store';
import { SqliteReadStore } from './sqlite/sqlite-read-store';

/** MongoDB when MONGODB_URI is set, the embedded SQLite read store otherwise. */
export async function createReadStore(config: AppConfig): Promise<ReadStore> {
  if (config.mongodbUri) return MongoReadStore.connect(config.mongodbUri);
  return openEmbeddedReadStore(join(config.dataDir, 'read-models.sqlite'), (message) =>
    new Logger('ReadStore').warn(message),
  );
}

const UNREADABLE = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB']);

/**
 * The embedded read store, set aside and started afresh when its file is damaged (not a database,
 * or its schema unreadable): read models are derived data, the projections rebuild them from the
 * events, and the damaged file is kept (renamed) for inspection, never deleted.
 */
export function openEmbeddedReadStore(file: string, warn: (message: string) => void): SqliteReadStore {
  try {
    const store = new SqliteReadStore(file);
    try {
      store.checkReadable();
      return store;
    } catch (error) {
      void store.close();
      throw error;
    }
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    if (!UNREADABLE.has(code)) throw error;
    const aside = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    for (const suffix of ['', '-wal', '-shm']) if (existsSync(file + suffix)) renameSync(file + suffix, aside + suffix);
    warn(`读模型库 ${file} 已损坏（${code}），已改名为 ${aside} 保留，读模型将从事件重建`);
    return new SqliteReadStore(file);
  }
}

/** A throwaway in-memory store, for views built on demand (as-of queries). */
export function createScratchReadStore(): ReadStore {
  return new SqliteReadStore(':memory:');
}
