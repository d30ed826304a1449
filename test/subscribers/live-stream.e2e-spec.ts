/**
 * The live stream (issue 7): SSE resumed from a saved Last-Event-ID yields no gap and no
 * duplicate; filters by type, stream prefix and org subtree (a person transferred out of a subtree
 * is seen leaving, not after); personal data only with a subscription's grant; WebSocket; the
 * AsyncAPI document parses with @asyncapi/parser and every event sent validates against it.
 */
import type { AddressInfo } from 'node:net';
import { Parser } from '@asyncapi/parser';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import request from 'supertest';
import WebSocket from 'ws';
import { PUBLISHED_EVENT_TYPES, isPublished } from '../../src/application/published-events/catalog';
import type { PublicEvent } from '../../src/application/published-events/public-event';
import { idNumberCheckCharacter } from '../../src/domain/person/identity';
import { buildHistory } from '../support/read-models';
import { BOOTSTRAP, startTestApp, type TestApp } from '../support/test-app';
import { openSse } from './sse-client';
import { withHrNotice } from '../support/hr-notice';

function person(personId: string, orgNodeId: string, n: number) {
  const id17 = `3101181980010${String(100 + n).padStart(3, '0')}2`;
  return {
    ...BOOTSTRAP.admin,
    personId,
    name: `测试${'甲乙丙丁'[n % 4]}`,
    idNumber: id17 + idNumberCheckCharacter(id17),
    mobile: `1390000${String(n).padStart(4, '0')}`,
    primaryPost: { orgNodeId },
  };
}

describe('live stream of published events (issue 7)', () => {
  jest.setTimeout(60_000);
  let app: TestApp;
  let base: string;
  let server: ReturnType<TestApp['app']['getHttpServer']>;
  const send = async (path: string, body: object) => {
    const response = await request(server).post(path).set(app.admin).send(withHrNotice(path, body));
    if (response.status !== 200) throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
  };

  beforeAll(async () => {
    app = await startTestApp();
    await app.app.listen(0, '127.0.0.1');
    server = app.app.getHttpServer();
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await buildHistory(app, 12);
    await send('/org-nodes', { orgNodeId: 'unit-a', name: '甲单位', kind: 'UNIT', parentId: 'root' });
    await send('/org-nodes', { orgNodeId: 'unit-a-office', name: '办公室', kind: 'INTERNAL_BODY', parentId: 'unit-a' });
    await send('/org-nodes', { orgNodeId: 'unit-b', name: '乙单位', kind: 'UNIT', parentId: 'root' });
    await send('/persons', person('mover', 'unit-a-office', 1));
    await send('/persons/mover/transfer', { to: { orgNodeId: 'unit-b', title: '科员' } });
    await send('/persons/mover/profile', { changes: { officePhone: '021-59700000' } });
  });

  afterAll(async () => {
    await app.close();
  });

  const published = async () => (await app.store.readAll()).filter((e) => isPublished(e.type));

  it('resumes from a saved Last-Event-ID with no gap and no duplicate', async () => {
    const all = await published();
    const first = await openSse(base, '/events/stream?from=start', app.admin);
    expect(first.status).toBe(200);
    await first.waitFor(Math.floor(all.length / 2));
    first.close();
    const seen = [...first.messages];
    const saved = seen.at(-1)!.id;
    for (const officePhone of ['021-1', '021-2', '021-3'])
      await send('/persons/mover/profile', { changes: { officePhone } });
    const now = await published();

    const resumed = await openSse(base, '/events/stream', { ...app.admin, 'Last-Event-ID': saved });
    await resumed.waitFor(now.length - seen.length);
    await new Promise((resolve) => setTimeout(resolve, 100)); // nothing more should come
    resumed.close();
    const ids = [...seen, ...resumed.messages].map((m) => m.data.id);
    expect(ids).toEqual(now.map((e) => e.eventId));
    for (const message of [...seen, ...resumed.messages]) {
      expect(message.id).toBe(message.data.position);
      expect(message.event).toBe(message.data.type);
    }
  });

  it('live: an event appended while connected arrives, and from=end skips the history', async () => {
    const live = await openSse(base, '/events/stream?types=PersonProfileUpdated', app.admin);
    await send('/persons/mover/profile', { changes: { officePhone: '021-4' } });
    await live.waitFor(1);
    live.close();
    expect(live.messages.map((m) => m.data.data)).toEqual([
      { personId: 'mover', changes: { officePhone: { from: '021-3', to: '021-4' } } },
    ]);
  });

  it('filters by type, by stream prefix and by org subtree', async () => {
    const all = (await published()).length;
    const byType = await openSse(base, '/events/stream?from=start&types=PersonTransferred,OrgNodeCreated', app.admin);
    const byPrefix = await openSse(base, '/events/stream?from=start&streamPrefixes=OrgTree-', app.admin);
    const bySubtree = await openSse(base, '/events/stream?from=start&orgSubtrees=unit-a', app.admin);
    const everything = await openSse(base, '/events/stream?from=start', app.admin);
    await everything.waitFor(all);
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const c of [byType, byPrefix, bySubtree, everything]) c.close();
    const events = everything.messages.map((m) => m.data);
    expect(byType.messages.map((m) => m.data.id)).toEqual(
      events.filter((e) => ['PersonTransferred', 'OrgNodeCreated'].includes(e.type)).map((e) => e.id),
    );
    expect(byPrefix.messages.map((m) => m.data.id)).toEqual(
      events.filter((e) => e.stream.startsWith('OrgTree-')).map((e) => e.id),
    );
    const subtree = bySubtree.messages.map((m) => `${m.data.type}:${m.data.subject.id}`);
    // The nodes of unit-a, the person registered there and their transfer out; not their later changes in unit-b, not unit-b.
    expect(subtree).toEqual([
      'OrgNodeCreated:unit-a',
      'OrgNodeCreated:unit-a-office',
      'PersonRegistered:mover',
      'PersonTransferred:mover',
    ]);
    const transfer = bySubtree.messages.find((m) => m.data.type === 'PersonTransferred')!.data;
    expect(transfer.orgNodeIds).toEqual(expect.arrayContaining(['unit-a-office', 'unit-b']));
  });

  it('gives personal data only to a subscription granted it, read with its own service credential', async () => {
    const registered = await request(server)
      .post('/subscriptions')
      .set(app.admin)
      .send({ name: '统一身份认证', grants: ['idNumber', 'mobile'], types: ['PersonRegistered'] });
    expect(registered.status).toBe(201);
    const id = registered.body.subscription.subscriptionId as string;
    const credential = await app.service(`subscriber-${id}`);
    const granted = await openSse(base, `/events/stream?from=start&subscription=${id}`, credential);
    expect(granted.status).toBe(200);
    await granted.waitFor(2);
    granted.close();
    const mover = granted.messages.find((m) => m.data.subject.id === 'mover')!.data;
    expect(mover.data).toMatchObject({ mobile: '13900000001', idNumber: person('mover', 'x', 1).idNumber });
    expect(mover.withheld).toEqual([]);

    const plain = await openSse(base, '/events/stream?from=start&types=PersonRegistered', app.admin);
    await plain.waitFor(2);
    plain.close();
    expect(plain.messages.find((m) => m.data.subject.id === 'mover')!.data.data).not.toHaveProperty('mobile');

    for (const [query, headers] of [
      ['from=start', credential], // a subscriber's credential reads only as its subscription
      [`subscription=${id}`, await app.service('subscriber-someone-else')],
      [`subscription=${id}`, await app.service('gateway')],
    ] as const) {
      const refused = await openSse(base, `/events/stream?${query}`, headers);
      expect(refused.status).toBe(403);
      expect(await refused.refusal).toMatchObject({ code: 'NOT_PERMITTED' });
    }
    const bad = await openSse(base, '/events/stream?types=AccountSignedIn', app.admin);
    expect(bad.status).toBe(422);
    expect(await bad.refusal).toMatchObject({ code: 'UNKNOWN_EVENT_TYPE' });
    const badFrom = await openSse(base, '/events/stream', { ...app.admin, 'Last-Event-ID': 'yesterday' });
    expect(badFrom.status).toBe(422);
    expect((await openSse(base, '/events/stream', {})).status).toBe(401);
  });

  it('streams the same events over WebSocket, and refuses an upgrade without a token', async () => {
    const expected = (await published()).filter((e) => e.type === 'PersonRegistered').map((e) => e.eventId);
    const ws = new WebSocket(`${base.replace('http', 'ws')}/events/ws?from=start&types=PersonRegistered`, {
      headers: app.admin,
    });
    const received: PublicEvent[] = [];
    await new Promise<void>((resolve, reject) => {
      ws.on('message', (raw) => {
        received.push(JSON.parse(String(raw)) as PublicEvent);
        if (received.length === expected.length) resolve();
      });
      ws.on('error', reject);
    });
    ws.close();
    expect(received.map((e) => e.id)).toEqual(expected);

    const refused = new WebSocket(`${base.replace('http', 'ws')}/events/ws?from=start`);
    const status = await new Promise<number>((resolve) => {
      refused.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      refused.on('error', () => undefined);
    });
    expect(status).toBe(401);
  });

  it('publishes an AsyncAPI 3 document that @asyncapi/parser accepts, and every event sent validates against it', async () => {
    const response = await request(server).get('/asyncapi');
    expect(response.status).toBe(200);
    const { document, diagnostics } = await new Parser().parse(JSON.stringify(response.body));
    expect(diagnostics.filter((d) => d.severity === 0)).toEqual([]);
    expect(document).toBeDefined();
    expect(document!.version()).toBe('3.0.0');
    expect(
      document!
        .components()
        .messages()
        .all()
        .map((m) => m.id())
        .sort(),
    ).toEqual(PUBLISHED_EVENT_TYPES.map((e) => e.type).sort());

    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    const root = { components: response.body.components };
    ajv.addSchema(root, 'asyncapi');
    const all = await openSse(base, '/events/stream?from=start', app.admin);
    await all.waitFor((await published()).length);
    all.close();
    const types = new Set<string>();
    for (const { data: event } of all.messages) {
      const validate = ajv.getSchema(`asyncapi#/components/schemas/${event.type}`)!;
      if (!validate(event))
        throw new Error(`${event.type} ${event.id} does not match the contract: ${ajv.errorsText(validate.errors)}`);
      types.add(event.type);
    }
    expect(types.size).toBeGreaterThanOrEqual(10);
  });
});
