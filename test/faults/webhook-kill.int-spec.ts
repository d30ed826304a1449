/**
 * The service SIGKILLed in the middle of webhook delivery (issue 8): nothing is lost and stream
 * order holds once it is started again. Events delivered after the last checkpoint are sent again
 * (same ids: the receiver deduplicates, as docs/subscribers.md says).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { isPublished } from '../../src/application/published-events/catalog';
import { buildHistory } from '../support/read-models';
import { registerSubscription } from '../support/subscriptions';
import { makeTempDir } from '../support/temp-dir';
import { startTestApp, TEST_JWT_SECRET } from '../support/test-app';
import { SubscriberServer } from '../subscribers/subscriber-server';

const DELIVERY = {
  WEBHOOK_BACKOFF_BASE_MS: '5',
  WEBHOOK_BACKOFF_MAX_MS: '40',
  WEBHOOK_TIMEOUT_MS: '500',
  WEBHOOK_CHECKPOINT_MS: '50',
  WEBHOOK_CONCURRENCY: '4',
};

function startService(dataDir: string): ChildProcess {
  return spawn(process.execPath, ['-r', '@swc-node/register', join(__dirname, '../../src/main.ts')], {
    env: {
      ...process.env,
      ...DELIVERY,
      DATA_DIR: dataDir,
      JURISDICTION: 'qingpu',
      JWT_SECRET: TEST_JWT_SECRET,
      PORT: '0',
      LOG_LEVEL: 'silent',
      WEBHOOKS_ENABLED: 'true',
      POLICIES_ENABLED: 'false',
      // The checkpoints it would sign meanwhile are published events too; this suite counts the history's.
      INTEGRITY_CHECKPOINTS_ENABLED: 'false',
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

describe('SIGKILL during webhook delivery', () => {
  jest.setTimeout(240_000);
  const dir = makeTempDir();
  afterAll(() => dir.remove());

  it('after a restart the subscriber has every published event, in stream order', async () => {
    // Each delivery takes a few ms at the receiver, so the kill lands mid-delivery.
    const subscriber = new SubscriberServer(() => 'ok', 4);
    const url = await subscriber.start();
    let expected: string[] = [];
    try {
      // ---- given: a history and a subscription, recorded with delivery off ----
      const seed = await startTestApp({ WEBHOOKS_ENABLED: 'false' }, { keepDir: dir.path });
      subscriber.secret = (await registerSubscription(seed, { name: '公文流转系统', url })).secret;
      await buildHistory(seed, 12);
      expected = (await seed.store.readAll({ maxCount: 100_000 }))
        .filter((e) => isPublished(e.type))
        .map((e) => e.eventId);
      await seed.close();
      expect(expected.length).toBeGreaterThan(100);

      // ---- when: the service delivers, and is killed a third of the way ----
      const first = startService(dir.path);
      await subscriber.waitForUnique(Math.floor(expected.length / 3), 120_000);
      first.kill('SIGKILL');
      await new Promise((resolve) => first.once('exit', resolve));
      const atKill = subscriber.unique.size;
      expect(atKill).toBeLessThan(expected.length);

      // ---- then: started again, it delivers the rest ----
      const second = startService(dir.path);
      try {
        await subscriber.waitForUnique(expected.length, 120_000);
      } finally {
        second.kill('SIGTERM');
        await new Promise((resolve) => second.once('exit', resolve));
      }
      expect(new Set(subscriber.unique.keys())).toEqual(new Set(expected));
      for (const [stream, revisions] of subscriber.orderByStream()) {
        expect({ stream, revisions }).toEqual({ stream, revisions: [...revisions].sort((a, b) => a - b) });
      }
      expect(subscriber.badSignatures).toBe(0);
    } finally {
      await subscriber.stop();
    }
  });
});
