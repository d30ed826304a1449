/**
 * Read models are disposable and exact: over one varied history, the live read models, a rebuild
 * into a fresh store, a pass fed every event twice, a rebuild through a store that crashes in the
 * middle of a batch (writing documents one by one, as MongoDB would, then failing), a read store
 * deleted and rebuilt at start-up, and a CLI rebuild SIGKILLed half-way then resumed, all end in
 * the same documents.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import request from 'supertest';
import type { RecordedEvent } from '../../src/application/ports/event-store.port';
import type { Position } from '../../src/application/event-store/position';
import { pagesOfAll, ProjectionEngine, projectInto } from '../../src/application/projections/projection-engine';
import type { DocumentWrite, ReadStore } from '../../src/application/ports/read-store.port';
import { SqliteReadStore } from '../../src/infrastructure/read-store/sqlite/sqlite-read-store';
import { SystemClock } from '../../src/infrastructure/system/system-clock';
import { SqliteEventStore } from '../../src/infrastructure/event-store/sqlite/sqlite-event-store';
import { ScopeIndexFile } from '../../src/infrastructure/live-stream/scope-index-file';
import { SCOPE_EVENT_TYPES } from '../../src/application/published-events/event-scope';
import { readModelProjections } from '../../src/read-models/projections';

const ALL_PROJECTIONS = readModelProjections({ timeZone: 'Asia/Shanghai' });
import { buildHistory, dumpReadModels, expectSameReadModels } from '../support/read-models';
import { makeTempDir } from '../support/temp-dir';
import { startTestApp, type TestApp } from '../support/test-app';

const quiet = { info: () => undefined, error: () => undefined };

/** Writes a commit's documents one at a time, the checkpoint last, and crashes once after `crashAfter` documents. */
class CrashingReadStore extends SqliteReadStore {
  crashes = 0;
  constructor(
    file: string,
    private crashAfter: number,
  ) {
    super(file);
  }
  override async commit(
    projection: string,
    generation: number,
    writes: readonly DocumentWrite[],
    checkpoint: Position,
  ): Promise<void> {
    const [before] = (await this.generations(projection)).filter((g) => g.generation === generation);
    for (const write of writes) {
      if (this.crashAfter-- === 0) {
        this.crashes += 1;
        throw new Error('simulated crash in the middle of a batch');
      }
      // Each document alone, the checkpoint left where it was: a partial batch, as without a transaction.
      await super.commit(
        projection,
        generation,
        [write],
        before.checkpoint ?? ('0000000000000000-0000000000000000' as Position),
      );
    }
    await super.commit(projection, generation, [], checkpoint);
  }
}

describe('read models: exactly once, rebuildable', () => {
  let testApp: TestApp;
  let dataDir: ReturnType<typeof makeTempDir>;
  let live: Awaited<ReturnType<typeof dumpReadModels>>;

  beforeAll(async () => {
    dataDir = makeTempDir();
    testApp = await startTestApp({}, { keepDir: dataDir.path });
    const last = await buildHistory(testApp, 1500);
    // The live projections have caught up with the last command.
    await request(testApp.app.getHttpServer())
      .get('/org-tree/root/path')
      .set({ ...testApp.admin, 'X-Consistent-With': last })
      .expect(200);
    live = await dumpReadModels(testApp.app.get(ProjectionEngine)['readStore'] as ReadStore, ALL_PROJECTIONS);
    expect(live['directory/persons'].length).toBe(1501);
    expect(live['audit_trail/entries'].length).toBeGreaterThan(2500);
  }, 120_000);
  afterAll(async () => {
    await testApp?.close();
    dataDir.remove();
  });

  it('a rebuild into a fresh store yields the live documents', async () => {
    const dir = makeTempDir();
    const store = new SqliteReadStore(join(dir.path, 'rm.sqlite'));
    const engine = new ProjectionEngine(testApp.store, store, ALL_PROJECTIONS, new SystemClock(), quiet, {
      batchSize: 500,
    });
    const progress: number[] = [];
    await engine.rebuild(
      ALL_PROJECTIONS.map((p) => p.name),
      (p) => progress.push(p.fraction),
    );
    expect(await dumpReadModels(store, ALL_PROJECTIONS)).toEqual(live);
    expect(progress[progress.length - 1]).toBe(1);
    await store.close();
    dir.remove();
  });

  it('every event fed twice changes nothing the second time', async () => {
    const store = new SqliteReadStore(':memory:');
    async function* twice(): AsyncGenerator<RecordedEvent[]> {
      for await (const page of pagesOfAll(testApp.store)) yield page.flatMap((e) => [e, e]);
    }
    await projectInto(store, ALL_PROJECTIONS, twice(), () => true);
    expect(await dumpReadModels(store, ALL_PROJECTIONS)).toEqual(live);
    await store.close();
  });

  it('a batch that crashes half-written (no transaction) and is replayed ends the same', async () => {
    const dir = makeTempDir();
    const store = new CrashingReadStore(join(dir.path, 'rm.sqlite'), 2500);
    const engine = new ProjectionEngine(testApp.store, store, ALL_PROJECTIONS, new SystemClock(), quiet, {
      batchSize: 400,
      retryDelayMs: 10,
    });
    await engine.rebuild(ALL_PROJECTIONS.map((p) => p.name));
    expect(store.crashes).toBe(1);
    expect(await dumpReadModels(store, ALL_PROJECTIONS)).toEqual(live);
    await store.close();
    dir.remove();
  });

  it('the read-model file deleted, the service rebuilds it at start-up and answers the same', async () => {
    await testApp.close();
    for (const suffix of ['', '-wal', '-shm'])
      rmSync(join(dataDir.path, `read-models.sqlite${suffix}`), { force: true });
    testApp = await startTestApp({}, { keepDir: dataDir.path });
    const engine = testApp.app.get(ProjectionEngine);
    const head = (await testApp.store.headPosition())!;
    await request(testApp.app.getHttpServer())
      .get('/org-tree/root/path')
      .set({ ...testApp.admin, 'X-Consistent-With': head })
      .expect(200);
    expectSameReadModels(await dumpReadModels(engine['readStore'] as ReadStore, ALL_PROJECTIONS), live);
  }, 60_000);

  it('a CLI rebuild SIGKILLed half-way resumes where it stopped and ends the same', async () => {
    await testApp.close();
    const env = {
      ...process.env,
      DATA_DIR: dataDir.path,
      JURISDICTION: 'qingpu',
      JWT_SECRET: 'x'.repeat(40),
      PROJECTION_BATCH_SIZE: '50',
      // Small batches, so the kill lands between commits; two threads, each rebuilding read models of its own.
      REBUILD_BATCH_SIZE: '200',
      REBUILD_THREADS: '2',
      LOG_LEVEL: 'silent',
    };
    const cli = join(__dirname, '../../src/cli.ts');
    const child = spawn(process.execPath, ['-r', '@swc-node/register', cli, 'rebuild', '--quiet'], {
      env,
      stdio: 'ignore',
    });
    // Killed once the new generation has a checkpoint, i.e. some batches are committed.
    const db = new Database(join(dataDir.path, 'read-models.sqlite'), { readonly: true });
    const started = Date.now();
    let progressed = false;
    while (!progressed && Date.now() - started < 60_000) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      const row = db
        .prepare(`SELECT checkpoint FROM _generations WHERE state = 'BUILDING' AND checkpoint IS NOT NULL LIMIT 1`)
        .get();
      progressed = row !== undefined;
    }
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(progressed).toBe(true);
    const building = db.prepare(`SELECT COUNT(*) AS n FROM _generations WHERE state = 'BUILDING'`).get() as {
      n: number;
    };
    expect(building.n).toBeGreaterThan(0);
    db.close();

    const resumed = spawn(process.execPath, ['-r', '@swc-node/register', cli, 'rebuild', '--quiet'], {
      env: { ...env, REBUILD_BATCH_SIZE: '2000' },
      stdio: 'ignore',
    });
    expect(await new Promise((resolve) => resumed.once('exit', resolve))).toBe(0);
    const store = new SqliteReadStore(join(dataDir.path, 'read-models.sqlite'));
    expectSameReadModels(await dumpReadModels(store, ALL_PROJECTIONS), live);
    expect(
      (await Promise.all(ALL_PROJECTIONS.map((p) => store.generations(p.name)))).flat().map((g) => g.state),
    ).toEqual(ALL_PROJECTIONS.map(() => 'ACTIVE'));
    await store.close();
    // The live feeds' fold was rebuilt too, to the store's last event that changes a scope: the service starts live.
    const events = new SqliteEventStore({ file: join(dataDir.path, 'events.sqlite') });
    const [lastScoped] = await events.readAll({
      direction: 'backwards',
      maxCount: 1,
      filter: { eventTypes: [...SCOPE_EVENT_TYPES] },
    });
    await events.close();
    const scopes = new ScopeIndexFile(join(dataDir.path, 'live-feed-scopes.sqlite'));
    expect(await scopes.load()).toEqual({
      index: scopes,
      at: { position: lastScoped.position, eventId: lastScoped.eventId },
    });
    await scopes.close();
    testApp = await startTestApp({}, { keepDir: dataDir.path });
  }, 120_000);
});
