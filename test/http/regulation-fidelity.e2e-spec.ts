/**
 * Rules as the regulations write them (issue 19), each tried over HTTP as the probe found it:
 * 1. a person registered without a directory class is not placed among the leaders (Q1, 001b:10);
 * 2. a unit's members are listed by the order of their posts (分级排序 001b:8, 000:7), then by name;
 * 9. a hidden person has an allow-list, as a hidden node has (001b:9): their colleagues still find them;
 * Build: a unit's responsible people, its head listed first;
 * 7. a unit group is owned by the unit's head, with an admin besides the owner;
 * 4. an HR change names the HR notice: its effective date and 文号;
 * 6. a sign-in made before a freeze and reported after it is recorded (000:17: checking for leaks);
 * 10. siblings have distinct short names and orders (000:7 规范化简称及顺序);
 * Build: a tag resolves to its current members for the apps it is shared with (001b:11);
 * 11. one person holds at most one user account and one admin account (一人一号, 000:6).
 */
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { idNumberCheckCharacter } from '../../src/domain/person/identity';
import { servicesOfApp } from '../support/services';
import { startTestApp, type TestApp } from '../support/test-app';
import { withHrNotice } from '../support/hr-notice';
import { APP_REQUEST_EXTRAS } from '../support/app-forms';

const idNumber = (n: number) => {
  const id17 = `31011819800101${String(2 * n + 1).padStart(3, '0')}`;
  return id17 + idNumberCheckCharacter(id17);
};
const registration = (n: number, personId: string, name: string, order: number) => ({
  personId,
  name,
  idNumber: idNumber(n),
  gender: '1',
  mobile: `1391000000${n}`,
  employment: { type: 'ON_ESTABLISHMENT', establishmentType: 'ADMINISTRATIVE' },
  primaryPost: { orgNodeId: 'edu', title: '科员', order },
});

describe('rules as the regulations write them (issue 19)', () => {
  let t: TestApp;
  let app: INestApplication;
  const post = (path: string, body: object) =>
    request(app.getHttpServer()).post(path).set(t.admin).send(withHrNotice(path, body));
  const get = async (path: string) =>
    request(app.getHttpServer())
      .get(path)
      .set({ ...t.admin, 'X-Consistent-With': String(await t.store.headPosition()) });

  beforeAll(async () => {
    t = await startTestApp();
    app = t.app;
    await post('/org-nodes', { orgNodeId: 'edu', name: '区教育局', kind: 'UNIT', parentId: 'root' }).expect(200);
    // Name order (乙 before 甲) and post order (甲 first) disagree.
    await post('/persons', registration(1, 'p-second', '李乙', 2)).expect(200);
    await post('/persons', registration(2, 'p-first', '李甲', 1)).expect(200);
  }, 60_000);
  afterAll(() => t.close());

  it('1. registers an unclassified person as Q4, not among the leaders', async () => {
    expect((await get('/persons/p-first')).body.directoryClass).toBe('Q4');
  });

  it('2. lists a unit’s members by post order, then by name', async () => {
    const list = (await get('/org-tree/edu/members')).body.persons as Array<{ personId: string }>;
    expect(list.map((m) => m.personId)).toEqual(['p-first', 'p-second']);
  });

  it('build: a unit’s head is listed first with the role; a role goes only to someone posted in the unit', async () => {
    const assign = (personId: string, role: string) => post('/org-nodes/edu/responsibilities', { role, personId });
    await assign('p-second', 'HEAD').expect(200);
    const list = (await get('/org-tree/edu/members')).body.persons as Array<{ personId: string; roles: string[] }>;
    expect(list.map((m) => [m.personId, m.roles])).toEqual([
      ['p-second', ['HEAD']],
      ['p-first', []],
    ]);
    const head = await t.store.headPosition();
    const outsider = await assign('p-admin', 'LEADER_IN_CHARGE').expect(409);
    expect(outsider.body.code).toBe('RESPONSIBLE_PERSON_NOT_IN_UNIT');
    expect(await t.store.headPosition()).toEqual(head);
  });

  it('7. a unit group is owned by the unit’s head and has an admin besides the owner (002:五.7)', async () => {
    const group = (ownerId: string, adminIds: string[]) => ({
      groupId: 'g-edu',
      name: '教育局工作群',
      kind: 'UNIT',
      owningOrgNodeId: 'edu',
      ownerId,
      adminIds,
    });
    const head = await t.store.headPosition();
    expect((await post('/work-groups', group('p-first', ['p-second'])).expect(409)).body.code).toBe(
      'OWNER_NOT_UNIT_HEAD',
    );
    expect((await post('/work-groups', group('p-second', [])).expect(422)).body.code).toBe('GROUP_ADMIN_REQUIRED');
    expect(await t.store.headPosition()).toEqual(head);
    await post('/work-groups', group('p-second', ['p-first'])).expect(200);
    const revoke = await post('/work-groups/g-edu/admins/p-first/revoke', {});
    expect([revoke.status, revoke.body.code]).toEqual([409, 'LAST_GROUP_ADMIN']);
  });

  it('4. refuses an HR change without the HR notice’s effective date and 文号, and writes nothing', async () => {
    const raw = (body: object) =>
      request(app.getHttpServer()).post('/persons/p-second/transfer').set(t.admin).send(body);
    const to = { to: { orgNodeId: 'root', title: '科员' } };
    const head = await t.store.headPosition();
    const neither = await raw(to).expect(422);
    expect(neither.body).toMatchObject({
      code: 'HR_NOTICE_REQUIRED',
      details: { missing: ['effectiveAt', 'sourceRef'] },
    });
    const noRef = await raw({ ...to, effectiveAt: '2025-03-03' }).expect(422);
    expect(noRef.body.details.missing).toEqual(['sourceRef']);
    expect(await t.store.headPosition()).toEqual(head);
    // A profile change is not an HR change: no notice needed.
    await request(app.getHttpServer())
      .post('/persons/p-second/profile')
      .set(t.admin)
      .send({ changes: { officePhone: '021-59700000' } })
      .expect(200);
  });

  it('6. records a sign-in made before the account was frozen and reported after; refuses one made after', async () => {
    await post('/accounts', {
      accountId: 'acc-second',
      type: 'USER',
      loginName: 'second.user',
      personId: 'p-second',
    }).expect(200);
    const madeBefore = new Date(Date.now() - 60_000).toISOString();
    await post('/accounts/acc-second/freeze', { freezeReason: 'DEVICE_LOST' }).expect(200);
    const gateway = await t.service('gateway');
    const ingest = (signalId: string, at: string) =>
      request(app.getHttpServer())
        .post('/ingest/sign-ins')
        .set(gateway)
        .send({ signals: [{ signalId, accountId: 'acc-second', at }] });
    expect((await ingest('s-before', madeBefore)).body).toMatchObject({ recorded: 1, rejected: 0 });
    const after = await ingest('s-after', new Date().toISOString());
    expect(after.body).toMatchObject({ recorded: 0, rejected: 1 });
  });

  it('9. a hidden person is still found by the people of the nodes on their allow-list, and by no one else', async () => {
    await post('/org-nodes', { orgNodeId: 'fin', name: '区财政局', kind: 'UNIT', parentId: 'root' }).expect(200);
    await post('/persons', registration(3, 'p-colleague', '王丙', 3)).expect(200);
    await post('/persons', {
      ...registration(4, 'p-outsider', '王丁', 1),
      primaryPost: { orgNodeId: 'fin', title: '科员' },
    }).expect(200);
    for (const [accountId, personId] of [
      ['acc-colleague', 'p-colleague'],
      ['acc-outsider', 'p-outsider'],
    ]) {
      await post('/accounts', { accountId, type: 'USER', loginName: accountId.replace('acc-', 'u.'), personId }).expect(
        200,
      );
      await post(`/accounts/${accountId}/activate`, {}).expect(200);
    }
    await post('/persons/p-first/contact-mode', {
      contactMode: { searchable: false, addable: false, visibleTo: ['edu'] },
    }).expect(200);
    const search = async (accountId: string) =>
      (
        await request(app.getHttpServer())
          .get(`/directory/search?q=${encodeURIComponent('李甲')}`)
          .set({ ...(await t.bearer(accountId)), 'X-Consistent-With': String(await t.store.headPosition()) })
      ).body as { persons: Array<{ personId: string }> };
    expect((await search('acc-colleague')).persons.map((p) => p.personId)).toContain('p-first');
    expect((await search('acc-outsider')).persons.map((p) => p.personId)).not.toContain('p-first');
  });

  it('10. refuses a sibling with a short name or an order another sibling has', async () => {
    await post('/org-nodes', {
      orgNodeId: 'sec',
      name: '区审计局',
      shortName: '审计',
      kind: 'UNIT',
      parentId: 'root',
      order: 40,
    }).expect(200);
    const sameShort = await post('/org-nodes', {
      orgNodeId: 'sec2',
      name: '区审计中心',
      shortName: '审计',
      kind: 'UNIT',
      parentId: 'root',
    });
    expect(sameShort.body.code).toBe('DUPLICATE_SIBLING_SHORT_NAME');
    const sameOrder = await post('/org-nodes', {
      orgNodeId: 'sec3',
      name: '区统计局',
      kind: 'UNIT',
      parentId: 'root',
      order: 40,
    });
    expect(sameOrder.body.code).toBe('DUPLICATE_SIBLING_ORDER');
  });

  it('10. refuses a short name longer than the rule allows, and reports the nodes that break the rule', async () => {
    const head = await t.store.headPosition();
    const long = await post('/org-nodes', {
      orgNodeId: 'stat',
      name: '区统计局',
      shortName: '青浦区统计局统计执法大队办公室',
      kind: 'UNIT',
      parentId: 'root',
    }).expect(422);
    expect(long.body).toMatchObject({ code: 'SHORT_NAME_TOO_LONG', details: { length: 15, max: 12 } });
    expect(await t.store.headPosition()).toEqual(head);
    const answer = await get('/org-tree/root/naming-report');
    expect(answer.status).toBe(200);
    const report = answer.body as {
      rule: { maxShortNameLength: number };
      nodes: Array<{ orgNodeId: string; problems: string[] }>;
    };
    expect(report.rule).toEqual({ maxShortNameLength: 12 });
    // root and 区教育局 were created without a short name; 区审计局 has one.
    const listed = Object.fromEntries(report.nodes.map((n) => [n.orgNodeId, n.problems]));
    expect(listed).toMatchObject({ root: ['SHORT_NAME_MISSING'], edu: ['SHORT_NAME_MISSING'] });
    expect(listed.sec).toBeUndefined();
  });

  it('a tag resolves to its current members for an app of a unit it is shared with, and for no other app', async () => {
    const meta = {
      actor: { accountId: 'acc-admin', personId: 'p-admin', role: 'SYSTEM_ADMIN' as const },
      jurisdiction: 'qingpu',
    };
    for (const [orgNodeId, name, kind, parentId] of [
      ['tagu', '区民政局', 'UNIT', 'root'],
      ['tagu-a', '社会救助科', 'INTERNAL_BODY', 'tagu'],
      ['appu', '区大数据中心', 'UNIT', 'root'],
    ])
      await post('/org-nodes', { orgNodeId, name, kind, parentId }).expect(200);
    await post('/persons', {
      ...registration(5, 'p-t1', '赵一', 1),
      primaryPost: { orgNodeId: 'tagu-a', title: '科员' },
    }).expect(200);
    await post('/persons', {
      ...registration(6, 'p-t2', '赵二', 2),
      primaryPost: { orgNodeId: 'tagu', title: '科员' },
    }).expect(200);
    await post('/tags', { tagId: 't-party', name: '党员', ownerOrgNodeId: 'tagu' }).expect(200);
    await post('/tags/t-party/members/add', { orgNodeIds: ['tagu'] }).expect(200);
    const { apps, accounts } = servicesOfApp(app);
    await apps.request(
      {
        appId: 'app-msg',
        name: '消息提醒',
        owningOrgNodeId: 'appu',
        contact: { name: '王五', phone: '1' },
        techLead: { name: '赵六', phone: '2' },
        accessModes: ['SSO'],
        userIntegration: false,
        expectedDate: '2025-06-01',
        securityAuditReportRef: 'S',
        cryptoAssessmentReportRef: 'C',
        ...APP_REQUEST_EXTRAS,
        description: null,
      },
      meta,
    );
    await apps.execute({ type: 'ApproveAppAccess', data: { appId: 'app-msg' } }, meta);
    const expiresAt = new Date(Date.now() + 7 * 86_400_000).toISOString();
    await accounts.open(
      { accountId: 'acc-msg', type: 'TEMPORARY', loginName: 'msg.vendor', appId: 'app-msg', expiresAt },
      meta,
    );
    await accounts.execute({ type: 'ActivateAccount', data: { accountId: 'acc-msg' } }, meta);
    const resolve = async () =>
      request(app.getHttpServer())
        .get('/tags/t-party/members')
        .set({ ...(await t.bearer('acc-msg')), 'X-Consistent-With': String(await t.store.headPosition()) });
    expect((await resolve()).status).toBe(404);
    await post('/tags/t-party/shared-orgs', { orgNodeIds: ['appu'] }).expect(200);
    const shared = await resolve();
    expect(shared.status).toBe(200);
    expect(shared.body.members.map((m: { personId: string }) => m.personId).sort()).toEqual(['p-t1', 'p-t2']);
    expect(JSON.stringify(shared.body)).not.toContain('13910000005');
    await post('/persons/p-t2/departure', { departureReason: 'RETIRED' }).expect(200);
    expect((await resolve()).body.members.map((m: { personId: string }) => m.personId)).toEqual(['p-t1']);
  });

  it('11. refuses a second admin account for one person, and allows one again once it is closed', async () => {
    const open = (accountId: string, loginName: string) =>
      post('/accounts', { accountId, type: 'TIERED_ADMIN', loginName, personId: 'p-first' });
    await open('acc-first-admin', 'first.admin').expect(200);
    const second = await open('acc-first-admin-2', 'first.admin2');
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('PERSON_ALREADY_HAS_ADMIN_ACCOUNT');
    await post('/accounts/acc-first-admin/close', { closeReason: 'NO_LONGER_NEEDED' }).expect(200);
    await open('acc-first-admin-3', 'first.admin3').expect(200);
  });
});
