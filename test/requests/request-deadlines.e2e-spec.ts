/**
 * A request's due dates are working days on the holiday calendar (chinese-days), like the other
 * deadlines: a step opened on 2025-09-30 with 7 working days is due after the National Day week
 * (2025-10-11, a Saturday, is worked); one opened on 2026-02-12 with 7 is due on the worked
 * Saturday after the Spring Festival (2026-02-28). Deciding after the due date records it late.
 */
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/test-app';
import { servicesOfApp } from '../support/services';
import { idNumberCheckCharacter } from '../../src/domain/person/identity';

const ROUTE = [
  { name: '县信息化建设办公室审核', adminOf: null, workingDays: 7 },
  { name: '县委办/政府办审批备案', adminOf: null, workingDays: 7 },
];

describe('request deadlines across the 2025 National Day and the 2026 Spring Festival', () => {
  let t: TestApp;
  let now = new Date('2025-09-30T02:00:00Z');
  const META = { actor: { accountId: 'acc-admin', role: 'SYSTEM_ADMIN' as const }, jurisdiction: 'qingpu' };

  beforeAll(async () => {
    t = await startTestApp({ REQUEST_ROUTES: JSON.stringify({ ORG_CHANGE: ROUTE }) }, { clock: { now: () => now } });
    await servicesOfApp(t.app).tree.execute(
      { type: 'CreateOrgNode', data: { orgNodeId: 'edu', name: '区教育局', kind: 'UNIT', parentId: 'root' } },
      META,
    );
    // A second system admin, so that the applicant does not review their own request.
    const id17 = '31011819800101003';
    await servicesOfApp(t.app).people.register(
      {
        personId: 'p-admin2',
        name: '管理员乙',
        idNumber: id17 + idNumberCheckCharacter(id17),
        gender: '1',
        mobile: '13000000002',
        officePhone: null,
        employment: { type: 'ON_ESTABLISHMENT', establishmentType: 'ADMINISTRATIVE' },
        rank: null,
        politicalStatus: null,
        leadershipDuties: null,
        primaryPost: { orgNodeId: 'edu' },
      },
      META,
    );
    await servicesOfApp(t.app).accounts.open(
      { accountId: 'acc-admin2', type: 'SYSTEM_ADMIN', loginName: 'admin2', personId: 'p-admin2' },
      META,
    );
    await servicesOfApp(t.app).accounts.execute({ type: 'ActivateAccount', data: { accountId: 'acc-admin2' } }, META);
  });
  afterAll(() => t.close());

  const file = (requestId: string, name: string) =>
    request(t.app.getHttpServer())
      .post('/requests')
      .set(t.admin)
      .send({
        requestId,
        kind: 'ORG_CHANGE',
        orgNodeId: 'edu',
        change: { type: 'RenameOrgNode', data: { orgNodeId: 'edu', name } },
        documents: [],
      })
      .expect(200);
  const decide = async (requestId: string, step: number) =>
    request(t.app.getHttpServer())
      .post(`/requests/${requestId}/decision`)
      .set(await t.bearer('acc-admin2'))
      .send({ step, decision: 'APPROVED' })
      .expect(200);
  const events = async (requestId: string) => (await t.store.readStream(`Request-${requestId}`)).map((e) => e.data);

  it('counts working days past the holidays, and marks a late decision', async () => {
    now = new Date('2025-09-30T02:00:00Z');
    await file('r-national-day', '区教育体育局');
    expect((await events('r-national-day'))[0]).toMatchObject({ dueOn: '2025-10-16' });
    now = new Date('2026-02-12T02:00:00Z');
    await file('r-spring', '区教育局（区语委）');
    expect((await events('r-spring'))[0]).toMatchObject({ dueOn: '2026-02-28' });
    // Decided on 2026-02-12: the first request is long overdue; its next step is due 7 working days on.
    await decide('r-national-day', 0);
    expect((await events('r-national-day'))[1]).toMatchObject({
      late: true,
      dueOn: '2025-10-16',
      nextDueOn: '2026-02-28',
    });
    now = new Date('2026-02-27T02:00:00Z');
    await decide('r-spring', 0);
    expect((await events('r-spring'))[1]).toMatchObject({ late: false, dueOn: '2026-02-28' });
    // The timeliness of reviews, per reviewing unit (here the system admins): 2 steps decided in 2026, 1 late.
    const reviews = await request(t.app.getHttpServer()).get('/assessment/2026/reviews').set(t.admin).expect(200);
    expect(reviews.body.reviewers).toEqual([
      { reviewerNodeId: null, reviewer: '系统管理员', decided: 2, onTime: 1, late: 1, onTimeRate: 0.5 },
    ]);
  });
});
