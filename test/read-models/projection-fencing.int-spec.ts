/**
 * The live projections' fencing (issue 25): an engine started in a term of the `projections`
 * lease commits with that term as its fence. Once an engine of a later term has committed, the
 * earlier one (its holder paused past the lease's expiry, say) has its next batch refused whole by
 * the read store, and stops. What both wrote is what one engine alone writes.
 */
import request from 'supertest';
import { ProjectionEngine } from '../../src/application/projections/projection-engine';
import { SqliteReadStore } from '../../src/infrastructure/read-store/sqlite/sqlite-read-store';
import { SystemClock } from '../../src/infrastructure/system/system-clock';
import { readModelProjections } from '../../src/read-models/projections';
import { buildHistory, dumpReadModels } from '../support/read-models';
import { makeTempDir } from '../support/temp-dir';
import { startTestApp, type TestApp } from '../support/test-app';
import { join } from 'node:path';

const PROJECTIONS = readModelProjections({ timeZone: 'Asia/Shanghai' });

describe('a projection engine of an ended lease term', () => {
  let t: TestApp;
  const dir = makeTempDir();
  beforeAll(async () => {
    t = await startTestApp();
    await buildHistory(t, 20);
  }, 60_000);
  afterAll(async () => {
    await t.close();
    dir.remove();
  });

  it('has its next batch refused once a later term committed, stops, and the documents are one engine’s', async () => {
    const readStore = new SqliteReadStore(join(dir.path, 'fenced.sqlite'));
    const errors: string[] = [];
    const log = { info: () => undefined, error: (message: string) => errors.push(message) };
    const engine = () => new ProjectionEngine(t.store, readStore, PROJECTIONS, new SystemClock(), log);
    const rename = (n: number) =>
      request(t.app.getHttpServer())
        .post('/persons/p3/profile')
        .set(t.admin)
        .send({ changes: { officePhone: `021-6000000${n}` } })
        .expect(200);
    const head = async () => (await t.store.headPosition())!;

    const deposed = engine();
    await deposed.start(1);
    expect(await deposed.waitFor(await head(), 30_000)).toBe(true);
    const current = engine();
    await current.start(2);
    await rename(1);
    const first = await head();
    expect(await current.waitFor(first, 10_000)).toBe(true);
    expect(await deposed.waitFor(first, 10_000)).toBe(true);

    // The term-2 engine has committed: the term-1 engine's next batch is refused, and it stops.
    await rename(2);
    const second = await head();
    expect(await current.waitFor(second, 10_000)).toBe(true);
    expect(await deposed.waitFor(second, 2_000)).toBe(false);
    expect(errors.some((message) => message.includes('第 1 任期已被接替'))).toBe(true);
    await rename(3);
    expect(await current.waitFor(await head(), 10_000)).toBe(true);
    expect(await deposed.waitFor(await head(), 500)).toBe(false);

    const reference = new SqliteReadStore(':memory:');
    await new ProjectionEngine(t.store, reference, PROJECTIONS, new SystemClock(), log).rebuild(
      PROJECTIONS.map((p) => p.name),
    );
    expect(await dumpReadModels(readStore, PROJECTIONS)).toEqual(await dumpReadModels(reference, PROJECTIONS));
    await current.stop();
    await deposed.stop();
    await reference.close();
    await readStore.close();
  }, 90_000);
});
