/**
 * The live projections in a worker thread (issue 20): on the embedded default they took about a
 * third of the command thread, and requests waited behind their batches. The worker opens its own
 * connections to the same two files — the event store to read, the read store to write — and runs
 * the same ProjectionEngine, so exactly-once (documents and checkpoint in one transaction) and
 * rebuilds behave as in one thread. It tells the main thread how far it has read (read-your-writes
 * through X-Consistent-With); the main thread tells it when a commit is made (no poll to wait for).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ProjectionEngine } from '../../application/projections/projection-engine';
import { readModelProjections } from '../../read-models/projections';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store';
import { SqliteReadStore } from './sqlite/sqlite-read-store';
import { SystemClock } from '../system/system-clock';
import type { WorkerMessage, WorkerSettings } from './projection-worker-client';

const settings = workerData as WorkerSettings;
const port = parentPort!;
const send = (message: WorkerMessage) => port.postMessage(message);

const store = new SqliteEventStore({ file: settings.eventsFile, pollIntervalMs: settings.pollIntervalMs });
const readStore = new SqliteReadStore(settings.readModelsFile);
const log = {
  info: (message: string) => send({ kind: 'log', level: 'info', message }),
  error: (message: string) => send({ kind: 'log', level: 'error', message }),
};
const engine = new ProjectionEngine(
  store,
  readStore,
  readModelProjections({ timeZone: settings.timeZone }),
  new SystemClock(),
  log,
  { batchSize: settings.batchSize, onSeen: (position) => send({ kind: 'seen', position }) },
);

port.on('message', (message: 'committed' | 'stop') => {
  if (message === 'committed') store.poke();
  else
    void (async () => {
      await engine.stop();
      await readStore.close();
      await store.close();
      send({ kind: 'stopped' });
    })();
});

engine.start(settings.term).then(
  () => send({ kind: 'started' }),
  (error: unknown) =>
    send({ kind: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
);
