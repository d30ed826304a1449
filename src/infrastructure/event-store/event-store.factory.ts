import { join } from 'node:path';
import type { EventStore } from '../../application/ports/event-store.port';
import type { AppConfig } from '../config/app-config';
import { EsdbEventStore } from './esdb/esdb-event-store';
import { SqliteEventStore } from './sqlite/sqlite-event-store';
import type { CommitObserver } from './commit-observer';

/** EventStoreDB when a connection string is configured, the embedded SQLite store otherwise. */
export function createEventStore(config: AppConfig, onCommit?: CommitObserver): EventStore {
  if (config.esdbConnectionString) {
    return EsdbEventStore.connect(config.esdbConnectionString, { maxEventBytes: config.eventMaxBytes, onCommit });
  }
  return new SqliteEventStore({
    file: join(config.dataDir, 'events.sqlite'),
    maxEventBytes: config.eventMaxBytes,
    walCheckpointPages: config.eventStoreWalCheckpointPages,
    pollIntervalMs: config.subscriptionPollMs,
    onCommit,
  });
}
