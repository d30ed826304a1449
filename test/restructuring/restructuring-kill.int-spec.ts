/**
 * SIGKILL during a restructuring of a 2,000-person unit (issue 18): the worker process
 * (restructuring-worker.ts) merges or abolishes on a copy of a seeded store and is killed before
 * its plan is written, right after it, and at several points while the people are being moved; the
 * store is then reopened as a restarted service would (pending operations finished; a merge that
 * never reached its commit point is simply asked again) and must hold exactly the events of an
 * uninterrupted run, stream by stream.
 */
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { RestructuringProcess } from '../../src/application/org-node/restructuring.process';
import { makeTempDir } from '../support/temp-dir';
import { historyByStream as history, killedAfter as killWorker } from '../support/sigkill';
import { ABOLITION, MERGE, platformOn, seed, WORKER_META } from './restructuring-worker';

const PEOPLE = 2000;
const WORKER = join(__dirname, 'restructuring-worker.ts');

describe('SIGKILL during a restructuring of 2,000 people (issue 18)', () => {
  const dir = makeTempDir();
  const template = join(dir.path, 'template.sqlite');
  const copy = (name: string) => {
    const file = join(dir.path, `${name}.sqlite`);
    copyFileSync(template, file);
    for (const suffix of ['-wal', '-shm'])
      if (existsSync(template + suffix)) copyFileSync(template + suffix, file + suffix);
    return file;
  };
  const reference: Record<string, Record<string, string[]>> = {};

  beforeAll(async () => {
    const { store, platform } = platformOn(template);
    await seed(platform, PEOPLE);
    await store.close();
    for (const mode of ['merge', 'abolish'] as const) {
      const run = platformOn(copy(`reference-${mode}`));
      if (mode === 'merge') await run.platform.restructuring.merge(MERGE, WORKER_META);
      else await run.platform.restructuring.abolish(ABOLITION, WORKER_META);
      reference[mode] = await history(run.store);
      await run.store.close();
    }
  }, 120_000);
  afterAll(() => dir.remove());

  it.each([
    ['merge', 0],
    ['merge', 1],
    ['merge', 300],
    ['merge', 1100],
    ['merge', 1800],
    ['abolish', 1],
    ['abolish', 1000],
    ['abolish', 2500],
  ] as const)(
    '%s killed after %i events, then restarted: exactly the events of an uninterrupted run',
    async (mode, written) => {
      const file = copy(`${mode}-${written}`);
      await killWorker(WORKER, [file, mode], file, written);
      const { store, platform } = platformOn(file);
      try {
        const finished = await new RestructuringProcess(platform.bus, store, platform.orgTree).resumePending();
        // Killed before its commit point, nothing is pending; killed after it, the operation was indeed cut short.
        expect(finished).toEqual(written === 0 ? [] : [mode === 'merge' ? MERGE.mergeId : ABOLITION.operationId]);
        const { state } = await platform.tree.load();
        if (finished.length === 0 && state.nodes.get('health')?.status === 'ACTIVE') {
          // Killed before its commit point: nothing was written, and the operator asks again.
          if (mode === 'merge') await platform.restructuring.merge(MERGE, WORKER_META);
          else await platform.restructuring.abolish(ABOLITION, WORKER_META);
        }
        expect(await history(store)).toEqual(reference[mode]);
      } finally {
        await store.close();
      }
    },
    60_000,
  );
});
