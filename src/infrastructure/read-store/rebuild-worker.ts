/**
 * One thread of a parallel rebuild (parallel-rebuild.ts): rebuilds the read models it is handed,
 * one at a time, with the same ProjectionEngine as in one thread, on its own connections to the
 * two files. Each read model is still a new generation committed with its checkpoint, so an
 * interrupted rebuild resumes as before.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { getHeapStatistics } from 'node:v8';
import { ProjectionEngine } from '../../application/projections/projection-engine';
import { readModelProjections } from '../../read-models/projections';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store';
import { SqliteReadStore } from './sqlite/sqlite-read-store';
import { SystemClock } from '../system/system-clock';
import type { RebuildRequest, RebuildWorkerMessage, RebuildWorkerSettings } from './parallel-rebuild';

const settings = workerData as RebuildWorkerSettings;
const port = parentPort!;
const send = (message: RebuildWorkerMessage) => port.postMessage(message);

const store = new SqliteEventStore({ file: settings.eventsFile });
// Another thread may hold the write lock for as long as it builds a large index at its promotion.
const readStore = new SqliteReadStore(settings.readModelsFile, { busyTimeoutMs: settings.busyTimeoutMs });
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
);

let peakHeap = 0;
const sampleHeap = () => {
  peakHeap = Math.max(peakHeap, getHeapStatistics().used_heap_size);
};
setInterval(sampleHeap, 100).unref();

port.on('message', (request: RebuildRequest) => {
  if (request.kind === 'stop') {
    void Promise.all([readStore.close(), store.close()]).then(() => port.close());
    return;
  }
  const { name } = request;
  engine
    .rebuild([name], (progress) => send({ kind: 'progress', name, ...progress }), settings.batchSize)
    .then(
      ({ processed }) => {
        sampleHeap();
        send({ kind: 'rebuilt', name, processed, peakHeapBytes: peakHeap });
      },
      (error: unknown) =>
        send({ kind: 'failed', name, message: error instanceof Error ? error.message : String(error) }),
    );
});
