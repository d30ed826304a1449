/**
 * Hostile input on every HTTP route (issue 8), property-based with fast-check: random and
 * malicious path parameters, query strings and bodies — huge strings, deep nesting, prototype
 * pollution keys, broken JSON, wrong content types and encodings, SQL and NoSQL injection
 * strings — as a system admin (so that they get past authentication to the validation) and
 * without a token. Every answer is a 4xx with a stable error code, never a 5xx, and a refused
 * request leaves the store where it was. The routes are read from the service's own OpenAPI
 * document, so a new route is covered without touching this test.
 *
 * HOSTILE_RUNS sets the requests per route (default 12; `.ci/run` sets more).
 */
import fc from 'fast-check';
import request from 'supertest';
import { buildHistory } from '../support/read-models';
import { startTestApp, type TestApp } from '../support/test-app';

const RUNS = Number(process.env.HOSTILE_RUNS ?? 12);
/** Long-lived streams: a request that happens to be valid would stay open. Their refusals are tested in test/subscribers/live-stream.e2e-spec.ts. */
const STREAMING = new Set(['/events/stream', '/events/ws']);

const INJECTIONS = [
  "' OR '1'='1",
  "'; DROP TABLE events; --",
  '" OR ""="',
  '1; SELECT * FROM sqlite_master',
  '{"$gt":""}',
  '{"$where":"sleep(1000)"}',
  '$ne',
  '__proto__',
  'constructor',
  'prototype',
  '../../etc/passwd',
  '%00',
  '\u0000',
  '\ud800',
  '<script>alert(1)</script>',
  '${jndi:ldap://x}',
  'p0\r\nX-Injected: 1',
  '*',
  '.*',
  '%',
  '_',
  // Sent as they are (see encodePathSegment): malformed percent-escapes and an encoded lone surrogate.
  'raw:%E0%A4%A',
  'raw:%ZZ',
  'raw:%ED%A0%80',
  'raw:..%2F..%2Fadmin',
  'raw:%C0%AE%C0%AE',
];

/** A path segment: percent-encoded, but `raw:` strings as they are and lone surrogates as their (invalid) UTF-8 bytes. */
function encodePathSegment(value: string): string {
  if (value.startsWith('raw:')) return value.slice(4);
  try {
    return encodeURIComponent(value);
  } catch {
    return [...value]
      .map((c) => {
        try {
          return encodeURIComponent(c);
        } catch {
          return '%ED%A0%80';
        }
      })
      .join('');
  }
}

const hostileString = fc.oneof(
  fc.constantFrom(...INJECTIONS),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer({ min: 1_000, max: 200_000 }).map((n) => '政'.repeat(n)),
  fc.constantFrom('', ' ', '0', '-1', '1e309', 'NaN', 'null', 'true', '9'.repeat(400)),
);

const pollutionKey = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  '$where',
  '$gt',
  'toString',
  'hasOwnProperty',
);

/** JSON values nested up to `depth`, with hostile keys and strings. */
const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(pollutionKey, fc.string({ maxLength: 12 })), tie('value'), { maxKeys: 5 }),
  ),
})).value;

/** Nesting far deeper than any route accepts. */
const deepNesting = fc.integer({ min: 200, max: 20_000 }).map((depth) => {
  // Built as text: JSON.stringify itself overflows the stack on such depths.
  const open = Array.from({ length: depth }, (_, i) => (i % 2 ? '[' : '{"changes":')).join('');
  const close = Array.from({ length: depth }, (_, i) => (i % 2 ? ']' : '}'))
    .reverse()
    .join('');
  return `${open}{"leaf":"x"}${close}`;
});

type RawBody = { contentType: string; payload: string | Buffer };

const hostileBody: fc.Arbitrary<RawBody> = fc.oneof(
  hostileJson.map((v) => ({ contentType: 'application/json', payload: JSON.stringify(v) ?? 'null' })),
  fc.dictionary(pollutionKey, hostileJson, { minKeys: 1, maxKeys: 3 }).map((v) => ({
    contentType: 'application/json',
    payload: `{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},${JSON.stringify(v).slice(1)}`,
  })),
  deepNesting.map((payload) => ({ contentType: 'application/json', payload })),
  fc
    .constantFrom('{', '{"a":', '[1,2', '{"a":1}}', 'undefined', '\u0000', '{"changes":{"name":"\\ud800"}}')
    .map((payload) => ({ contentType: 'application/json', payload })),
  fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => ({
    contentType: 'application/json; charset=utf-8',
    payload: Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xff, 0xfe, ...bytes]), Buffer.from('"}')]),
  })),
  hostileString.map((s) => ({
    contentType: fc.sample(
      fc.constantFrom(
        'text/plain',
        'application/xml',
        'multipart/form-data; boundary=x',
        'application/x-www-form-urlencoded',
        'application/json; charset=gbk',
      ),
      1,
    )[0],
    payload: s,
  })),
  fc.integer({ min: 1, max: 3 }).map((mb) => ({
    contentType: 'application/json',
    payload: JSON.stringify({ name: 'x'.repeat(mb * 1024 * 1024) }),
  })),
);

const hostileQuery = fc.dictionary(
  fc.oneof(
    pollutionKey,
    fc.constantFrom(
      'q',
      'limit',
      'from',
      'types',
      'asPerson',
      'viewer',
      'target',
      'depth',
      'period',
      'format',
      'unitId',
      'streamPrefixes',
      'orgSubtrees',
    ),
    fc.string({ maxLength: 8 }),
  ),
  hostileString,
  { maxKeys: 4 },
);

interface Route {
  readonly method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  readonly path: string;
}

describe('hostile input on every route: never a 5xx, and a refusal moves nothing', () => {
  jest.setTimeout(600_000);
  let app: TestApp;
  let routes: Route[] = [];

  beforeAll(async () => {
    app = await startTestApp();
    await buildHistory(app, 12);
    const docs = await request(app.app.getHttpServer()).get('/docs/json').expect(200);
    const paths = docs.body.paths as Record<string, Record<string, unknown>>;
    routes = Object.entries(paths).flatMap(([path, methods]) =>
      Object.keys(methods)
        .filter((m) => ['get', 'post', 'patch', 'put', 'delete'].includes(m))
        .map((method) => ({ method: method as Route['method'], path })),
    );
  });
  afterAll(() => app.close());

  it('knows the routes (from the OpenAPI document)', () => {
    expect(routes.length).toBeGreaterThan(40);
    expect(routes.some((r) => r.method === 'post' && r.path === '/persons/{id}/profile')).toBe(true);
  });

  it('answers every hostile request with a 4xx and an error code, and the store does not move on a refusal', async () => {
    const server = app.app.getHttpServer();
    let requests = 0;
    const refusedCodes = new Map<number, number>();
    for (const route of routes.filter((r) => !STREAMING.has(r.path))) {
      const outcome = await fc.check(
        fc.asyncProperty(
          fc.array(hostileString, { minLength: 3, maxLength: 3 }),
          hostileQuery,
          hostileBody,
          fc.boolean(),
          async (params, query, body, authenticated) => {
            let n = 0;
            const path = route.path.replace(/\{[^}]+\}/g, () => encodePathSegment(params[n++ % params.length]));
            const before = await app.store.headPosition();
            let call = request(server)[route.method](path).query(query);
            if (authenticated) call = call.set(app.admin);
            if (route.method !== 'get' && route.method !== 'delete')
              call = call.set('Content-Type', body.contentType).send(body.payload);
            const response = await call;
            requests++;
            refusedCodes.set(response.status, (refusedCodes.get(response.status) ?? 0) + 1);
            if (response.status >= 500)
              throw new Error(
                `${route.method.toUpperCase()} ${route.path} answered ${response.status}: ${JSON.stringify(response.body).slice(0, 300)}`,
              );
            if (response.status >= 400) {
              // 414/431: Node's HTTP parser refuses an oversized request line before the application sees it.
              if (response.status !== 414 && response.status !== 431) {
                if (typeof response.body.code !== 'string' || typeof response.body.message !== 'string') {
                  throw new Error(
                    `${route.method.toUpperCase()} ${route.path} answered ${response.status} without an error code: ${JSON.stringify(response.body).slice(0, 300)}`,
                  );
                }
              }
              if ((await app.store.headPosition()) !== before)
                throw new Error(
                  `${route.method.toUpperCase()} ${route.path} refused with ${response.status} but the store moved`,
                );
            }
            if (({} as Record<string, unknown>).polluted !== undefined)
              throw new Error(`${route.method.toUpperCase()} ${route.path} polluted Object.prototype`);
          },
        ),
        { numRuns: RUNS, endOnFailure: true },
      );
      // Reported short: the counterexample may hold megabytes.
      if (outcome.failed) {
        const brief = JSON.stringify(outcome.counterexample, (_key, value: unknown) =>
          typeof value === 'string' && value.length > 120 ? `${value.slice(0, 120)}…(${value.length} chars)` : value,
        );
        throw new Error(
          `seed ${outcome.seed}: ${outcome.errorInstance instanceof Error ? outcome.errorInstance.message : String(outcome.errorInstance)}\ncounterexample: ${brief.slice(0, 1500)}`,
        );
      }
    }
    // The property means something only if requests got through and were refused for their content.
    expect(requests).toBeGreaterThan(routes.length);
    expect([...refusedCodes.keys()].some((status) => status === 400 || status === 422)).toBe(true);
  });
});
