/**
 * 000:9 "及时向上一级管理员报告": the scheduler's policy reports a request step left past its due
 * date to the admins one level up (RequestStepEscalated, caused by the event that opened the step),
 * once; a step still within its deadline is left alone.
 */
import request from 'supertest';
import { PolicyEngine } from '../../src/application/policies/policy-engine';
import { servicesOfApp } from '../support/services';
import { startTestApp, type TestApp } from '../support/test-app';

describe('an overdue request step is reported one level up by the scheduler', () => {
  let t: TestApp;
  let now = new Date('2025-09-30T02:00:00Z');
  const META = { actor: { accountId: 'acc-admin', role: 'SYSTEM_ADMIN' as const }, jurisdiction: 'qingpu' };

  beforeAll(async () => {
    t = await startTestApp(
      {
        POLICIES_ENABLED: 'true',
        SCHEDULER_INTERVAL_MS: '1000',
        REQUEST_ROUTES: JSON.stringify({ ORG_CHANGE: [{ name: '教育局审核', adminOf: 'edu', workingDays: 3 }] }),
      },
      { clock: { now: () => now } },
    );
    const { tree } = servicesOfApp(t.app);
    await tree.execute(
      { type: 'CreateOrgNode', data: { orgNodeId: 'gov', name: '区政府', kind: 'CATEGORY', parentId: 'root' } },
      META,
    );
    await tree.execute(
      { type: 'CreateOrgNode', data: { orgNodeId: 'edu', name: '区教育局', kind: 'UNIT', parentId: 'gov' } },
      META,
    );
    await t.app.get(PolicyEngine).caughtUp;
  });
  afterAll(() => t.close());

  const file = (requestId: string) =>
    request(t.app.getHttpServer())
      .post('/requests')
      .set(t.admin)
      .send({
        requestId,
        kind: 'ORG_CHANGE',
        orgNodeId: 'edu',
        change: { type: 'RenameOrgNode', data: { orgNodeId: 'edu', name: `区教育局（${requestId}）` } },
        documents: [],
      })
      .expect(200);
  const typesOf = async (requestId: string) => (await t.store.readStream(`Request-${requestId}`)).map((e) => e.type);

  it('reports the overdue step once, to the admins of the reviewers’ parent; leaves the one still due alone', async () => {
    await file('r-late');
    now = new Date('2025-10-13T02:00:00Z');
    // Filed 2025-09-30, 3 working days: due 2025-10-11 (after the National Day week; a worked Saturday); now 2025-10-13.
    await file('r-on-time');
    for (let i = 0; i < 40 && !(await typesOf('r-late')).includes('RequestStepEscalated'); i++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    const events = await t.store.readStream('Request-r-late');
    const escalated = events.find((e) => e.type === 'RequestStepEscalated')!;
    expect(escalated.data).toMatchObject({ step: 0, dueOn: '2025-10-11', escalatedTo: 'gov' });
    expect(escalated.metadata).toMatchObject({
      causationId: events[0].eventId,
      actor: { accountId: 'policy:request-escalation' },
    });
    // Another turn of the scheduler reports nothing more; the request still due is not reported.
    await new Promise((resolve) => setTimeout(resolve, 1300));
    expect((await typesOf('r-late')).filter((type) => type === 'RequestStepEscalated')).toHaveLength(1);
    expect(await typesOf('r-on-time')).toEqual(['RequestFiled']);
  });
});
