/**
 * The assessment of 2025 on a hand-built history sent over HTTP with the service's clock set to
 * chosen instants (Asia/Shanghai, deadline 3 working days, groups stale after 30 days, passwords
 * rotated every 90 days). Every expected figure is worked out by hand in the comments, with the
 * 2025 State Council schedule: 国庆/中秋 Oct 1–8 off, Sun Sep 28 and Sat Oct 11 worked; 劳动节
 * May 1–5 off.
 *
 * Responsible people (003:13) and handovers (001a:22): see the test of units without a leader or an admin.
 *
 * Tree: root 青浦区 ─ c1 区政府 (CATEGORY) ─ u1 区教育局 (UNIT) ─ u1a 办公室 (INTERNAL_BODY)
 *                                         └ u2 区卫健委 (UNIT)
 */
import ExcelJS from 'exceljs';
import request from 'supertest';
import { EVENT_STORE, type EventStore } from '../../src/application/ports/event-store.port';
import { ProjectionEngine } from '../../src/application/projections/projection-engine';
import { idNumberCheckCharacter } from '../../src/domain/person/identity';
import type { AssessmentReport, UnitRow } from '../../src/read-models/assessment/assessment.report';
import { binaryBody } from '../support/read-models';
import { startTestApp, type TestApp } from '../support/test-app';
import { withHrNotice } from '../support/hr-notice';
import { passedReports, withAppForms } from '../support/app-forms';

const CST = (local: string) => new Date(`${local}+08:00`);

describe('assessment of 2025 on a hand-built history', () => {
  let t: TestApp;
  let now = CST('2025-01-02T09:00:00');
  const clock = { now: () => now };
  const at = (local: string) => {
    now = CST(local);
  };
  let report: AssessmentReport;
  const unit = (id: string): UnitRow => report.units.find((u) => u.nodeId === id)!;

  const send = async (path: string, body: object, headers = t.admin) => {
    const response = await request(t.app.getHttpServer())
      .post(path)
      .set(headers)
      .send(withAppForms(path, withHrNotice(path, body)));
    if (response.status !== 200) throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  };
  const get = (path: string) => request(t.app.getHttpServer()).get(path).set(t.admin);
  const listing = async (node: string, measure: string) =>
    (await get(`/assessment/2025/units/${node}/${measure}`).expect(200)).body;
  const settled = async () => {
    expect(
      await t.app.get(ProjectionEngine).waitFor((await t.app.get<EventStore>(EVENT_STORE).headPosition())!, 20_000),
    ).toBe(true);
  };
  let seq = 0;
  const register = (personId: string, name: string, orgNodeId: string, employment: object) => {
    const id17 = `3101181980010${String(100 + seq++).padStart(3, '0')}1`;
    return send('/persons', {
      personId,
      name,
      idNumber: id17 + idNumberCheckCharacter(id17),
      gender: '1',
      mobile: `139000000${String(seq).padStart(2, '0')}`,
      employment,
      primaryPost: { orgNodeId },
      effectiveAt: '2025-01-02',
    });
  };
  const signIn = (signalId: string, accountId: string, local: string) => {
    at(local);
    return send('/ingest/sign-ins', { signals: [{ signalId, accountId, at: CST(local).toISOString() }] }, gateway);
  };
  let gateway: Record<string, string>;
  const EST = { type: 'ON_ESTABLISHMENT', establishmentType: 'ADMINISTRATIVE' };

  beforeAll(async () => {
    t = await startTestApp(
      {
        TIMELINESS_DEADLINE_DAYS: '3',
        GROUP_STALE_DAYS: '30',
        PASSWORD_ROTATION_DAYS: '90',
        TIME_ZONE: 'Asia/Shanghai',
      },
      { clock },
    );
    gateway = await t.service('gateway');
    // 2025-01-02: the tree, five people (effective the same day: lag 0), their accounts.
    await send('/org-nodes', { orgNodeId: 'c1', name: '区政府', kind: 'CATEGORY', parentId: 'root' });
    await send('/org-nodes', { orgNodeId: 'u1', name: '区教育局', kind: 'UNIT', parentId: 'c1' });
    await send('/org-nodes', { orgNodeId: 'u1a', name: '办公室', kind: 'INTERNAL_BODY', parentId: 'u1' });
    await send('/org-nodes', { orgNodeId: 'u2', name: '区卫健委', kind: 'UNIT', parentId: 'c1' });
    await register('pA', '甲', 'u1', EST);
    await register('pB', '乙', 'u1a', { type: 'CONTRACTED' });
    await register('pC', '丙', 'u2', EST);
    await register('pD', '丁', 'u2', { type: 'EXTERNAL_TEMPORARY' });
    await register('pE', '戊', 'u2', EST);
    for (const p of ['A', 'C', 'E'])
      await send('/accounts', {
        accountId: `acc-${p}`,
        type: 'USER',
        personId: `p${p}`,
        loginName: `user.${p.toLowerCase()}`,
      });
    await send('/accounts', { accountId: 'acc-TA', type: 'TIERED_ADMIN', personId: 'pA', loginName: 'edu.admin' });
    // Responsible people (003:13): u1 has A as leader in charge and system admin; u2 only E as system admin.
    await send('/org-nodes/u1/responsibilities', { role: 'LEADER_IN_CHARGE', personId: 'pA' });
    await send('/org-nodes/u1/responsibilities', { role: 'SYSTEM_ADMIN', personId: 'pA' });
    await send('/org-nodes/u2/responsibilities', { role: 'SYSTEM_ADMIN', personId: 'pE' });

    // Sign-ins (the first one activates): A on Mon Mar 3 twice, Tue Mar 4, Sat Dec 6; C on Mar 3 and Mon Dec 1; E on Tue May 6.
    await signIn('s1', 'acc-A', '2025-03-03T08:30:00');
    await signIn('s2', 'acc-A', '2025-03-03T14:00:00');
    await signIn('s3', 'acc-C', '2025-03-03T09:00:00');
    await signIn('s4', 'acc-A', '2025-03-04T09:00:00');
    at('2025-03-03T10:00:00');
    await send('/work-groups', {
      groupId: 'g1',
      name: '教育局工作群',
      kind: 'UNIT',
      owningOrgNodeId: 'u1',
      ownerId: 'pA',
      adminIds: ['pB'],
      memberIds: ['pB'],
    });
    await send('/work-groups', {
      groupId: 'g2',
      name: '卫健委工作群',
      kind: 'UNIT',
      owningOrgNodeId: 'u2',
      ownerId: 'pC',
      adminIds: ['pE'],
      memberIds: ['pE'],
    });
    at('2025-03-10T10:00:00');
    await send('/accounts', { accountId: 'acc-B', type: 'USER', personId: 'pB', loginName: 'user.b' });
    await signIn('s5', 'acc-E', '2025-05-06T09:00:00');

    // app3 (u2): requested Tue Jun 3, approved Thu Jun 5 (due Jun 12: on time), launched, deregistered Nov 10.
    at('2025-06-03T10:00:00');
    await send('/apps', {
      appId: 'app3',
      name: '健康档案',
      owningOrgNodeId: 'u2',
      contact: { name: '王五', phone: '021-59700000' },
      techLead: { name: '赵六', phone: '13800000000' },
      accessModes: ['SSO'],
      userIntegration: true,
      expectedDate: '2025-07-01',
      securityAuditReportRef: '测评〔2025〕1号',
      cryptoAssessmentReportRef: '密评〔2025〕1号',
    });
    at('2025-06-05T10:00:00');
    await send('/apps/app3/approve', {});
    for (const result of passedReports('测评〔2025〕1号', '密评〔2025〕1号'))
      await send('/apps/app3/report-results', result);
    await send('/apps/app3/launch', {
      shortName: '健康',
      fullName: '健康档案系统',
      iconUrl: 'https://h.example.gov.cn/i.png',
      url: 'https://h.example.gov.cn/',
    });
    at('2025-06-10T10:00:00');
    await send('/accounts', { accountId: 'acc-D', type: 'USER', personId: 'pD', loginName: 'user.d' });

    // app1 (u1): requested Wed Sep 24; 7 working days: Sep 25, 26, Sun 28 (worked), 29, 30, Oct 9, 10 → due Oct 10.
    at('2025-09-24T10:00:00');
    await send('/apps', {
      appId: 'app1',
      name: '教育办公',
      owningOrgNodeId: 'u1',
      contact: { name: '王五', phone: '021-59700000' },
      techLead: { name: '赵六', phone: '13800000000' },
      accessModes: ['SSO'],
      userIntegration: true,
      expectedDate: '2025-11-01',
      securityAuditReportRef: '测评〔2025〕2号',
      cryptoAssessmentReportRef: '密评〔2025〕2号',
    });

    // Thu Oct 9: A's post change effective Tue Sep 30 → lag 1 (Oct 1–8 off, Oct 9); C's effective Fri Sep 26 → Sun Sep 28, 29, 30, Oct 9 = 4: late.
    at('2025-10-09T10:00:00');
    await send('/persons/pA/post', {
      orgNodeId: 'u1',
      title: '副局长',
      effectiveAt: '2025-09-30',
      sourceRef: '青教〔2025〕9号',
    });
    await send('/persons/pC/post', {
      orgNodeId: 'u2',
      title: '科长',
      effectiveAt: '2025-09-26',
      sourceRef: '青卫〔2025〕7号',
    });
    // Mon Oct 13: D's effective Fri Oct 10 → Sat Oct 11 (worked), Mon 13 = 2. app1 approved 3 days after its due date, launched the next day.
    at('2025-10-13T10:00:00');
    await send('/persons/pD/post', { orgNodeId: 'u2', title: '协管员', effectiveAt: '2025-10-10' });
    await send('/apps/app1/approve', {});
    at('2025-10-14T10:00:00');
    for (const result of passedReports('测评〔2025〕2号', '密评〔2025〕2号'))
      await send('/apps/app1/report-results', result);
    await send('/apps/app1/launch', {
      shortName: '教育',
      fullName: '教育办公系统',
      iconUrl: 'https://e.example.gov.cn/i.png',
      url: 'https://e.example.gov.cn/',
    });
    // A temporary account for app1's vendor, expiring Nov 30.
    at('2025-10-20T10:00:00');
    await send('/accounts', {
      accountId: 'acc-T',
      type: 'TEMPORARY',
      loginName: 'vendor.edu',
      appId: 'app1',
      expiresAt: CST('2025-11-30T18:00:00').toISOString(),
    });
    at('2025-11-01T10:00:00');
    await send(
      '/ingest/password-changes',
      { signals: [{ signalId: 'pw1', accountId: 'acc-TA', at: CST('2025-11-01T10:00:00').toISOString() }] },
      gateway,
    );
    at('2025-11-10T10:00:00');
    await send('/apps/app3/deregister', { backup: { kind: 'MIGRATED', ref: '迁移确认〔2025〕8号' } });
    // g1's last activity: Thu Nov 20.
    at('2025-11-20T15:00:00');
    await send(
      '/ingest/group-activity',
      { signals: [{ signalId: 'ga1', groupId: 'g1', at: CST('2025-11-20T15:00:00').toISOString() }] },
      gateway,
    );
    // g3 (u2, a cross-unit duty group: no admin besides the owner is required): owned and run by E alone besides C.
    at('2025-12-01T10:00:00');
    await send('/work-groups', {
      groupId: 'g3',
      name: '卫健委值班群',
      kind: 'CROSS_UNIT',
      owningOrgNodeId: 'u2',
      ownerId: 'pE',
      memberIds: ['pC'],
    });
    await signIn('s6', 'acc-C', '2025-12-01T11:00:00');
    await signIn('s7', 'acc-A', '2025-12-06T10:00:00');
    at('2025-12-15T10:00:00');
    await send('/apps/app1/offline', { offlineReason: '安全整改' });
    at('2025-12-20T10:00:00');
    await send(
      '/ingest/group-activity',
      { signals: [{ signalId: 'ga2', groupId: 'g2', at: CST('2025-12-20T10:00:00').toISOString() }] },
      gateway,
    );
    // app2 (u2): requested Mon Dec 22, due Dec 31 (Dec 23–26, 29–31): not yet late on Dec 31.
    at('2025-12-22T10:00:00');
    await send('/apps', {
      appId: 'app2',
      name: '卫健统计',
      owningOrgNodeId: 'u2',
      contact: { name: '王五', phone: '021-59700000' },
      techLead: { name: '赵六', phone: '13800000000' },
      accessModes: ['SSO'],
      userIntegration: false,
      expectedDate: '2026-03-01',
      securityAuditReportRef: '测评〔2025〕3号',
    });
    at('2025-12-28T10:00:00');
    await send(
      '/ingest/group-activity',
      { signals: [{ signalId: 'ga3', groupId: 'g3', at: CST('2025-12-28T10:00:00').toISOString() }] },
      gateway,
    );
    // Tue Dec 30: E's departure effective Mon Dec 29 (lag 1), policies off so the account stays open; E removed from g3 as a departed
    // owner (g3 left without an admin) but not from g2 (g2 holds a departed member).
    at('2025-12-30T10:00:00');
    await send('/persons/pE/departure', { departureReason: 'RESIGNED', effectiveAt: '2025-12-29' });
    await send('/work-groups/g3/members/remove', { personIds: ['pE'], removalReason: 'PERSON_LEFT' });

    // After the close: B leaves, effective Dec 30, recorded Jan 5 2026 — a 2026 change, not a 2025 one.
    at('2026-01-05T10:00:00');
    await send('/persons/pB/departure', { departureReason: 'CONTRACT_ENDED', effectiveAt: '2025-12-30' });
    await settled();
    report = (await get('/assessment/reports/2025').expect(200)).body;
  }, 120_000);
  afterAll(() => t.close());

  it('counts on-post staff, registration and activation per unit, rolled up the tree', () => {
    // The rates are over on-post 在编 staff (000:9); the others are counted beside them (issue 19).
    // u1a: B (contracted, account opened Mar 10, never signed in): no 在编 staff, no rate.
    expect(unit('u1a').figures).toMatchObject({
      onPost: 1,
      registered: 1,
      activated: 0,
      onEstablishment: 0,
      activationRate: null,
    });
    // u1 itself: A (在编, activated Mar 3): 1 of 1 在编 activated, though 1 of the 2 on post.
    expect(unit('u1').figures).toMatchObject({
      onPost: 2,
      byEmployment: { ON_ESTABLISHMENT: 1, CONTRACTED: 1 },
      registered: 2,
      activated: 1,
      onEstablishment: 1,
      establishmentActivated: 1,
      activationRate: 1,
    });
    // u2: C (在编, activated Mar 3), D (external temporary, account, never signed in); E left Dec 29 (recorded Dec 30): not on post.
    expect(unit('u2').figures).toMatchObject({
      onPost: 2,
      byEmployment: { ON_ESTABLISHMENT: 1, EXTERNAL_TEMPORARY: 1 },
      registered: 2,
      activated: 1,
      onEstablishment: 1,
      activationRate: 1,
    });
    // The root adds the bootstrapped admin (在编, an admin account, no USER account): 5 on post, 4 registered,
    // 2 activated; 在编: the admin, A, C — A and C activated: 2/3.
    expect(unit('root').figures).toMatchObject({
      onPost: 5,
      registered: 4,
      activated: 2,
      onEstablishment: 3,
      establishmentActivated: 2,
      activationRate: 0.6667,
    });
    expect(unit('c1').figures.onPost).toBe(4);
  });

  it('measures timeliness against 3 working days across the National Day holiday and its worked weekend days', () => {
    // u1: A and B registered (lag 0, 0), A's post change (lag 1): 3 on time; median 0, max 1.
    expect(unit('u1').figures).toMatchObject({
      changes: 3,
      onTime: 3,
      onTimeRate: 1,
      medianLag: 0,
      maxLag: 1,
      lagHistogram: { 0: 2, 1: 1 },
    });
    // u2: C, D, E registered (0, 0, 0), C's change (4, late), D's (2), E's departure (1): 5 of 6; lags sorted 0 0 0 1 2 4 → median 0, max 4.
    expect(unit('u2').figures).toMatchObject({
      changes: 6,
      onTime: 5,
      onTimeRate: 0.8333,
      medianLag: 0,
      maxLag: 4,
      lagHistogram: { 0: 3, 1: 1, 2: 1, 4: 1 },
    });
    // The one late change, with who recorded it; B's departure recorded in 2026 is not in 2025.
    expect(report.lateChanges).toEqual([
      expect.objectContaining({
        type: 'PersonPostChanged',
        personId: 'pC',
        personName: '丙',
        unitId: 'u2',
        effectiveOn: '2025-09-26',
        recordedOn: '2025-10-09',
        lagWorkingDays: 4,
        actorAccountId: 'acc-admin',
        actorRole: 'SYSTEM_ADMIN',
        sourceRef: '青卫〔2025〕7号',
      }),
    ]);
    expect(report.lateChanges.some((c) => c.personId === 'pB' && c.type === 'PersonLeft')).toBe(false);
    expect(report.timeliness.histogram.find((h) => h.lag === 4)).toEqual({ lag: 4, changes: 1 });
  });

  it('finds the departed person’s open account, the expired temporary account and the admin password past rotation', () => {
    // E's account: open at the close, E left Mon Dec 29 → Dec 30, 31: 2 working days.
    expect(unit('u2').figures.departedOpenAccounts).toBe(1);
    // acc-T expired Nov 30 and was never closed (u1, the app's unit); acc-TA changed its password Nov 1 (60 days: fine).
    expect(unit('u1').figures).toMatchObject({
      expiredTemporaryAccounts: 1,
      staleAdminPasswords: 0,
      departedOpenAccounts: 0,
    });
    // acc-admin was opened Jan 2 and never changed its password.
    expect(unit('root').figures.staleAdminPasswords).toBe(1);
  });

  it('lists the persons, accounts, groups and apps behind each figure', async () => {
    expect((await listing('u2', 'departedOpenAccounts')).items).toEqual([
      expect.objectContaining({ id: 'acc-E', personId: 'pE', leftOn: '2025-12-29', workingDaysOpen: 2, unitId: 'u2' }),
    ]);
    expect((await listing('u1', 'notActivated')).items.map((i: { id: string }) => i.id)).toEqual(['pB']);
    expect((await listing('root', 'activated')).items.map((i: { id: string }) => i.id)).toEqual(['pA', 'pC']);
    expect((await listing('u1', 'expiredTemporaryAccounts')).items).toEqual([
      expect.objectContaining({ id: 'acc-T', unitId: 'u1' }),
    ]);
    expect((await listing('root', 'staleAdminPasswords')).items.map((i: { id: string }) => i.id)).toEqual([
      'acc-admin',
    ]);
    expect((await listing('root', 'lateChanges')).items.map((i: { personId: string }) => i.personId)).toEqual(['pC']);
    expect((await listing('u2', 'groupsWithoutAdmin')).items.map((i: { id: string }) => i.id)).toEqual(['g3']);
    expect(
      (await listing('u1', 'dailyActivity')).items.map((i: { day: string; accounts: number }) => [i.day, i.accounts]),
    ).toEqual([
      ['2025-03-03', 1],
      ['2025-03-04', 1],
    ]);
    // Every source link in the report answers.
    for (const source of Object.values(unit('u2').sources)) await get(source).expect(200);
    await get('/assessment/2025/units/u2/bogus').expect(400);
    await get('/assessment/2025/units/nowhere/onPost').expect(404);
    await get('/assessment/2025-13/units/u2/onPost').expect(400);
  });

  it('reports units without a leader in charge or an admin, and responsibilities not handed over', async () => {
    // u1: A leads and administers it. u2: no leader in charge; E, its admin, left on Dec 29 and still holds the role
    // at the close → one open handover. c1 and root roll both units up; root itself is no unit and is not counted.
    expect(unit('u1').figures).toMatchObject({ unitsWithoutLeaderInCharge: 0, unitsWithoutAdmin: 0, openHandovers: 0 });
    expect(unit('u2').figures).toMatchObject({ unitsWithoutLeaderInCharge: 1, unitsWithoutAdmin: 0, openHandovers: 1 });
    expect(unit('root').figures).toMatchObject({
      unitsWithoutLeaderInCharge: 1,
      unitsWithoutAdmin: 0,
      openHandovers: 1,
    });
    expect((await listing('root', 'unitsWithoutLeaderInCharge')).items.map((i: { id: string }) => i.id)).toEqual([
      'u2',
    ]);
    expect((await listing('u2', 'openHandovers')).items).toEqual([
      expect.objectContaining({ unitId: 'u2', role: 'SYSTEM_ADMIN', personId: 'pE', because: 'LEFT' }),
    ]);
    // g3 lost its owner with E (002:五.7): reported until someone takes it over.
    expect(unit('u2').figures.groupsWithoutOwner).toBe(1);
    expect((await listing('u2', 'groupsWithoutOwner')).items.map((i: { id: string }) => i.id)).toEqual(['g3']);
  });

  it('checks work groups: without an admin, stale across the period boundary, holding departed members', async () => {
    // g1 (u1): last active Nov 20, 41 days before the close of 2025 → stale; g2 (u2): active Dec 20, holds E (left);
    // g3 (u2): E removed as departed owner → no admin; active Dec 28.
    expect(unit('u1').figures).toMatchObject({
      groups: 1,
      staleGroups: 1,
      groupsWithoutAdmin: 0,
      groupsWithDepartedMembers: 0,
      problemGroups: 1,
    });
    expect(unit('u2').figures).toMatchObject({
      groups: 2,
      staleGroups: 0,
      groupsWithoutAdmin: 1,
      groupsWithDepartedMembers: 1,
      problemGroups: 2,
    });
    // November closes 11 days after g1's activity: not stale then; g2 (no activity since Mar 3) was; g3 did not exist.
    const november: AssessmentReport = (await get('/assessment/reports/2025-11').expect(200)).body;
    const nov = (id: string) => november.units.find((u) => u.nodeId === id)!.figures;
    expect(nov('u1')).toMatchObject({ groups: 1, staleGroups: 0 });
    expect(nov('u2')).toMatchObject({ groups: 1, staleGroups: 1, groupsWithoutAdmin: 0, groupsWithDepartedMembers: 0 });
    // In October g1 had never been active since its creation on Mar 3: stale.
    const october: AssessmentReport = (await get('/assessment/reports/2025-10').expect(200)).body;
    expect(october.units.find((u) => u.nodeId === 'u1')!.figures.staleGroups).toBe(1);
  });

  it('checks app reviews, offline apps and deregistrations', () => {
    // app1: due Oct 10, approved Mon Oct 13 → late; offline since Dec 15. app2: due Dec 31, not late on Dec 31. app3: deregistered.
    // The late review is the reviewer's (001a:14): booked to the admin's unit, the root, not to u1 that applied (issue 19).
    expect(unit('u1').figures).toMatchObject({ apps: 1, lateReviews: 0, offlineApps: 1, deregisteredApps: 0 });
    expect(unit('c1').figures.lateReviews).toBe(0);
    expect(unit('root').figures.lateReviews).toBe(1);
    expect(unit('u2').figures).toMatchObject({ apps: 1, lateReviews: 0, offlineApps: 0, deregisteredApps: 1 });
  });

  it('averages sign-in activity over working days and months', () => {
    // 2025 has 248 working days: 261 weekdays − 18 holiday weekdays + 5 worked weekend days.
    expect(report.settings.workingDays).toBe(248);
    // u1: A on Mar 3 (twice: once), Mar 4, Sat Dec 6 (not a working day) → 2 working-day actives; months Mar, Dec → 2.
    expect(unit('u1').figures).toMatchObject({
      dailyActiveSum: 2,
      monthlyActiveSum: 2,
      averageDailyActive: 0.01,
      dailyActiveRate: 0.004,
      monthlyActiveRate: 0.0833,
    });
    // u2: C Mar 3, Dec 1; E Tue May 6 → 3 and 3.
    expect(unit('u2').figures).toMatchObject({
      dailyActiveSum: 3,
      monthlyActiveSum: 3,
      dailyActiveRate: 0.006,
      monthlyActiveRate: 0.125,
    });
  });

  it('scores and ranks the units with the default weights', () => {
    // u1: activation 1×30 + timeliness 1×25 + monthly .0833×15 + daily .004×10 + groups 0×10 + accounts (1 − 1/2)×5 + apps 0×5 = 58.7895
    // u2: 1×30 + .8333×25 + .125×15 + .006×10 + (1 − 2/2)×10 + (1 − 1/2)×5 + (1 − 0/1)×5 = 60.2675
    expect(report.ranking).toEqual([
      {
        rank: 1,
        nodeId: 'u2',
        name: '区卫健委',
        score: 60.27,
        components: {
          activation: 1,
          timeliness: 0.8333,
          monthlyActive: 0.125,
          dailyActive: 0.006,
          groups: 0,
          accounts: 0.5,
          apps: 1,
        },
      },
      {
        rank: 2,
        nodeId: 'u1',
        name: '区教育局',
        score: 58.79,
        components: {
          activation: 1,
          timeliness: 1,
          monthlyActive: 0.0833,
          dailyActive: 0.004,
          groups: 0,
          accounts: 0.5,
          apps: 0,
        },
      },
    ]);
  });

  it('follows the month-by-month trend', () => {
    const month = (m: string) => report.trend.find((x) => x.month === m)!;
    // Jan: admin + 5 on post; A, C, E registered; nobody activated yet.
    expect(month('2025-01')).toMatchObject({ onPost: 6, registered: 3, activated: 0, monthlyActive: 0 });
    // Mar: B registered (4); A, C activated; A and C active.
    expect(month('2025-03')).toMatchObject({ onPost: 6, registered: 4, activated: 2, monthlyActive: 2 });
    // The month's rate is over 在编 staff: the admin, A, C, E on post; A and C activated in March, E in May; E gone in December.
    expect(
      [month('2025-01'), month('2025-03'), month('2025-06'), month('2025-12')].map((m) => m.activationRate),
    ).toEqual([0, 0.5, 0.75, 0.6667]);
    // Jun: D registered (5); E activated in May (3).
    expect(month('2025-06')).toMatchObject({ onPost: 6, registered: 5, activated: 3 });
    // Oct: 3 changes recorded (A 1, C 4, D 2), 2 on time.
    expect(month('2025-10')).toMatchObject({ changes: 3, onTimeRate: 0.6667 });
    // Dec: E left (5 on post, E's account no longer counts): 4 registered, 2 activated; A and C active.
    expect(month('2025-12')).toMatchObject({ onPost: 5, registered: 4, activated: 2, monthlyActive: 2, changes: 1 });
  });

  // Last: it appends to the history.
  it('gives the same report of 2025 in every format after more events, backdated ones included, are appended', async () => {
    const formats = async () => ({
      json: (await get('/assessment/reports/2025').expect(200)).body,
      csv: (await get('/assessment/reports/2025?format=csv').expect(200)).text,
      html: (await get('/assessment/reports/2025?format=html').expect(200)).text,
      xlsx: await sheetsOf(
        (await get('/assessment/reports/2025?format=xlsx').buffer(true).parse(binaryBody).expect(200)).body as Buffer,
      ),
    });
    const before = await formats();
    expect(before.json).toEqual(report);
    expect(Object.keys(before.xlsx)).toEqual([
      '排名',
      '在岗与激活',
      '更新及时性',
      '账号',
      '工作群',
      '单位职责',
      '应用',
      '登录活跃',
      '超期变更',
      '月度趋势',
      '指标说明',
    ]);
    expect(before.xlsx['超期变更'][1]).toEqual(
      expect.arrayContaining(['2025-10-09', '2025-09-26', 4, '职务变更', 'pC', '丙']),
    );
    // 记录时间 as a person in the jurisdiction reads it, on the 记录日期 beside it (issue 23).
    expect(before.xlsx['超期变更'][1][0]).toMatch(/^2025-10-09 \d{2}:\d{2}:\d{2}$/);

    at('2026-02-02T10:00:00');
    await register('pF', '己', 'u1', EST); // effective 2025-01-02, recorded 2026
    await send('/persons/pA/transfer', { to: { orgNodeId: 'u2', title: '科员' }, effectiveAt: '2025-11-03' });
    await send('/accounts/acc-E/close', { closeReason: 'PERSON_LEFT' });
    await send('/work-groups/g2/members/remove', { personIds: ['pE'], removalReason: 'PERSON_LEFT' });
    await send(
      '/ingest/group-activity',
      { signals: [{ signalId: 'ga4', groupId: 'g1', at: CST('2025-12-10T10:00:00').toISOString() }] },
      gateway,
    );
    await signIn('s8', 'acc-B', '2026-02-02T11:00:00');
    await settled();
    const after = await formats();
    expect(after.json).toEqual(before.json);
    expect(after.csv).toBe(before.csv);
    expect(after.html).toBe(before.html);
    expect(after.xlsx).toEqual(before.xlsx);
    // …while 2026 sees them.
    const y2026: AssessmentReport = (await get('/assessment/reports/2026').expect(200)).body;
    expect(y2026.units.find((u) => u.nodeId === 'u2')!.figures.onPost).toBe(3);
  });
});

async function sheetsOf(buffer: Buffer): Promise<Record<string, unknown[][]>> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  const out: Record<string, unknown[][]> = {};
  workbook.eachSheet((sheet) => {
    const rows: unknown[][] = [];
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    out[sheet.name] = rows;
  });
  return out;
}
