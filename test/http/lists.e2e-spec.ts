/**
 * The lists operators work from (issue 23), over HTTP: accounts, work groups, the app inventory,
 * tags and people by node — filters, sort, paging with a cursor that stays exact while accounts
 * keep being opened, the reader's scope (a tiered admin lists their subtree; a node outside it,
 * hidden or not, does not exist for them), and the CSV/XLSX exports read back, with instants in
 * the jurisdiction's zone.
 */
import ExcelJS from 'exceljs';
import request from 'supertest';
import type { CommandMetadata } from '../../src/application/commands/decider-command-runner';
import { localDateTime } from '../../src/application/calendar/working-days';
import { idNumberCheckCharacter } from '../../src/domain/person/identity';
import { APP_REQUEST_EXTRAS } from '../support/app-forms';
import { binaryBody } from '../support/read-models';
import { servicesOfApp } from '../support/services';
import { startTestApp, type TestApp } from '../support/test-app';

const META: CommandMetadata = {
  actor: { accountId: 'acc-admin', personId: 'p-admin', role: 'SYSTEM_ADMIN' },
  jurisdiction: 'qingpu',
};

describe('lists for administrators (issue 23)', () => {
  let app: TestApp;
  let tiered: Record<string, string>;
  let user: Record<string, string>;
  const get = (path: string, headers: Record<string, string>) =>
    request(app.app.getHttpServer())
      .get(path)
      .set({ ...headers, 'X-Consistent-With': position });
  let position = '';
  const settle = async () => (position = (await app.store.headPosition())!);

  /** Every item of a list, page by page. */
  async function allPages(path: string, headers: Record<string, string>, limit = 7) {
    const items: Array<Record<string, unknown>> = [];
    let cursor: string | null = null;
    do {
      const sep = path.includes('?') ? '&' : '?';
      const page: request.Response = await get(
        `${path}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
        headers,
      ).expect(200);
      items.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    return items;
  }

  /** Person n, with their primary post at `unitId`. */
  async function register(n: number, unitId: string) {
    const id17 = `31011819800101${String(2 * n + 1).padStart(3, '0')}`;
    const personId = `p-${String(n).padStart(2, '0')}`;
    await servicesOfApp(app.app).people.register(
      {
        personId,
        name: `人员${'甲乙丙丁戊己庚辛壬癸'[n % 10]}${'子丑寅'[Math.floor(n / 10)]}`,
        idNumber: id17 + idNumberCheckCharacter(id17),
        gender: '1',
        mobile: `1391234${String(n).padStart(4, '0')}`,
        officePhone: null,
        rank: null,
        politicalStatus: null,
        leadershipDuties: null,
        employment:
          n % 5 === 0
            ? { type: 'CONTRACTED', establishmentType: null }
            : { type: 'ON_ESTABLISHMENT', establishmentType: 'ADMINISTRATIVE' },
        primaryPost: { orgNodeId: unitId, title: '科员' },
        directoryClass: 'Q3',
      },
      META,
    );
    return personId;
  }

  beforeAll(async () => {
    app = await startTestApp();
    const { tree, people, accounts, groups, apps, directory } = servicesOfApp(app.app);
    for (const [orgNodeId, kind, parentId] of [
      ['gov', 'CATEGORY', 'root'],
      ['edu', 'UNIT', 'gov'],
      ['edu-office', 'INTERNAL_BODY', 'edu'],
      ['party', 'CATEGORY', 'root'],
      ['party-unit', 'UNIT', 'party'],
      ['secret', 'CATEGORY', 'gov'],
      ['secret-unit', 'UNIT', 'secret'],
    ] as const)
      await tree.execute(
        { type: 'CreateOrgNode', data: { orgNodeId, name: `节点${orgNodeId}`, kind, parentId } },
        META,
      );
    await tree.execute({ type: 'SetOrgNodeHidden', data: { orgNodeId: 'secret', hidden: true, visibleTo: [] } }, META);
    const units = ['edu', 'edu-office', 'edu-office', 'party-unit', 'secret-unit'];
    for (let n = 1; n <= 25; n++) {
      const personId = await register(n, units[n % units.length]);
      await accounts.open(
        { accountId: `acc-${n}`, type: 'USER', loginName: `user${String(n).padStart(2, '0')}`, personId },
        META,
      );
      if (n % 2 === 0) await accounts.execute({ type: 'ActivateAccount', data: { accountId: `acc-${n}` } }, META);
    }
    await accounts.open({ accountId: 'acc-tiered', type: 'TIERED_ADMIN', loginName: 'tiered', personId: 'p-01' }, META);
    await accounts.execute({ type: 'ActivateAccount', data: { accountId: 'acc-tiered' } }, META);
    await accounts.grantAdminScope({ accountId: 'acc-tiered', orgNodeId: 'edu' }, META);
    for (const unit of ['edu', 'party-unit', 'secret-unit']) {
      await apps.request(
        {
          appId: `app-${unit}`,
          name: `应用${unit}`,
          owningOrgNodeId: unit,
          contact: { name: '王五', phone: '1' },
          techLead: { name: '赵六', phone: '2' },
          accessModes: unit === 'edu' ? ['SSO', 'UNIFIED_TODO'] : ['SSO'],
          userIntegration: false,
          expectedDate: '2025-06-01',
          securityAuditReportRef: 'S',
          cryptoAssessmentReportRef: 'C',
          ...APP_REQUEST_EXTRAS,
          description: null,
        },
        META,
      );
      await directory.tag(
        { type: 'CreateTag', data: { tagId: `tag-${unit}`, name: `标签${unit}`, ownerOrgNodeId: unit } },
        META,
      );
    }
    await apps.execute({ type: 'ApproveAppAccess', data: { appId: 'app-edu' } }, META);
    await directory
      .tag({ type: 'SetTagSharedOrgs', data: { tagId: 'tag-edu', orgNodeIds: ['party'] } }, META)
      .catch(() => undefined);
    // p-05 (edu) owns a group with p-10 and p-15, all of edu or its office; p-15 then leaves (policies are off: the group keeps them).
    await groups.create(
      {
        groupId: 'g-edu',
        name: '教育群',
        kind: 'CROSS_UNIT',
        owningOrgNodeId: 'edu',
        ownerId: 'p-05',
        memberIds: ['p-10', 'p-15'],
      },
      META,
    );
    await groups.assignAdmin({ groupId: 'g-edu', personId: 'p-10' }, META);
    await groups.create(
      {
        groupId: 'g-party',
        name: '党建群',
        kind: 'CROSS_UNIT',
        owningOrgNodeId: 'party-unit',
        ownerId: 'p-03',
        memberIds: ['p-08'],
      },
      META,
    );
    await people.recordDeparture({ personId: 'p-08', reason: 'RESIGNED' }, META);
    tiered = await app.bearer('acc-tiered');
    user = await app.bearer('acc-2');
    await settle();
  });
  afterAll(() => app.close());

  it('lists every account to a system admin, page by page in login-name order, with no gap and no repeat', async () => {
    const items = await allPages('/lists/accounts', app.admin);
    const names = items.map((a) => a.loginName as string);
    expect(names).toEqual([...names].sort());
    expect(new Set(items.map((a) => a.accountId)).size).toBe(items.length);
    expect(items).toHaveLength(27); // 25 users, the tiered admin and the bootstrapped admin
    expect(items[0]).not.toHaveProperty('state');
    const desc = await allPages('/lists/accounts?sort=loginName&order=desc', app.admin, 10);
    expect(desc.map((a) => a.loginName)).toEqual([...names].reverse());
  });

  it('keeps a cursor exact while accounts are opened between two pages', async () => {
    const first = await get('/lists/accounts?limit=10', app.admin).expect(200);
    const { accounts } = servicesOfApp(app.app);
    // One sorts before the cursor (already passed), one after (still to come).
    const early = await register(30, 'edu');
    const late = await register(31, 'edu');
    await accounts.open({ accountId: 'acc-aaa', type: 'USER', loginName: 'aaa-early', personId: early }, META);
    await accounts.open({ accountId: 'acc-zzz', type: 'USER', loginName: 'zzz-late', personId: late }, META);
    await settle();
    const rest: Array<Record<string, unknown>> = [];
    let cursor = first.body.nextCursor as string | null;
    while (cursor) {
      const page = await get(`/lists/accounts?limit=10&cursor=${cursor}`, app.admin).expect(200);
      rest.push(...page.body.items);
      cursor = page.body.nextCursor;
    }
    const seen = [...first.body.items, ...rest].map((a) => a.loginName);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toContain('zzz-late');
    expect(seen).not.toContain('aaa-early');
    expect((await get('/lists/accounts?cursor=garbage', app.admin).expect(400)).body.code).toBe('INVALID_CURSOR');
    // A cursor of one sort order is not taken for another.
    const bad = await get(`/lists/accounts?sort=lastSignInAt&cursor=${first.body.nextCursor}`, app.admin).expect(400);
    expect(bad.body.code).toBe('INVALID_CURSOR');
  });

  it('filters accounts by type, status, unit and subtree, and password age', async () => {
    const types = await allPages('/lists/accounts?type=TIERED_ADMIN,SYSTEM_ADMIN', app.admin);
    expect(types.map((a) => a.accountId).sort()).toEqual(['acc-admin', 'acc-tiered']);
    const pending = await allPages('/lists/accounts?status=PENDING_ACTIVATION&unitId=party-unit', app.admin);
    expect(pending.every((a) => a.status === 'PENDING_ACTIVATION' && a.unitId === 'party-unit')).toBe(true);
    expect(pending.length).toBeGreaterThan(0);
    const office = await allPages('/lists/accounts?unitId=edu', app.admin);
    const subtree = await allPages('/lists/accounts?unitId=edu&subtree=true', app.admin);
    expect(office.every((a) => a.unitId === 'edu')).toBe(true);
    expect(new Set(subtree.map((a) => a.unitId))).toEqual(new Set(['edu', 'edu-office']));
    // No password ever changed: every account's password is "older" than any age; read in that order, page by page.
    const old = await allPages('/lists/accounts?passwordOlderThanDays=30', app.admin, 4);
    expect(old.length).toBe((await allPages('/lists/accounts', app.admin)).length);
    expect(new Set(old.map((a) => a.accountId)).size).toBe(old.length);
    // No account expires: an absent expiry is not "before" any date.
    expect(await allPages('/lists/accounts?expiresBefore=2099-01-01', app.admin)).toEqual([]);
    const unknown = await get('/lists/accounts?colour=red', app.admin).expect(400);
    expect(unknown.body.code).toBe('INVALID_LIST_QUERY');
  });

  it('shows a tiered admin their subtree only; a node outside it, hidden or not, does not exist for them', async () => {
    const mine = await allPages('/lists/accounts', tiered);
    expect(new Set(mine.map((a) => a.unitId))).toEqual(new Set(['edu', 'edu-office']));
    for (const unitId of ['party-unit', 'secret-unit', 'no-such-node'])
      expect((await get(`/lists/accounts?unitId=${unitId}`, tiered).expect(404)).body.code).toBe('UNIT_NOT_FOUND');
    const apps = await allPages('/lists/apps', tiered);
    expect(apps.map((a) => a.appId)).toEqual(['app-edu']);
    const people = await allPages('/lists/people', tiered);
    expect(people.every((p) => (p.postNodeIds as string[]).some((id) => id === 'edu' || id === 'edu-office'))).toBe(
      true,
    );
    // The system admin sees the hidden unit's people.
    expect((await allPages('/lists/people?unitId=secret-unit', app.admin)).length).toBeGreaterThan(0);
    for (const list of ['accounts', 'work-groups', 'apps', 'tags', 'people'])
      expect((await get(`/lists/${list}`, user).expect(403)).body.code).toBe('LIST_FOR_ADMINISTRATORS');
  });

  it('flags work groups without an admin and holding departed members, and sorts them by size', async () => {
    const groups = await allPages('/lists/work-groups?sort=memberCount&order=desc', app.admin);
    expect(groups.map((g) => g.groupId)).toEqual(['g-edu', 'g-party']);
    expect(groups[0]).toMatchObject({ memberCount: 3, withoutAdmin: false, holdsDeparted: false });
    expect(groups[1]).toMatchObject({ withoutAdmin: true, holdsDeparted: true, departedMemberIds: ['p-08'] });
    expect((await allPages('/lists/work-groups?holdsDeparted=true', app.admin)).map((g) => g.groupId)).toEqual([
      'g-party',
    ]);
    expect((await allPages('/lists/work-groups?withoutAdmin=false', app.admin)).map((g) => g.groupId)).toEqual([
      'g-edu',
    ]);
    // Never active: stale by any measure.
    expect((await allPages('/lists/work-groups?staleDays=90', app.admin)).length).toBe(2);
  });

  it('keeps the app inventory (清单) with status, access modes and review dates; tags with their members', async () => {
    const apps = await allPages('/lists/apps', app.admin);
    expect(apps.map((a) => [a.appId, a.status])).toEqual([
      ['app-edu', 'APPROVED'],
      ['app-party-unit', 'REQUESTED'],
      ['app-secret-unit', 'REQUESTED'],
    ]);
    expect(apps[0].decidedAt).toEqual(expect.any(String));
    expect((await allPages('/lists/apps?accessMode=UNIFIED_TODO', app.admin)).map((a) => a.appId)).toEqual(['app-edu']);
    expect((await allPages('/lists/apps?status=REQUESTED', app.admin)).length).toBe(2);
    const tags = await allPages('/lists/tags', app.admin);
    expect(tags.map((t) => t.tagId)).toEqual(['tag-edu', 'tag-party-unit', 'tag-secret-unit']);
    expect((await allPages('/lists/tags?sharedWith=party', app.admin)).map((t) => t.tagId)).toEqual(['tag-edu']);
  });

  it('exports a list to CSV and XLSX, every row, instants as the jurisdiction reads them', async () => {
    const apps = await allPages('/lists/apps', app.admin);
    const decided = localDateTime(new Date(apps[0].decidedAt as string), 'Asia/Shanghai');
    const csv = await get('/lists/apps?format=csv', app.admin).expect(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0].split(',')).toContain('审核决定时间');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain(decided);
    expect(csv.text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    const xlsx = await get('/lists/accounts?format=xlsx&unitId=edu&subtree=true', app.admin)
      .buffer(true)
      .parse(binaryBody)
      .expect(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('账号清单')!;
    const subtree = await allPages('/lists/accounts?unitId=edu&subtree=true', app.admin);
    expect(sheet.rowCount).toBe(subtree.length + 1);
    expect(sheet.getRow(1).getCell(1).value).toBe('账号');
    expect(sheet.getRow(2).getCell(1).value).toBe(subtree[0].accountId);
  });
});
