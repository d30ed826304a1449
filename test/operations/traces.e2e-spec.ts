/**
 * One trace from an HTTP command through the policy it triggers to the webhook delivery it causes
 * (issue 25): the caller's W3C traceparent is continued by the command's span, carried in the
 * envelope of its events, continued by the policy's span (whose command's events carry it in
 * turn), and by the delivery's span, which sends it on in the `traceparent` header. Asserted
 * through the in-memory exporter (OTEL_TRACES_EXPORTER=memory).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import request from 'supertest';
import { TRACING } from '../../src/application/ports/tracing.port';
import { idNumberCheckCharacter } from '../../src/domain/person/identity';
import type { OtelTracing } from '../../src/infrastructure/observability/otel-tracing';
import { runCli } from '../support/cli';
import { startServiceProcess } from '../support/service-process';
import { makeTempDir } from '../support/temp-dir';
import { startTestApp, TEST_JWT_SECRET, type TestApp } from '../support/test-app';

const CALLER_TRACE = '0af7651916cd43dd8448eb211c80319c';
const CALLER = `00-${CALLER_TRACE}-b7ad6b7169203331-01`;
const traceOf = (traceparent: string) => traceparent.split('-')[1];
const spanOf = (traceparent: string) => traceparent.split('-')[2];

describe('a trace from a command through a policy to a webhook delivery', () => {
  let t: TestApp;
  let receiver: Server;
  const received: Array<{ type: string; traceparent: string | undefined }> = [];

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push({
          type: (JSON.parse(body) as { type: string }).type,
          traceparent: req.headers.traceparent as string,
        });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    t = await startTestApp({ POLICIES_ENABLED: 'true', OTEL_TRACES_EXPORTER: 'memory', WEBHOOK_CHECKPOINT_MS: '20' });
  });
  afterAll(async () => {
    await t.close();
    await new Promise((resolve) => receiver.close(resolve));
  });

  it('continues the caller’s trace in the events, the policy’s commands and the delivery', async () => {
    const server = t.app.getHttpServer();
    const post = (path: string, body: object) => request(server).post(path).set(t.admin).send(body);
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    await post('/subscriptions', { name: '区OA系统', url, types: ['AccountClosed'] }).expect(201);
    await post('/org-nodes', { orgNodeId: 'edu', name: '区教育局', kind: 'UNIT', parentId: 'root' }).expect(200);
    const id17 = '31011819900101003';
    await post('/persons', {
      personId: 'p-left',
      name: '离职人员',
      idNumber: id17 + idNumberCheckCharacter(id17),
      gender: '1',
      mobile: '13912340009',
      employment: { type: 'ON_ESTABLISHMENT', establishmentType: 'ADMINISTRATIVE' },
      primaryPost: { orgNodeId: 'edu' },
      effectiveAt: new Date().toISOString().slice(0, 10),
      sourceRef: '测人调〔2026〕9号',
    }).expect(200);
    await post('/accounts', { accountId: 'acc-left', type: 'USER', personId: 'p-left', loginName: 'left' }).expect(200);

    const departed = await request(server)
      .post('/persons/p-left/departure')
      .set({ ...t.admin, traceparent: CALLER })
      .send({
        departureReason: 'RETIRED',
        effectiveAt: new Date().toISOString().slice(0, 10),
        sourceRef: '测人调〔2026〕10号',
      })
      .expect(200);
    const commandTrace = departed.headers.traceparent as string;
    expect(traceOf(commandTrace)).toBe(CALLER_TRACE);

    // The command's event carries the command's span; the policy's command carries the policy's span, same trace.
    let closed;
    for (let tries = 0; tries < 100 && !closed; tries++) {
      closed = (await t.store.readStream('Account-acc-left')).find((e) => e.type === 'AccountClosed');
      if (!closed) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const left = (await t.store.readStream('Person-p-left')).find((e) => e.type === 'PersonLeft')!;
    expect(left.metadata.traceparent).toBe(commandTrace);
    expect(closed).toBeDefined();
    const policyTrace = closed!.metadata.traceparent as string;
    expect(traceOf(policyTrace)).toBe(CALLER_TRACE);
    expect(closed!.metadata.causationId).toBe(left.eventId);

    for (let tries = 0; tries < 100 && received.length === 0; tries++) await new Promise((r) => setTimeout(r, 50));
    expect(received.map((r) => r.type)).toEqual(['AccountClosed']);
    const deliveryTrace = received[0].traceparent!;
    expect(traceOf(deliveryTrace)).toBe(CALLER_TRACE);

    // The spans, parent to child: the caller → the HTTP command → the policy → the delivery.
    const spans = (t.app.get<OtelTracing>(TRACING).memory!.getFinishedSpans() as ReadableSpan[]).filter(
      (s) => s.spanContext().traceId === CALLER_TRACE,
    );
    const named = (prefix: string) => spans.find((s) => s.name.startsWith(prefix))!;
    const http = named('HTTP POST /persons/p-left/departure');
    const policy = named('policy departure');
    const delivery = named('webhook delivery');
    expect(http.parentSpanContext?.spanId).toBe(spanOf(CALLER));
    expect(http.spanContext().spanId).toBe(spanOf(commandTrace));
    expect(policy.parentSpanContext?.spanId).toBe(http.spanContext().spanId);
    expect(policy.spanContext().spanId).toBe(spanOf(policyTrace));
    expect(delivery.parentSpanContext?.spanId).toBe(policy.spanContext().spanId);
    expect(delivery.spanContext().spanId).toBe(spanOf(deliveryTrace));
    expect(delivery.attributes['gov.event.id']).toBe(closed!.eventId);
  }, 30_000);

  it('starts a trace of its own for a command that brings none, and ignores a malformed traceparent', async () => {
    const server = t.app.getHttpServer();
    const answer = await request(server)
      .post('/org-nodes')
      .set({ ...t.admin, traceparent: 'not-a-trace' })
      .send({ orgNodeId: 'fin', name: '区财政局', kind: 'UNIT', parentId: 'root' })
      .expect(200);
    expect(answer.headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const created = (await t.store.readStream(`OrgTree-qingpu`)).at(-1)!;
    expect(created.metadata.traceparent).toBe(answer.headers.traceparent);
  });
});

describe('traces exported over OTLP/HTTP (OTEL_TRACES_EXPORTER=otlp)', () => {
  jest.setTimeout(90_000);

  // In the service's own process: the exporter loads node:http by a dynamic import, which jest's VM refuses.
  it('sends the command’s span, with the caller’s trace id, its kind and the service’s name, to the collector', async () => {
    const posts: Array<{ path: string; type: string; body: string }> = [];
    const collector = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        posts.push({ path: req.url ?? '', type: String(req.headers['content-type']), body });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
    const dir = makeTempDir();
    try {
      await (await startTestApp({}, { keepDir: dir.path })).close();
      const env = { DATA_DIR: dir.path, JURISDICTION: 'qingpu', JWT_SECRET: TEST_JWT_SECRET, LOG_LEVEL: 'silent' };
      const token = runCli({ ...process.env, ...env }, ['token', '--account', 'acc-admin']).stdout.trim();
      const service = await startServiceProcess(dir.path, {
        OTEL_TRACES_EXPORTER: 'otlp',
        OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      });
      await request(service.base)
        .post('/org-nodes')
        .set({ Authorization: `Bearer ${token}`, traceparent: CALLER })
        .send({ orgNodeId: 'otlp', name: '区统计局', kind: 'UNIT', parentId: 'root' })
        .expect(200);
      // A graceful stop flushes the batch of spans to the collector.
      service.child.kill('SIGTERM');
      await new Promise((resolve) => service.child.once('exit', resolve));
    } finally {
      await new Promise((resolve) => collector.close(resolve));
      dir.remove();
    }
    const exported = posts.filter((p) => p.path === '/v1/traces');
    expect(exported.length).toBeGreaterThan(0);
    expect(exported[0].type).toMatch(/application\/json/);
    const spans = exported.flatMap((p) => {
      const body = JSON.parse(p.body) as {
        resourceSpans: Array<{
          resource: { attributes: Array<{ key: string; value: { stringValue?: string } }> };
          scopeSpans: Array<{ spans: Array<{ traceId: string; name: string; kind: number }> }>;
        }>;
      };
      return body.resourceSpans.flatMap((r) =>
        r.scopeSpans.flatMap((s) => s.spans.map((span) => ({ ...span, resource: r.resource }))),
      );
    });
    const command = spans.find((s) => s.name === 'HTTP POST /org-nodes');
    expect(command).toBeDefined();
    expect(command!.traceId).toBe(CALLER_TRACE);
    // OTLP's SPAN_KIND_SERVER.
    expect(command!.kind).toBe(2);
    expect(command!.resource.attributes).toContainEqual({ key: 'service.name', value: { stringValue: 'gov-collab' } });
  });
});
