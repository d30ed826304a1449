/**
 * GET /metrics (issue 25), scraped while each family is exercised: commands by type and outcome
 * with their latency, appends and group commits, a read model's lag that rises while its feed is
 * paused and returns to zero, the policies' lag, webhook deliveries, retries and a failed list
 * with the age of its oldest entry. Only the metrics credential and system admins may scrape.
 */
import request from 'supertest';
import { ProjectionEngine } from '../../src/application/projections/projection-engine';
import { startTestApp, type TestApp } from '../support/test-app';
import { SubscriberServer } from '../subscribers/subscriber-server';

/** The value of one sample of the exposition text (labels in any order), or undefined. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[3]);
  }
  return undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('operational metrics (GET /metrics)', () => {
  let t: TestApp;
  let metrics: Record<string, string>;
  const scrape = async () => (await request(t.app.getHttpServer()).get('/metrics').set(metrics).expect(200)).text;
  const post = (path: string, body: object) => request(t.app.getHttpServer()).post(path).set(t.admin).send(body);

  beforeAll(async () => {
    t = await startTestApp({
      POLICIES_ENABLED: 'true',
      WEBHOOK_BACKOFF_BASE_MS: '5',
      WEBHOOK_BACKOFF_MAX_MS: '20',
      WEBHOOK_TIMEOUT_MS: '200',
      WEBHOOK_CHECKPOINT_MS: '20',
    });
    metrics = await t.service('metrics');
  });
  afterAll(() => t.close());

  it('is for the metrics credential and system admins only', async () => {
    const server = t.app.getHttpServer();
    await request(server).get('/metrics').expect(401);
    const gateway = await request(server)
      .get('/metrics')
      .set(await t.service('gateway'));
    expect(gateway.status).toBe(403);
    const admin = await request(server).get('/metrics').set(t.admin).expect(200);
    expect(admin.headers['content-type']).toContain('text/plain');
  });

  it('counts commands by type and outcome, with their latency, and the commits behind them', async () => {
    const accepted = { command: 'CreateOrgNode', outcome: 'ACCEPTED' };
    const before = await scrape();
    await post('/org-nodes', { orgNodeId: 'edu', name: '区教育局', kind: 'UNIT', parentId: 'root' }).expect(200);
    const refused = await post('/org-nodes', { orgNodeId: 'edu', name: '区教育局', kind: 'UNIT', parentId: 'root' });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    const after = await scrape();
    const grew = (name: string, labels: Record<string, string> = {}) =>
      (sample(after, name, labels) ?? 0) - (sample(before, name, labels) ?? 0);
    expect(grew('gov_commands_total', accepted)).toBe(1);
    expect(grew('gov_commands_total', { command: 'CreateOrgNode', outcome: refused.body.code })).toBe(1);
    expect(grew('gov_command_duration_seconds_count', accepted)).toBe(1);
    expect(grew('gov_command_duration_seconds_sum', accepted)).toBeGreaterThan(0);
    // The accepted command's events were committed; the refused one wrote nothing.
    expect(grew('gov_event_store_commit_events_count')).toBeGreaterThanOrEqual(1);
    expect(grew('gov_event_store_commit_events_sum')).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'gov_event_store_append_duration_seconds_count')).toBeGreaterThanOrEqual(
      sample(after, 'gov_event_store_commit_duration_seconds_count')!,
    );
    expect(sample(after, 'gov_policy_lag_events', { policy: 'all' })).toBeGreaterThanOrEqual(0);
    // This single instance holds the policies' lease, in the store's first term.
    expect(sample(after, 'gov_lease_held', { lease: 'policies' })).toBe(1);
    expect(sample(after, 'gov_lease_term', { lease: 'policies' })).toBe(1);
    expect(sample(after, 'gov_lease_acquisitions_total', { lease: 'policies' })).toBe(1);
  });

  it('shows a read model’s lag rising while its feed is paused, and back to zero once it runs again', async () => {
    const engine = t.app.get(ProjectionEngine);
    expect(await engine.waitFor((await t.store.headPosition())!, 10_000)).toBe(true);
    const caughtUp = await scrape();
    expect(sample(caughtUp, 'gov_projection_lag_events', { projection: 'org_tree', state: 'ACTIVE' })).toBe(0);
    expect(sample(caughtUp, 'gov_read_model_rebuild_progress_ratio', { projection: 'org_tree', state: 'ACTIVE' })).toBe(
      1,
    );

    await engine.stop();
    for (let n = 0; n < 3; n++)
      await post('/org-nodes', { orgNodeId: `u${n}`, name: `单位${n}`, kind: 'UNIT', parentId: 'root' }).expect(200);
    await sleep(20);
    const paused = await scrape();
    expect(
      sample(paused, 'gov_projection_lag_events', { projection: 'org_tree', state: 'ACTIVE' }),
    ).toBeGreaterThanOrEqual(3);
    expect(sample(paused, 'gov_projection_lag_seconds', { projection: 'org_tree', state: 'ACTIVE' })).toBeGreaterThan(
      0,
    );
    expect(
      sample(paused, 'gov_read_model_rebuild_progress_ratio', { projection: 'org_tree', state: 'ACTIVE' }),
    ).toBeLessThan(1);

    await engine.start();
    expect(await engine.waitFor((await t.store.headPosition())!, 10_000)).toBe(true);
    const resumed = await scrape();
    expect(sample(resumed, 'gov_projection_lag_events', { projection: 'org_tree', state: 'ACTIVE' })).toBe(0);
    expect(sample(resumed, 'gov_projection_lag_seconds', { projection: 'org_tree', state: 'ACTIVE' })).toBe(0);
  });

  it('counts webhook deliveries and retries, and the failed list with the age of its oldest entry', async () => {
    const subscriber = new SubscriberServer(() => 'error500');
    try {
      const url = await subscriber.start();
      const created = await request(t.app.getHttpServer())
        .post('/subscriptions')
        .set(t.admin)
        .send({ name: '区OA系统', url, maxAttempts: 2 });
      expect(created.status).toBe(201);
      const id = created.body.subscription.subscriptionId as string;
      await post('/org-nodes', { orgNodeId: 'fin', name: '区财政局', kind: 'UNIT', parentId: 'root' }).expect(200);
      let text = '';
      for (let tries = 0; tries < 100; tries++) {
        text = await scrape();
        if ((sample(text, 'gov_webhook_failed_events', { subscription: id }) ?? 0) > 0) break;
        await sleep(50);
      }
      expect(sample(text, 'gov_webhook_deliveries_total', { subscription: id, outcome: 'retried' })).toBeGreaterThan(0);
      expect(sample(text, 'gov_webhook_deliveries_total', { subscription: id, outcome: 'failed' })).toBeGreaterThan(0);
      expect(sample(text, 'gov_webhook_failed_events', { subscription: id })).toBeGreaterThan(0);
      await sleep(1100);
      expect(
        sample(await scrape(), 'gov_webhook_failed_oldest_age_seconds', { subscription: id }),
      ).toBeGreaterThanOrEqual(1);
    } finally {
      await subscriber.stop();
    }
  }, 30_000);
});
