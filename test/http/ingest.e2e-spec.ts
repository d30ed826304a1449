/**
 * Usage signals from the gateway: batched, each recorded once by the sender's event id, a bad
 * signal rejected alone while the rest of the batch is recorded.
 */
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { CommandMetadata } from '../../src/application/commands/decider-command-runner';
import { startTestApp, type TestApp } from '../support/test-app';
import { servicesOfApp } from '../support/services';

const ADMIN_META: CommandMetadata = {
  actor: { accountId: 'acc-admin', personId: 'p-admin', role: 'SYSTEM_ADMIN' },
  jurisdiction: 'qingpu',
};

describe('usage-signal ingestion', () => {
  let t: TestApp;
  let app: INestApplication;
  let gateway: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp();
    app = t.app;
    gateway = await t.service('gateway');
    await servicesOfApp(app).accounts.open(
      { accountId: 'acc-u', type: 'USER', loginName: 'user.u', personId: 'p-admin' },
      ADMIN_META,
    );
    await servicesOfApp(app).groups.create(
      { groupId: 'g1', name: '工作群', kind: 'CROSS_UNIT', owningOrgNodeId: 'root', ownerId: 'p-admin' },
      ADMIN_META,
    );
  });
  afterAll(() => t.close());

  it('records each sign-in once, activates on the first, and rejects bad signals alone', async () => {
    const batch = {
      signals: [
        { signalId: 'gw-1', accountId: 'acc-u', at: '2025-03-03T01:00:00Z', client: 'mobile' },
        { signalId: 'gw-2', accountId: 'acc-u', at: '2025-03-04T01:00:00Z' },
        { signalId: 'gw-3', accountId: 'nobody', at: '2025-03-04T01:00:00Z' },
      ],
    };
    const first = await request(app.getHttpServer()).post('/ingest/sign-ins').set(gateway).send(batch).expect(200);
    expect(first.body).toMatchObject({
      recorded: 2,
      duplicates: 0,
      rejected: 1,
      results: [
        { outcome: 'RECORDED' },
        { outcome: 'RECORDED' },
        { signalId: 'gw-3', outcome: 'REJECTED', code: 'ACCOUNT_NOT_FOUND' },
      ],
    });
    const head = await t.store.headPosition();
    const again = await request(app.getHttpServer()).post('/ingest/sign-ins').set(gateway).send(batch).expect(200);
    expect(again.body).toMatchObject({ recorded: 0, duplicates: 2, rejected: 1 });
    expect(await t.store.headPosition()).toBe(head);
    const account = (await servicesOfApp(app).accounts.load('acc-u')).state;
    expect(account).toMatchObject({ status: 'ACTIVE', activatedAt: '2025-03-03T01:00:00Z' });
    const signedIn = await t.store.readAll({ filter: { eventTypes: ['AccountSignedIn'] } });
    expect(
      signedIn.map((e) => [
        e.data.signalId,
        e.metadata.effectiveAt,
        (e.metadata.actor as { accountId: string }).accountId,
      ]),
    ).toEqual([
      ['gw-1', '2025-03-03T01:00:00Z', 'service:gateway'],
      ['gw-2', '2025-03-04T01:00:00Z', 'service:gateway'],
    ]);
  });

  it('records group activity and password changes once; refuses a malformed batch whole', async () => {
    const activity = { signals: [{ signalId: 'ga-1', groupId: 'g1', at: '2025-03-03T09:00:00Z', messages: 42 }] };
    expect(
      (await request(app.getHttpServer()).post('/ingest/group-activity').set(gateway).send(activity).expect(200)).body,
    ).toMatchObject({ recorded: 1 });
    expect(
      (await request(app.getHttpServer()).post('/ingest/group-activity').set(gateway).send(activity).expect(200)).body,
    ).toMatchObject({ duplicates: 1 });
    const password = { signals: [{ signalId: 'pw-1', accountId: 'acc-u', at: '2025-03-01T00:00:00Z' }] };
    expect(
      (await request(app.getHttpServer()).post('/ingest/password-changes').set(gateway).send(password).expect(200))
        .body,
    ).toMatchObject({ recorded: 1 });
    expect(
      (await request(app.getHttpServer()).post('/ingest/password-changes').set(gateway).send(password).expect(200))
        .body,
    ).toMatchObject({ duplicates: 1 });
    const head = await t.store.headPosition();
    const bad = await request(app.getHttpServer())
      .post('/ingest/sign-ins')
      .set(gateway)
      .send({ signals: [{ signalId: 'x', accountId: 'acc-u', at: 'yesterday' }] })
      .expect(400);
    expect(bad.body.code).toBe('VALIDATION_FAILED');
    await request(app.getHttpServer()).post('/ingest/sign-ins').set(gateway).send({ signals: [] }).expect(400);
    expect(await t.store.headPosition()).toBe(head);
  });
});
