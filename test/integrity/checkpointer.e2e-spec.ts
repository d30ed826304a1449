/**
 * The checkpointer (issue 22): at its cadence it signs a checkpoint covering what was appended,
 * and nothing while nothing new comes; the checkpoints reach subscribers as published events (a
 * webhook subscription filtered on an org subtree still gets them: they concern the whole
 * history), so every subscriber can keep them and later check the history still extends them.
 */
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { openCheckpoint, parseVerifierKey } from '../../src/application/integrity/checkpoint';
import { INTEGRITY_LOG_STREAM } from '../../src/domain/integrity-log/integrity-log.decider';
import { openSse } from '../subscribers/sse-client';
import { SubscriberServer } from '../subscribers/subscriber-server';
import { startTestApp, type TestApp } from '../support/test-app';

describe('the checkpointer (issue 22)', () => {
  let app: TestApp;
  const subscriber = new SubscriberServer();

  beforeAll(async () => {
    app = await startTestApp({ INTEGRITY_CHECKPOINTS_ENABLED: 'true', INTEGRITY_CHECKPOINT_INTERVAL_MS: '100' });
  });
  afterAll(async () => {
    await app.close();
    await subscriber.stop();
  });

  const signed = async () =>
    (await app.store.readStream(INTEGRITY_LOG_STREAM)).filter((e) => e.type === 'CheckpointSigned');
  const until = async (holds: () => Promise<boolean>, timeoutMs = 10_000) => {
    const end = Date.now() + timeoutMs;
    while (!(await holds())) {
      if (Date.now() > end) throw new Error('timed out');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  it('signs what was appended within its cadence, then rests; subscribers receive each checkpoint', async () => {
    const http = request(app.app.getHttpServer());
    const url = await subscriber.start();
    const registered = await http
      .post('/subscriptions')
      .set(app.admin)
      .send({ name: '市级平台（见证方）', url, orgSubtrees: ['edu'] });
    expect(registered.status).toBe(201);
    subscriber.secret = registered.body.secret;
    const created = await http
      .post('/org-nodes')
      .set(app.admin)
      .send({ orgNodeId: 'edu', parentId: 'root', name: '教育局', kind: 'UNIT', shortName: '教育局' })
      .expect(200);
    const all = await app.store.readAll({ maxCount: 10_000 });
    const index = all.findIndex((e) => e.eventId === created.body.events[0].eventId);
    await until(async () => (await signed()).some((e) => Number(e.data.size) > index));
    // Resting: a round of cadences later, nothing more was signed (checkpoints do not cover checkpoints).
    await new Promise((resolve) => setTimeout(resolve, 500));
    const settled = (await signed()).length;
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await signed()).length).toBe(settled);

    const { verifierKey } = (await http.get('/integrity/checkpoints/latest').set(app.admin).expect(200)).body;
    const key = parseVerifierKey(verifierKey)!;
    await subscriber.waitForUnique(2, 10_000);
    await until(async () => [...subscriber.unique.values()].some((r) => r.event.type === 'CheckpointSigned'));
    const delivered = [...subscriber.unique.values()].find((r) => r.event.type === 'CheckpointSigned')!.event;
    const checkpoint = openCheckpoint(String(delivered.data.note), key);
    expect(checkpoint).toMatchObject({ size: delivered.data.size });
    expect(delivered.subject).toEqual({ kind: 'IntegrityLog', id: 'gov-collab/qingpu' });

    const base = `http://127.0.0.1:${(app.app.getHttpServer().listen(0).address() as AddressInfo).port}`;
    const sse = await openSse(base, '/events/stream?from=start&types=CheckpointSigned', app.admin);
    await sse.waitFor(settled);
    sse.close();
    expect(sse.messages.map((m) => m.data.data.size)).toEqual((await signed()).map((e) => e.data.size));
  });
});
