/**
 * The live projections in a worker thread (PROJECTIONS_IN_WORKER, issue 20): read-your-writes
 * through X-Consistent-With as in one thread; the worker ended abruptly part-way through a
 * history (as a crash would) is started again and resumes from its checkpoints; and what it
 * built is exactly what a rebuild from the events builds — nothing lost, nothing applied twice.
 */
import { join } from 'node:path';
import request from 'supertest';
import { ProjectionEngine } from '../../src/application/projections/projection-engine';
import { SqliteReadStore } from '../../src/infrastructure/read-store/sqlite/sqlite-read-store';
import { SystemClock } from '../../src/infrastructure/system/system-clock';
import { PROJECTION_WORKER } from '../../src/infrastructure/read-store/read-store.module';
import type { ProjectionWorker } from '../../src/infrastructure/read-store/projection-worker-client';
import { readModelProjections } from '../../src/read-models/projections';
import { buildHistory, dumpReadModels } from '../support/read-models';
import { makeTempDir } from '../support/temp-dir';
import { startTestApp, type TestApp } from '../support/test-app';
import { withHrNotice } from '../support/hr-notice';

const ALL = readModelProjections({ timeZone: 'Asia/Shanghai' });
const quiet = { info: () => undefined, error: () => undefined };

describe('the live projections in a worker thread', () => {
  let t: TestApp;
  let dir: ReturnType<typeof makeTempDir>;

  beforeAll(async () => {
    dir = makeTempDir();
    t = await startTestApp({ PROJECTIONS_IN_WORKER: 'true' }, { keepDir: dir.path });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    dir.remove();
  });

  it('reads its own writes, survives being ended part-way, and ends with what a rebuild builds', async () => {
    const worker = t.app.get<ProjectionWorker | null>(PROJECTION_WORKER);
    expect(worker).not.toBeNull();
    const server = t.app.getHttpServer();
    // Read-your-writes through the worker.
    const created = await request(server)
      .post('/org-nodes')
      .set(t.admin)
      .send({ orgNodeId: 'edu', name: '区教育局', kind: 'UNIT', parentId: 'root' })
      .expect(200);
    await request(server)
      .get('/org-tree/edu/path')
      .set({ ...t.admin, 'X-Consistent-With': created.body.position })
      .expect(200);

    // Ended abruptly while a history is being written: it starts again and catches up.
    const history = buildHistory(t, 400);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await worker!.crash();
    const last = await history;
    const registered = await request(server)
      .post('/persons')
      .set(t.admin)
      .send(
        withHrNotice('/persons', {
          personId: 'p-after',
          name: '后来人',
          idNumber: '11010519491231002X',
          gender: '2',
          mobile: '18600000009',
          employment: { type: 'CONTRACTED' },
          primaryPost: { orgNodeId: 'edu' },
        }),
      )
      .expect(200);
    expect(registered.body.position > last).toBe(true);
    await request(server)
      .get('/persons/p-after')
      .set({ ...t.admin, 'X-Consistent-With': registered.body.position })
      .expect(200);
    const consistent = await request(server)
      .get('/org-tree/edu/members')
      .set({ ...t.admin, 'X-Consistent-With': registered.body.position })
      .expect(200);
    expect(consistent.body.persons.map((p: { personId: string }) => p.personId)).toContain('p-after');

    // What the worker built is what a rebuild from the events builds.
    const live = await dumpReadModels(new SqliteReadStore(join(dir.path, 'read-models.sqlite')), ALL);
    const rebuiltDir = makeTempDir();
    const rebuilt = new SqliteReadStore(join(rebuiltDir.path, 'rm.sqlite'));
    await new ProjectionEngine(t.store, rebuilt, ALL, new SystemClock(), quiet, { batchSize: 500 }).rebuild(
      ALL.map((p) => p.name),
    );
    expect(await dumpReadModels(rebuilt, ALL)).toEqual(live);
    await rebuilt.close();
    rebuiltDir.remove();
  }, 120_000);
});
