/**
 * Faults on the embedded default (issue 8): a bulk import SIGKILLed half-way, the disk filling up
 * under appends (a small tmpfs), and a damaged read-model file. In every case no acknowledged event
 * is lost, nothing is half-applied, the service comes back by itself or with the documented
 * command, and the read models end as a clean run's. (SIGKILL during a projection rebuild: see
 * test/read-models/exactly-once.int-spec.ts; during policy work: test/policies/restart.int-spec.ts;
 * during webhook delivery: test/faults/webhook-kill.int-spec.ts; during appends:
 * test/event-store/crash-safety.int-spec.ts.)
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import request from 'supertest';
import { EventStoreUnavailableError } from '../../src/application/event-store/event-store.errors';
import { NO_STREAM } from '../../src/application/ports/event-store.port';
import { verifyChain } from '../../src/application/integrity/hash-chain';
import { ProjectionEngine } from '../../src/application/projections/projection-engine';
import type { ReadStore } from '../../src/application/ports/read-store.port';
import { SqliteEventStore } from '../../src/infrastructure/event-store/sqlite/sqlite-event-store';
import { readModelProjections } from '../../src/read-models/projections';
import { buildHistory, dumpReadModels, expectSameReadModels } from '../support/read-models';
import { CLI, type CliResult, runCli as runCliIn } from '../support/cli';
import { makeTempDir } from '../support/temp-dir';
import { startTestApp } from '../support/test-app';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function cliEnv(dataDir: string): NodeJS.ProcessEnv {
  return { ...process.env, DATA_DIR: dataDir, JURISDICTION: 'faults', JWT_SECRET: 'x'.repeat(40), LOG_LEVEL: 'silent' };
}

function runCli(dataDir: string, args: string[]): CliResult {
  return runCliIn(cliEnv(dataDir), args);
}

/** Every event of a store file as (position, stream, revision, id, type, data), read without the store. */
function rowsOf(file: string): Array<[number, string, number, string, string, string]> {
  const db = new Database(file, { readonly: true });
  try {
    return db
      .prepare('SELECT position, stream_id, revision, event_id, type, data FROM events ORDER BY position')
      .raw(true)
      .all() as Array<[number, string, number, string, string, string]>;
  } finally {
    db.close();
  }
}

function countOf(file: string): number {
  if (!existsSync(file)) return 0;
  try {
    const db = new Database(file, { readonly: true });
    try {
      return (db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0; // not created yet
  }
}

describe('SIGKILL during a bulk import (cli generate)', () => {
  jest.setTimeout(180_000);
  const dir = makeTempDir();
  afterAll(() => dir.remove());

  it('run again, it finishes the import and the store is exactly a clean run’s', async () => {
    const args = ['generate', '--size', 'district', '--people', '1500', '--groups', '300', '--seed', '7'];
    const clean = join(dir.path, 'clean');
    expect(runCli(clean, args).status).toBe(0);
    const expected = rowsOf(join(clean, 'events.sqlite'));
    expect(expected.length).toBeGreaterThan(10_000);

    const killed = join(dir.path, 'killed');
    mkdirSync(killed);
    const child = spawn(process.execPath, ['-r', '@swc-node/register', CLI, ...args], {
      env: cliEnv(killed),
      stdio: 'ignore',
    });
    const file = join(killed, 'events.sqlite');
    const started = Date.now();
    let atKill = 0;
    // Killed once a third of the events are in: some chunks committed, the rest not.
    while (Date.now() - started < 120_000) {
      atKill = countOf(file);
      if (atKill >= expected.length / 3) break;
      await sleep(10);
    }
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    const partial = rowsOf(file);
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(expected.length);
    // Nothing half-applied: what is there is a prefix of the clean run, event for event.
    expect(partial).toEqual(expected.slice(0, partial.length));

    const again = runCli(killed, args);
    expect(again.status).toBe(0);
    expect(rowsOf(file)).toEqual(expected);
    const store = new SqliteEventStore({ file });
    expect((await verifyChain(store)).ok).toBe(true);
    await store.close();
  });
});

/** A small tmpfs needs root (mount); without it the test says so and is counted as skipped. */
function mountTmpfs(path: string, size: string): boolean {
  mkdirSync(path, { recursive: true });
  return spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', path]).status === 0;
}
const TMPFS = join(makeTempDir('govcollab-tmpfs-').path, 'disk');
const canMount = process.platform === 'linux' && mountTmpfs(TMPFS, '2m');
if (!canMount) process.stderr.write('full-disk test skipped: mounting a tmpfs needs root on Linux\n');
const describeWithTmpfs = canMount ? describe : describe.skip;

describeWithTmpfs('a full disk (2 MiB tmpfs) during appends', () => {
  jest.setTimeout(120_000);
  afterAll(() => {
    spawnSync('umount', [TMPFS]);
    rmSync(join(TMPFS, '..'), { recursive: true, force: true });
  });

  it('refuses what it cannot write, keeps every acknowledged append, and goes on once space is freed', async () => {
    const file = join(TMPFS, 'events.sqlite');
    // Ballast takes most of the space, so the disk fills after a few hundred events.
    writeFileSync(join(TMPFS, 'ballast'), Buffer.alloc(1024 * 1024));
    const store = new SqliteEventStore({ file });
    const acknowledged = new Map<string, string>();
    let refused = 0;
    let firstRefusal: unknown = null;
    const payload = '政务协同'.repeat(100);
    for (let round = 0; round < 400 && refused < 20; round++) {
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) => {
          const streamId = `Disk-${round}-${i}`;
          const eventId = `00000000-0000-4000-8000-${String(round * 10 + i).padStart(12, '0')}`;
          return store
            .append(streamId, [{ eventId, type: 'DiskFilled', data: { payload }, metadata: {} }], NO_STREAM)
            .then(() => acknowledged.set(eventId, streamId));
        }),
      );
      for (const result of results) {
        if (result.status === 'rejected') {
          refused++;
          firstRefusal ??= result.reason;
        }
      }
    }
    expect(refused).toBeGreaterThan(0);
    expect(acknowledged.size).toBeGreaterThan(0);
    expect(firstRefusal).toBeInstanceOf(EventStoreUnavailableError);

    // Space freed: the same store writes again, without a restart.
    rmSync(join(TMPFS, 'ballast'));
    const after = await store.append(
      'Disk-after',
      [{ eventId: '00000000-0000-4000-8000-999999999999', type: 'DiskFreed', data: {}, metadata: {} }],
      NO_STREAM,
    );
    expect(after.nextExpectedRevision).toBe(0n);
    await store.close();

    // Reopened: every acknowledged append is there, nothing refused is, the chain is whole.
    const reopened = new SqliteEventStore({ file });
    const all = await reopened.readAll({ maxCount: 100_000 });
    const ids = new Set(all.map((e) => e.eventId));
    for (const eventId of acknowledged.keys()) expect(ids.has(eventId)).toBe(true);
    expect(all.length).toBe(acknowledged.size + 1);
    expect((await verifyChain(reopened)).ok).toBe(true);
    await reopened.close();
  });
});

describe('a damaged read-model file', () => {
  jest.setTimeout(180_000);
  const dir = makeTempDir();
  afterAll(() => dir.remove());
  const projections = readModelProjections({ timeZone: 'Asia/Shanghai' });

  it('is set aside at start-up and the read models are rebuilt to what they were', async () => {
    let app = await startTestApp({}, { keepDir: dir.path });
    await buildHistory(app, 30);
    let head = (await app.store.headPosition())!;
    await request(app.app.getHttpServer())
      .get('/org-tree/root/path')
      .set({ ...app.admin, 'X-Consistent-With': head })
      .expect(200);
    const before = await dumpReadModels(app.app.get(ProjectionEngine)['readStore'] as ReadStore, projections);
    const events = (await app.store.readAll({ maxCount: 100_000 })).filter(
      (e) => !e.streamId.startsWith('Lease-'),
    ).length;
    await app.close();

    // Garbage over the whole file: not a database any more.
    writeFileSync(join(dir.path, 'read-models.sqlite'), Buffer.alloc(64 * 1024, 0x5a));
    for (const suffix of ['-wal', '-shm']) rmSync(join(dir.path, `read-models.sqlite${suffix}`), { force: true });

    app = await startTestApp({}, { keepDir: dir.path });
    try {
      head = (await app.store.headPosition())!;
      await request(app.app.getHttpServer())
        .get('/org-tree/root/path')
        .set({ ...app.admin, 'X-Consistent-With': head })
        .expect(200);
      expectSameReadModels(
        await dumpReadModels(app.app.get(ProjectionEngine)['readStore'] as ReadStore, projections),
        before,
      );
      // Nothing lost, nothing added but the projections' lease released and taken again.
      const now = await app.store.readAll({ maxCount: 100_000 });
      expect(now.filter((e) => !e.streamId.startsWith('Lease-')).length).toBe(events);
      expect(readdirSync(dir.path).some((name) => name.startsWith('read-models.sqlite.corrupt-'))).toBe(true);
    } finally {
      await app.close();
    }
  });
});
