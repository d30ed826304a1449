/**
 * SIGKILL while a batch of 2,000 transfers is carried out (issue 23): the worker (batch-worker.ts)
 * submits it on a copy of a seeded store and is killed before its plan is recorded, right after,
 * and at several points while rows are carried out and recorded; the store is then reopened as a
 * restarted service would (pending batches carried on; a batch that never reached its plan is
 * simply sent again) and must hold exactly the events of an uninterrupted run, stream by stream.
 */
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '../support/temp-dir';
import { historyByStream as history, killedAfter as killWorker } from '../support/sigkill';
import { platformOn, seed } from '../restructuring/restructuring-worker';
import { BATCH_ID, submit } from './batch-worker';

const PEOPLE = 2000;
const WORKER = join(__dirname, 'batch-worker.ts');

describe('SIGKILL during a batch of 2,000 transfers (issue 23)', () => {
  const dir = makeTempDir();
  const template = join(dir.path, 'template.sqlite');
  const copy = (name: string) => {
    const file = join(dir.path, `${name}.sqlite`);
    copyFileSync(template, file);
    for (const suffix of ['-wal', '-shm'])
      if (existsSync(template + suffix)) copyFileSync(template + suffix, file + suffix);
    return file;
  };
  let reference: Record<string, string[]> = {};

  beforeAll(async () => {
    const { store, platform } = platformOn(template);
    await seed(platform, PEOPLE);
    await store.close();
    const run = platformOn(copy('reference'));
    await submit(run.platform, PEOPLE);
    reference = await history(run.store);
    await run.store.close();
    expect(reference[`Batch-${BATCH_ID}`].at(-1)).toMatch(/^BatchCompleted /);
  }, 120_000);
  afterAll(() => dir.remove());

  it.each([0, 1, 400, 2100, 3700])(
    'killed after %i events, then restarted: exactly the events of an uninterrupted run',
    async (written) => {
      const file = copy(`killed-${written}`);
      await killWorker(WORKER, [file, String(PEOPLE)], file, written);
      const { store, platform } = platformOn(file);
      try {
        const resumed = await platform.batches.resumePending();
        expect(resumed).toEqual(written === 0 ? [] : [BATCH_ID]);
        // Killed before its plan was recorded: nothing was written, and the operator sends it again.
        if ((await store.readStream(`Batch-${BATCH_ID}`)).length === 0) await submit(platform, PEOPLE);
        expect(await history(store)).toEqual(reference);
      } finally {
        await store.close();
      }
    },
    60_000,
  );
});
