import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/app-config';
import { EsdbEventStore } from './esdb/esdb-event-store';
import { createEventStore } from './event-store.factory';
import { SqliteEventStore } from './sqlite/sqlite-event-store';

describe('createEventStore', () => {
  it('uses the embedded SQLite store in DATA_DIR when no EventStoreDB is configured', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'factory-'));
    const store = createEventStore(loadConfig({ DATA_DIR: join(dir, 'nested') }));
    expect(store).toBeInstanceOf(SqliteEventStore);
    expect(existsSync(join(dir, 'nested', 'events.sqlite'))).toBe(true);
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('uses EventStoreDB when ESDB_CONNECTION_STRING is set (the client connects lazily)', async () => {
    const store = createEventStore(loadConfig({ ESDB_CONNECTION_STRING: 'esdb://127.0.0.1:1?tls=false' }));
    expect(store).toBeInstanceOf(EsdbEventStore);
    await store.close();
  });
});
