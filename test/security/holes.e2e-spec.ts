/**
 * The holes found by probing the running service (issue 17), each reproduced as an outsider with an
 * ordinary account would, and refused now. Tree: root › gov › agencies › edu › edu-office and
 * root › party › party-org › party-unit › party-office; the tiered admin's scope is `agencies`.
 */
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { CommandMetadata } from '../../src/application/commands/decider-command-runner';
import { idNumberCheckCharacter } from '../../src/domain/person/identity';
import { servicesOfApp } from '../support/services';
import { startTestApp, type TestApp } from '../support/test-app';
import { withHrNotice } from '../support/hr-notice';

const ADMIN_META: CommandMetadata = {
  actor: { accountId: 'acc-admin', personId: 'p-admin', role: 'SYSTEM_ADMIN' },
  jurisdiction: 'qingpu',
};
const idNumber = (n: number) => {
  const id17 = `31011819800101${String(2 * n + 1).padStart(3, '0')}`;
  return id17 + idNumberCheckCharacter(id17);
};
const registration = (personId: string, n: number, orgNodeId: string) => ({
  personId,
  name: `人员${'甲乙丙丁戊己庚辛'[n % 8]}`,
  idNumber: idNumber(n),
  gender: '1',
  mobile: `1391000${String(n).padStart(4, '0')}`,
  employment: { type: 'ON_ESTABLISHMENT' as const, establishmentType: 'ADMINISTRATIVE' as const },
  primaryPost: { orgNodeId, title: '科员' },
});

describe('holes found by probing, closed', () => {
  let t: TestApp;
  let app: INestApplication;
  let tiered: Record<string, string>;
  let user: Record<string, string>;
  const post = (path: string, body: object, headers: Record<string, string>) =>
    request(app.getHttpServer()).post(path).set(headers).send(withHrNotice(path, body));

  /** A refused request writes nothing. */
  async function refused(send: () => request.Test, status: number, code: string) {
    const before = await t.store.headPosition();
    const response = await send().expect(status);
    expect(response.body.code).toBe(code);
    expect(await t.store.headPosition()).toBe(before);
    return response;
  }

  beforeAll(async () => {
    t = await startTestApp();
    app = t.app;
    const { tree, people, accounts } = servicesOfApp(app);
    for (const [orgNodeId, kind, parentId] of [
      ['gov', 'CATEGORY', 'root'],
      ['agencies', 'CATEGORY', 'gov'],
      ['edu', 'UNIT', 'agencies'],
      ['edu-office', 'INTERNAL_BODY', 'edu'],
      ['party', 'CATEGORY', 'root'],
      ['party-org', 'CATEGORY', 'party'],
      ['party-unit', 'UNIT', 'party-org'],
      ['party-office', 'INTERNAL_BODY', 'party-unit'],
    ] as const) {
      await tree.execute(
        { type: 'CreateOrgNode', data: { orgNodeId, name: `节点${orgNodeId}`, kind, parentId } },
        ADMIN_META,
      );
    }
    const profile = (n: number, orgNodeId: string, personId: string) => {
      const { primaryPost, employment, ...rest } = registration(personId, n, orgNodeId);
      return {
        ...rest,
        officePhone: null,
        rank: null,
        politicalStatus: null,
        leadershipDuties: null,
        primaryPost,
        employment,
      };
    };
    await people.register(profile(1, 'edu', 'p-tiered'), ADMIN_META);
    await people.register(profile(2, 'edu-office', 'p-staff'), ADMIN_META);
    await accounts.open(
      { accountId: 'acc-tiered', type: 'TIERED_ADMIN', loginName: 'tiered', personId: 'p-tiered' },
      ADMIN_META,
    );
    await accounts.grantAdminScope({ accountId: 'acc-tiered', orgNodeId: 'agencies' }, ADMIN_META);
    await accounts.execute({ type: 'ActivateAccount', data: { accountId: 'acc-tiered' } }, ADMIN_META);
    tiered = await t.bearer('acc-tiered');
    await people.register(profile(4, 'party-office', 'p-party'), ADMIN_META);
    await accounts.open({ accountId: 'acc-staff', type: 'USER', loginName: 'staff', personId: 'p-staff' }, ADMIN_META);
    await accounts.execute({ type: 'ActivateAccount', data: { accountId: 'acc-staff' } }, ADMIN_META);
    await accounts.open({ accountId: 'acc-party', type: 'USER', loginName: 'party', personId: 'p-party' }, ADMIN_META);
    await accounts.execute({ type: 'ActivateAccount', data: { accountId: 'acc-party' } }, ADMIN_META);
    user = await t.bearer('acc-staff');
  });
  afterAll(() => t.close());

  describe('7. post targets are checked like transfer targets', () => {
    it('refuses a secondment or a concurrent post into a node outside the admin scope', async () => {
      const outside = { orgNodeId: 'party-office', title: '借调' };
      await refused(
        () => post('/persons/p-staff/secondments', { post: outside, from: '2025-03-01', until: '2025-06-30' }, tiered),
        403,
        'OUTSIDE_ADMIN_SCOPE',
      );
      await refused(
        () => post('/persons/p-staff/concurrent-posts', { post: outside }, tiered),
        403,
        'OUTSIDE_ADMIN_SCOPE',
      );
    });

    it('still lets the admin post their people inside the scope', async () => {
      await post('/persons/p-staff/concurrent-posts', { post: { orgNodeId: 'edu', title: '兼任' } }, tiered).expect(
        200,
      );
    });
  });

  describe('6. a uniqueness refusal does not name the holder', () => {
    it('says the ID number is in use, without the person holding it', async () => {
      const response = await refused(
        () => post('/persons', registration('p-probe', 2, 'edu-office'), tiered),
        409,
        'ID_NUMBER_ALREADY_REGISTERED',
      );
      expect(JSON.stringify(response.body)).not.toContain('p-staff');
      expect(response.body.details ?? {}).not.toHaveProperty('holderId');
    });

    it('says the mobile is in use, without the person holding it', async () => {
      const body = { ...registration('p-probe', 3, 'edu-office'), mobile: registration('', 2, '').mobile };
      const response = await refused(() => post('/persons', body, tiered), 409, 'MOBILE_ALREADY_IN_USE');
      expect(JSON.stringify(response.body)).not.toContain('p-staff');
    });
  });
  describe('12. usage signals: the documented batch fits, the future is refused', () => {
    it('takes a batch of 1,000 signals (over the default 100 kB body limit) in one request', async () => {
      const gateway = await t.service('gateway');
      // The gateway resending one sign-in in a full batch: a body of about 200 kB, one signal recorded.
      const signalId = `gateway-event-${'0'.repeat(100)}`;
      const signal = { signalId, accountId: 'acc-tiered', at: '2025-03-03T00:00:00.000Z', client: 'mobile' };
      const signals = Array.from({ length: 1000 }, () => signal);
      expect(JSON.stringify({ signals }).length).toBeGreaterThan(150_000);
      const response = await post('/ingest/sign-ins', { signals }, gateway).expect(200);
      expect(response.body).toMatchObject({ recorded: 1, duplicates: 999, rejected: 0 });
    });

    it('refuses a sign-in from the future, and still records the genuine ones after it', async () => {
      const gateway = await t.service('gateway');
      const signals = [
        { signalId: 'future-1', accountId: 'acc-tiered', at: '2099-01-01T00:00:00Z' },
        { signalId: 'genuine-1', accountId: 'acc-tiered', at: '2025-03-05T00:00:00Z' },
      ];
      const response = await post('/ingest/sign-ins', { signals }, gateway).expect(200);
      expect(response.body.results).toEqual([
        expect.objectContaining({ signalId: 'future-1', outcome: 'REJECTED', code: 'SIGNAL_FROM_THE_FUTURE' }),
        { signalId: 'genuine-1', outcome: 'RECORDED' },
      ]);
    });
  });
  describe('14. headers, the health check and the AsyncAPI document', () => {
    it('sends security headers and no framework banner', async () => {
      const response = await request(app.getHttpServer()).get('/health').expect(200);
      expect(response.headers['x-powered-by']).toBeUndefined();
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['content-security-policy']).toContain("default-src 'none'");
      expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    });

    it('answers the health check without naming where the data lies', async () => {
      const response = await request(app.getHttpServer()).get('/health').expect(200);
      expect(JSON.stringify(response.body)).not.toContain(t.dataDir);
      expect(JSON.stringify(response.body)).not.toContain('.sqlite');
    });

    it('names the configured address in the AsyncAPI document, not the Host a client sends', async () => {
      const response = await request(app.getHttpServer()).get('/asyncapi').set('Host', 'evil.example').expect(200);
      expect(JSON.stringify(response.body)).not.toContain('evil.example');
    });
  });
  describe('9. an import is authorized before its upload is read', () => {
    it('refuses a non-admin before reading a single file, however large', async () => {
      const upload = Buffer.alloc(70 * 1024 * 1024, 0x41);
      const response = await request(app.getHttpServer())
        .post('/imports')
        .set(tiered)
        .attach('files', upload, 'people.csv');
      expect(response.status).toBe(403);
      expect(response.body.code).toBe('SYSTEM_ADMIN_ONLY');
    });
  });
  describe('1. records and the tree are read under the read policy', () => {
    const get = (path: string, headers: Record<string, string>) => request(app.getHttpServer()).get(path).set(headers);

    it('shows a person’s record to the person and their unit’s admins only; to others it does not exist', async () => {
      await get('/persons/p-staff', user).expect(200);
      await get('/persons/p-staff', tiered).expect(200);
      const other = await get('/persons/p-tiered', user).expect(404);
      expect(other.body.code).toBe('PERSON_NOT_FOUND');
      expect(JSON.stringify(other.body)).not.toContain('13910000001');
      await get('/persons/p-party', tiered).expect(404);
      await get('/persons/p-party', t.admin).expect(200);
    });

    it('shows an account to its holder and those who manage it only', async () => {
      await get('/accounts/acc-staff', user).expect(200);
      await get('/accounts/acc-staff', tiered).expect(200);
      await get('/accounts/acc-tiered', user).expect(404);
      await get('/accounts/acc-party', tiered).expect(404);
    });

    it('leaves a hidden unit and everything under it out of the tree for those kept out of it', async () => {
      await post('/org-nodes/party-unit/hidden', { hidden: true, visibleTo: ['p-admin'] }, t.admin).expect(200);
      const ids = (body: { nodes: Array<{ id: string; visibleTo: string[] }> }) => body.nodes.map((n) => n.id);
      const asUser = (await get('/org-tree', user).expect(200)).body;
      expect(ids(asUser)).not.toContain('party-unit');
      expect(ids(asUser)).not.toContain('party-office');
      expect(ids(asUser)).toContain('edu-office');
      expect(JSON.stringify(asUser)).not.toContain('p-admin');
      const asTiered = (await get('/org-tree', tiered).expect(200)).body;
      expect(ids(asTiered)).not.toContain('party-office');
      const insider = (await get('/org-tree', await t.bearer('acc-party')).expect(200)).body;
      expect(ids(insider)).toContain('party-office');
      const asAdmin = (await get('/org-tree', t.admin).expect(200)).body;
      expect(ids(asAdmin)).toContain('party-office');
      expect(asAdmin.nodes.find((n: { id: string }) => n.id === 'party-unit').visibleTo).toEqual(['p-admin']);
    });
  });
  describe('2. a tiered admin administers their scope only, and a hidden unit is not named or counted', () => {
    const get = (path: string, headers: Record<string, string>) => request(app.getHttpServer()).get(path).set(headers);
    /** The read models have caught up with everything written so far. */
    const caughtUp = async (headers: Record<string, string>) => ({
      ...headers,
      'X-Consistent-With': String(await t.store.headPosition()),
    });

    it('shows a tiered admin the people outside their scope only as their own person may see them', async () => {
      // A matrix under which no class sees another: only an administrator's view lists anyone.
      const none = { Q1: 'NONE', Q2: 'NONE', Q3: 'NONE', Q4: 'NONE' };
      const matrix = { Q1: none, Q2: none, Q3: none, Q4: none };
      await post('/directory-policy/matrix', { matrix }, t.admin).expect(200);
      // Empty, or no such node at all once the unit above it is hidden (the hole 1 case hides it).
      const outside = await get('/org-tree/party-office/members', await caughtUp(tiered));
      expect([200, 404]).toContain(outside.status);
      if (outside.status === 200) expect(outside.body.persons).toEqual([]);
      expect(JSON.stringify(outside.body)).not.toContain(registration('', 4, '').mobile);
      const inside = (await get('/org-tree/edu-office/members', await caughtUp(tiered)).expect(200)).body;
      expect(inside.persons.map((p: { personId: string }) => p.personId)).toContain('p-staff');
      expect(JSON.stringify(inside)).toContain(registration('', 2, '').mobile);
      const found = (
        await get(`/directory/search?q=${registration('', 4, '').mobile}`, await caughtUp(tiered)).expect(200)
      ).body;
      expect(found.persons).toEqual([]);
    });

    it('answers 404 for a hidden unit’s path and matrix to those kept out of it, and names it to its admins', async () => {
      await post('/org-nodes/party-unit/hidden', { hidden: true, visibleTo: [] }, t.admin).expect(200);
      const path = await get('/org-tree/party-office/path', await caughtUp(user)).expect(404);
      expect(JSON.stringify(path.body)).not.toContain('节点party-unit');
      await get('/directory/matrix?unitId=party-unit', await caughtUp(user)).expect(404);
      await get('/org-tree/party-office/path', await caughtUp(tiered)).expect(404);
      await get('/org-tree/party-office/path', await caughtUp(t.admin)).expect(200);
    });
  });
  describe('8. a person founds groups of their own unit, with people they may add', () => {
    const group = (groupId: string, owningOrgNodeId: string, memberIds: string[] = []) => ({
      groupId,
      name: `工作群${groupId}`,
      // A unit group needs an admin besides its owner (002:五.7); the founder's own group is a cross-unit one.
      kind: 'CROSS_UNIT',
      owningOrgNodeId,
      ownerId: 'p-staff',
      memberIds,
    });

    it('refuses a group owned by another unit, hidden or not', async () => {
      await refused(() => post('/work-groups', group('g-other', 'party-unit'), user), 403, 'ADMIN_ONLY');
      await refused(() => post('/work-groups', group('g-agencies', 'agencies'), user), 403, 'ADMIN_ONLY');
    });

    it('refuses members the founder may not add (a hidden unit, a matrix cell of NONE)', async () => {
      await refused(() => post('/work-groups', group('g-probe', 'edu', ['p-party']), user), 403, 'MEMBER_NOT_ADDABLE');
      await refused(() => post('/work-groups', group('g-probe', 'edu', ['p-tiered']), user), 403, 'MEMBER_NOT_ADDABLE');
    });

    it('lets the person found a group of their own unit', async () => {
      await post('/work-groups', group('g-own', 'edu'), user).expect(200);
    });
  });
  describe('14. a rate limit per credential', () => {
    it('answers 429 with Retry-After once a credential is over its limit, and keeps other credentials going', async () => {
      const limited = await startTestApp({ RATE_LIMIT_PER_MINUTE: '5' });
      try {
        const server = limited.app.getHttpServer();
        const statuses: number[] = [];
        for (let i = 0; i < 7; i++) statuses.push((await request(server).get('/org-tree').set(limited.admin)).status);
        expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
        const over = await request(server).get('/org-tree').set(limited.admin).expect(429);
        expect(over.body.code).toBe('RATE_LIMITED');
        expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
        // Another credential is not slowed by the first one's flood.
        await request(server).get('/asyncapi').expect(200);
        await request(server).get('/health').expect(200);
      } finally {
        await limited.close();
      }
    });
  });
});
