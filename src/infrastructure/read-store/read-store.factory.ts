import { join } from 'node:path';
import type { ReadStore } from '../../application/read-store/read-store.port';
import type { AppConfig } from '../config/app-config';
import { MongoReadStore } from './mongodb/mongo-read-store';
import { SqliteReadStore } from './sqlite/sqlite-read-store';

/** MongoDB when MONGODB_URI is set, the embedded SQLite read store otherwise. */
export async function createReadStore(config: AppConfig): Promise<ReadStore> {
  if (config.mongodbUri) return MongoReadStore.connect(config.mongodbUri);
  return new SqliteReadStore(join(config.dataDir, 'read-models.sqlite'));
}

/** A throwaway in-memory store, for views built on demand (as-of queries). */
export function createScratchReadStore(): ReadStore {
  return new SqliteReadStore(':memory:');
}
