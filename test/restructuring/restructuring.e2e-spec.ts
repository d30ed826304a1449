/**
 * Restructurings through HTTP as the operators of issue 18 tried them: a tiered admin abolishes a
 * level-4 body in one step, its people going to the level-3 unit above (a destination, checked for
 * scope only); a merge refused for a namesake leaves every person where they were; an abolition
 * that says nothing of its people is refused instead of departing them.
 * Tree: root › gov(1) › agencies(2) › edu(3) › edu-office(4), edu-zh(4) 综合科; agencies › health(3) › health-zh(4) 综合科.
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

describe('restructuring through HTTP (issue 18)', () => {
  let t: TestApp;
  let app: INestApplication;
  let tiered: Record<string, string>;
  const post = (path: string, body: object, headers: Record<string, string>) =>
    request(app.getHttpServer()).post(path).set(headers).send(withHrNotice(path, body));
  const primaryOf = async (personId: string) => {
    const { state } = await servicesOfApp(app).people.load(personId);
    return state.status === 'ACTIVE' ? state.posts.find((p) => p.kind === 'PRIMARY')?.orgNodeId : state.status;
  };

  beforeAll(async () => {
    t = await startTestApp();
    app = t.app;
    const { tree, people, accounts } = servicesOfApp(app);
    for (const [orgNodeId, name, kind, parentId] of [
      ['gov', '区政府', 'CATEGORY', 'root'],
      ['agencies', '政府部门', 'CATEGORY', 'gov'],
      ['edu', '区教育局', 'UNIT', 'agencies'],
      ['edu-office', '办公室', 'INTERNAL_BODY', 'edu'],
      ['edu-zh', '综合科', 'INTERNAL_BODY', 'edu'],
      ['health', '区卫健委', 'UNIT', 'agencies'],
      ['health-zh', '综合科', 'INTERNAL_BODY', 'health'],
    ] as const)
      await tree.execute({ type: 'CreateOrgNode', data: { orgNodeId, name, kind, parentId } }, ADMIN_META);
    for (const [n, personId, orgNodeId] of [
      [1, 'p-tiered', 'edu'],
      [2, 'p-office', 'edu-office'],
      [3, 'p-health', 'health'],
      [4, 'p-health-zh', 'health-zh'],
    ] as const) {
      await people.register(
        {
          personId,
          name: `人员${'甲乙丙丁'[n - 1]}`,
          idNumber: idNumber(n),
          gender: '1',
          mobile: `1391000000${n}`,
          officePhone: null,
          rank: null,
          politicalStatus: null,
          leadershipDuties: null,
          employment: { type: 'ON_ESTABLISHMENT', establishmentType: 'ADMINISTRATIVE' },
          primaryPost: { orgNodeId, title: '科员' },
        },
        ADMIN_META,
      );
    }
    await accounts.open(
      { accountId: 'acc-tiered', type: 'TIERED_ADMIN', loginName: 'tiered', personId: 'p-tiered' },
      ADMIN_META,
    );
    await accounts.grantAdminScope({ accountId: 'acc-tiered', orgNodeId: 'edu' }, ADMIN_META);
    await accounts.execute({ type: 'ActivateAccount', data: { accountId: 'acc-tiered' } }, ADMIN_META);
    tiered = await t.bearer('acc-tiered');
  }, 60_000);
  afterAll(() => t.close());

  it('a tiered admin abolishes a level-4 body in one step, its people going to the level-3 unit above', async () => {
    const response = await post('/org-nodes/edu-office/dissolve', { peopleTo: 'edu' }, tiered);
    expect(response.status).toBe(200);
    expect(await primaryOf('p-office')).toBe('edu');
    const { state } = await servicesOfApp(app).tree.load();
    expect(state.nodes.get('edu-office')?.status).toBe('DISSOLVED');
  });

  it('a merge refused for a namesake moves no one and leaves the absorbed unit active', async () => {
    const before = await t.store.headPosition();
    const response = await post('/org-nodes/merge', { absorbedIds: ['health'], survivorId: 'edu' }, t.admin);
    expect(response.status).toBe(409);
    expect(response.body.code).toBe('NAMESAKES_UNRESOLVED');
    expect(response.body.details.collisions).toEqual([
      { orgNodeId: 'health-zh', name: '综合科', existingId: 'edu-zh' },
    ]);
    expect(await t.store.headPosition()).toBe(before);
    expect(await primaryOf('p-health')).toBe('health');
  });

  it('an abolition that says nothing of its people is refused instead of departing them', async () => {
    const before = await t.store.headPosition();
    const response = await post('/org-nodes/health/dissolve', { childrenTo: 'agencies' }, t.admin);
    expect(response.body.code).toBe('DISPOSITION_REQUIRED');
    expect(await t.store.headPosition()).toBe(before);
    expect(await primaryOf('p-health')).toBe('health');
  });

  it('the merge with the namesake resolved is carried out, and the operation reads as planned then completed', async () => {
    const response = await post(
      '/org-nodes/merge',
      {
        mergeId: 'merge-health',
        absorbedIds: ['health'],
        survivorId: 'edu',
        namesakes: [{ orgNodeId: 'health-zh', resolution: 'MERGE' }],
        sourceRef: '青编〔2025〕9号',
      },
      t.admin,
    );
    expect(response.status).toBe(200);
    expect(await primaryOf('p-health')).toBe('edu');
    expect(await primaryOf('p-health-zh')).toBe('edu-zh');
    const entries = await request(app.getHttpServer())
      .get('/audit/entries?entityType=Restructuring&entityId=merge-health')
      .set({ ...t.admin, 'X-Consistent-With': String(await t.store.headPosition()) });
    expect(entries.status).toBe(200);
    expect(entries.body.entries.map((e: { type: string }) => e.type)).toEqual([
      'RestructuringPlanned',
      'RestructuringCompleted',
    ]);
    expect(entries.body.entries[1].changes).toContainEqual({ field: 'status', from: 'PLANNED', to: 'COMPLETED' });
  });
});
