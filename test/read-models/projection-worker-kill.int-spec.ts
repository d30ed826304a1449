/**
 * The service SIGKILLed under load while its projection worker is applying events (issue 20):
 * nothing acknowledged is lost (every answered command's event is in the store, and read back
 * through X-Consistent-With once the service is started again), and nothing is applied twice (the
 * read models the worker resumed are exactly what a rebuild from the events builds).
 */
import { join } from 'node:path';
import { ProjectionEngine } from '../../src/application/projections/projection-engine';
import { SqliteEventStore } from '../../src/infrastructure/event-store/sqlite/sqlite-event-store';
import { SqliteReadStore } from '../../src/infrastructure/read-store/sqlite/sqlite-read-store';
import { SystemClock } from '../../src/infrastructure/system/system-clock';
import { readModelProjections } from '../../src/read-models/projections';
import { buildHistory, dumpReadModels, expectSameReadModels } from '../support/read-models';
import { makeTempDir } from '../support/temp-dir';
import { startServiceProcess } from '../support/service-process';
import { startTestApp } from '../support/test-app';

const ALL = readModelProjections({ timeZone: 'Asia/Shanghai' });
const quiet = { info: () => undefined, error: () => undefined };
const PEOPLE = 300;

const SERVICE = {
  PROJECTIONS_IN_WORKER: 'true',
  POLICIES_ENABLED: 'false',
  WEBHOOKS_ENABLED: 'false',
  RATE_LIMIT_PER_MINUTE: '10000000',
  // The killed service's lease expires soon, so that the started one feeds the read models.
  LEASE_TTL_MS: '1500',
};

describe('the service SIGKILLed while its projection worker applies events', () => {
  jest.setTimeout(240_000);

  it('loses nothing acknowledged and applies nothing twice', async () => {
    const dir = makeTempDir();
    const setup = await startTestApp({}, { keepDir: dir.path });
    await buildHistory(setup, PEOPLE);
    const admin = setup.admin;
    await setup.close();

    const first = await startServiceProcess(dir.path, SERVICE);
    const base = first.base;
    const acknowledged: string[] = [];
    let killed = false;
    let sequence = 0;
    const change = async () => {
      while (!killed) {
        const personId = `p${sequence % PEOPLE}`;
        const officePhone = `021-${String(59_000_000 + sequence++)}`;
        try {
          const response = await fetch(`${base}/persons/${personId}/profile`, {
            method: 'POST',
            headers: { ...admin, 'content-type': 'application/json' },
            body: JSON.stringify({ changes: { officePhone } }),
          });
          const body = (await response.json()) as { position?: string };
          if (response.ok && body.position) acknowledged.push(body.position);
        } catch {
          // The connection the kill cut: not acknowledged, may or may not be in the store.
        }
      }
    };
    const load = Promise.all(Array.from({ length: 16 }, change));
    while (acknowledged.length < 400) await new Promise((resolve) => setTimeout(resolve, 20));
    first.child.kill('SIGKILL');
    killed = true;
    await new Promise((resolve) => first.child.once('exit', resolve));
    await load;

    const second = await startServiceProcess(dir.path, SERVICE);
    try {
      const last = acknowledged.reduce((a, b) => (a > b ? a : b));
      // Read-your-writes across the crash: the resumed worker reaches every acknowledged position.
      const read = await fetch(`${second.base}/org-tree/root/path`, {
        headers: { ...admin, 'X-Consistent-With': last },
      });
      expect(read.status).toBe(200);
      // And past them, to the head: the events committed but not answered before the kill.
      const observer = new SqliteEventStore({ file: join(dir.path, 'events.sqlite') });
      const head = (await observer.headPosition())!;
      await observer.close();
      const caughtUp = await fetch(`${second.base}/org-tree/root/path`, {
        headers: { ...admin, 'X-Consistent-With': head },
      });
      expect(caughtUp.status).toBe(200);
    } finally {
      second.child.kill('SIGTERM');
      await new Promise((resolve) => second.child.once('exit', resolve));
    }

    const events = new SqliteEventStore({ file: join(dir.path, 'events.sqlite') });
    const stored = new Set((await events.readAll({ from: 'start' })).map((e) => String(e.position)));
    expect(acknowledged.filter((position) => !stored.has(position))).toEqual([]);
    const live = await dumpReadModels(new SqliteReadStore(join(dir.path, 'read-models.sqlite')), ALL);
    const rebuiltDir = makeTempDir();
    const rebuilt = new SqliteReadStore(join(rebuiltDir.path, 'rm.sqlite'));
    await new ProjectionEngine(events, rebuilt, ALL, new SystemClock(), quiet, { batchSize: 500 }).rebuild(
      ALL.map((p) => p.name),
    );
    // The service's lease released on SIGTERM is the one event its read models had not taken in.
    expectSameReadModels(await dumpReadModels(rebuilt, ALL), live);
    await rebuilt.close();
    await events.close();
    rebuiltDir.remove();
    dir.remove();
  });
});
