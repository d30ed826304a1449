/**
 * Requests end to end over HTTP (issue 21): 003:10 — a town applies with its 编办批文, the county
 * informatization office reviews, the committee office approves and files, and the unit is
 * created with the approval as its cause; 003:14 — a person's account is opened through their
 * unit admin's declaration; the direct command of a kind the jurisdiction routes through requests
 * is refused; an impossible request is refused at filing and writes nothing; an approved change
 * the world has overtaken fails visibly and stays approved; an auditor reads the whole chain.
 */
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { EventStore } from '../../src/application/ports/event-store.port';
import { idNumberCheckCharacter } from '../../src/domain/person/identity';
import { servicesOfApp } from '../support/services';
import { startTestApp, type TestApp } from '../support/test-app';

const ROUTE = [
  { name: '县信息化建设办公室审核', adminOf: 'xxb', workingDays: 7 },
  { name: '县委办/政府办审批备案', adminOf: 'wb', workingDays: 5 },
];
const APPROVAL = { kind: '编办批文', ref: '青编〔2025〕12号', issuedBy: '青浦区委编办', issuedOn: '2025-09-20' };
const ID_COPY = { kind: '身份证复印件', ref: '身份证复印件（本人签字）', issuedBy: '第一镇', issuedOn: '2025-10-09' };
const META = { actor: { accountId: 'acc-admin', role: 'SYSTEM_ADMIN' as const }, jurisdiction: 'qingpu' };

describe('requests (申请与审批) over HTTP', () => {
  jest.setTimeout(60_000);
  let t: TestApp;
  let app: INestApplication;
  let store: EventStore;
  const as: Record<string, Record<string, string>> = {};
  const post = (path: string, body: object, who: string) =>
    request(app.getHttpServer()).post(path).set(as[who]).send(body);
  const get = (path: string, who: string) => request(app.getHttpServer()).get(path).set(as[who]);

  async function refused(path: string, body: object, who: string, status: number, code: string) {
    const before = await store.headPosition();
    const response = await post(path, body, who);
    expect([response.status, response.body.code]).toEqual([status, code]);
    expect(await store.headPosition()).toBe(before);
  }

  beforeAll(async () => {
    t = await startTestApp({
      REQUEST_ROUTES: JSON.stringify({ UNIT_REGISTRATION: ROUTE, ACCOUNT_OPENING: ROUTE }),
      REQUESTS_REQUIRED: 'UNIT_REGISTRATION',
    });
    ({ app, store } = t);
    const { tree, people, accounts } = servicesOfApp(app);
    for (const [orgNodeId, name, kind, parentId] of [
      ['xxb', '区信息化建设办公室', 'UNIT', 'root'],
      ['wb', '区委办公室', 'UNIT', 'root'],
      ['towns', '镇街道', 'CATEGORY', 'root'],
      ['town-1', '第一镇', 'UNIT', 'towns'],
    ] as const)
      await tree.execute({ type: 'CreateOrgNode', data: { orgNodeId, name, kind, parentId } }, META);
    let n = 0;
    const person = async (personId: string, orgNodeId: string) => {
      const id17 = `3101181985020${String(100 + ++n).padStart(3, '0')}1`;
      await people.register(
        {
          personId,
          name: `测试${'甲乙丙丁戊'[n % 5]}`,
          idNumber: id17 + idNumberCheckCharacter(id17),
          gender: '1',
          mobile: `1380000${String(n).padStart(4, '0')}`,
          officePhone: null,
          employment: { type: 'ON_ESTABLISHMENT', establishmentType: 'ADMINISTRATIVE' },
          rank: null,
          politicalStatus: null,
          leadershipDuties: null,
          primaryPost: { orgNodeId },
        },
        META,
      );
    };
    const admin = async (accountId: string, personId: string, orgNodeId: string, scope: string) => {
      await person(personId, orgNodeId);
      await accounts.open({ accountId, type: 'TIERED_ADMIN', loginName: `${accountId}.login`, personId }, META);
      await accounts.grantAdminScope({ accountId, orgNodeId: scope }, META);
      await accounts.execute({ type: 'ActivateAccount', data: { accountId } }, META);
      as[accountId] = await t.bearer(accountId);
    };
    await admin('acc-xxb', 'p-xxb', 'xxb', 'xxb');
    await admin('acc-wb', 'p-wb', 'wb', 'wb');
    await admin('acc-tn', 'p-tn', 'town-1', 'towns');
    await person('p-new', 'town-1');
    await person('p-auditor', 'xxb');
    await accounts.open(
      { accountId: 'acc-auditor', type: 'USER', loginName: 'auditor.login', personId: 'p-auditor' },
      META,
    );
    await accounts.execute({ type: 'ActivateAccount', data: { accountId: 'acc-auditor' } }, META);
    await accounts.execute(
      { type: 'GrantReadRole', data: { accountId: 'acc-auditor', role: 'AUDITOR', orgNodeId: 'root' } },
      META,
    );
    as['acc-auditor'] = await t.bearer('acc-auditor');
    as.admin = t.admin;
  });
  afterAll(() => t.close());

  const town9 = {
    type: 'CreateOrgNode',
    data: { orgNodeId: 'town-9', name: '第九镇', kind: 'UNIT', parentId: 'towns' },
  };
  const fileTown9 = {
    requestId: 'r-town9',
    kind: 'UNIT_REGISTRATION',
    orgNodeId: 'towns',
    change: town9,
    documents: [APPROVAL],
  };

  it('003:10: a town applies with its 编办批文; the county office, then the committee office approve; the unit is created by the approval', async () => {
    // The jurisdiction routes unit registrations through requests: the direct command is refused.
    await refused('/org-nodes', town9.data, 'acc-tn', 422, 'REQUEST_REQUIRED');
    // Refused at filing, nothing written: a change its decider refuses, a missing 编办批文, a bad change body.
    const nowhere = { ...town9, data: { ...town9.data, parentId: 'nowhere' } };
    await refused('/requests', { ...fileTown9, change: nowhere }, 'acc-tn', 422, 'REQUEST_CHANGE_INVALID');
    await refused('/requests', { ...fileTown9, documents: [] }, 'acc-tn', 422, 'REQUEST_DOCUMENT_REQUIRED');
    await refused(
      '/requests',
      { ...fileTown9, change: { ...town9, data: { ...town9.data, orgNodeId: '!' } } },
      'acc-tn',
      400,
      'VALIDATION_FAILED',
    );
    // Filed for a unit outside the applicant's scope: refused.
    await refused('/requests', { ...fileTown9, orgNodeId: 'wb' }, 'acc-tn', 403, 'OUTSIDE_ADMIN_SCOPE');

    const filed = await post('/requests', fileTown9, 'acc-tn').expect(200);
    const worklist = async (who: string) =>
      (await get('/requests/worklist', who).set('X-Consistent-With', filed.body.position).expect(200)).body
        .requests as Array<{
        id: string;
        stepName: string;
        dueOn: string;
        lateWorkingDays: number;
      }>;
    const [waiting] = await worklist('acc-xxb');
    expect(waiting).toMatchObject({ id: 'r-town9', stepName: '县信息化建设办公室审核', lateWorkingDays: 0 });
    expect(await worklist('acc-wb')).toEqual([]);
    expect(await worklist('acc-tn')).toEqual([]);

    // Only the step's reviewer decides it; the committee office waits for its turn.
    await refused(
      '/requests/r-town9/decision',
      { step: 0, decision: 'APPROVED' },
      'acc-wb',
      403,
      'OUTSIDE_ADMIN_SCOPE',
    );
    await refused(
      '/requests/r-town9/decision',
      { step: 1, decision: 'APPROVED' },
      'acc-xxb',
      409,
      'REQUEST_STEP_MISMATCH',
    );
    const first = await post('/requests/r-town9/decision', { step: 0, decision: 'APPROVED' }, 'acc-xxb').expect(200);
    expect(
      (await get('/requests/worklist', 'acc-wb').set('X-Consistent-With', first.body.position).expect(200)).body
        .requests,
    ).toMatchObject([{ id: 'r-town9', stepName: '县委办/政府办审批备案' }]);
    const final = await post(
      '/requests/r-town9/decision',
      { step: 1, decision: 'APPROVED', reason: '同意备案' },
      'acc-wb',
    ).expect(200);

    // The unit exists, created by the approval, with the approver as actor.
    const events = await store.readStream('Request-r-town9');
    expect(events.map((e) => e.type)).toEqual([
      'RequestFiled',
      'RequestStepApproved',
      'RequestStepApproved',
      'RequestApproved',
      'RequestExecuted',
    ]);
    const approval = events.find((e) => e.type === 'RequestApproved')!;
    const created = (await store.readStream('OrgTree-qingpu')).find(
      (e) => e.type === 'OrgNodeCreated' && e.data.orgNodeId === 'town-9',
    )!;
    expect(created.metadata).toMatchObject({
      causationId: approval.eventId,
      actor: { accountId: 'acc-wb' },
      sourceRef: '青编〔2025〕12号',
    });
    expect(events.at(-1)!.data).toMatchObject({ streamId: 'OrgTree-qingpu', eventIds: [created.eventId] });
    const read = await get('/requests/r-town9', 'acc-tn').expect(200);
    expect(read.body).toMatchObject({ status: 'EXECUTED', kind: 'UNIT_REGISTRATION', documents: [APPROVAL] });
    // Nobody else sees it: it does not exist for an admin of another unit.
    await get('/requests/r-town9', 'acc-auditor').expect(404);

    // The auditor reads the chain: the request with its steps, and the node it produced, caused by the approval.
    const at = { 'X-Consistent-With': final.body.position };
    const trail = (await get('/audit/entries?entityType=Request&entityId=r-town9', 'acc-auditor').set(at).expect(200))
      .body.entries as Array<{ type: string; eventId: string; actorAccountId: string }>;
    expect(trail.map((e) => [e.type, e.actorAccountId])).toEqual([
      ['RequestFiled', 'acc-tn'],
      ['RequestStepApproved', 'acc-xxb'],
      ['RequestStepApproved', 'acc-wb'],
      ['RequestApproved', 'acc-wb'],
      ['RequestExecuted', 'acc-wb'],
    ]);
    const nodeTrail = (
      await get('/audit/entries?entityType=OrgNode&entityId=town-9', 'acc-auditor').set(at).expect(200)
    ).body.entries as Array<{ type: string; causationId: string }>;
    expect(nodeTrail[0]).toMatchObject({ type: 'OrgNodeCreated', causationId: approval.eventId });
  });

  it('003:14: a person’s account is opened through the unit admin’s declaration, reviewed and approved', async () => {
    const openNew = {
      type: 'OpenAccount',
      data: { accountId: 'acc-new', type: 'USER', loginName: 'new.user', personId: 'p-new' },
    };
    const declaration = {
      requestId: 'r-acc-new',
      kind: 'ACCOUNT_OPENING',
      orgNodeId: 'town-1',
      change: openNew,
      documents: [ID_COPY],
    };
    await refused('/requests', { ...declaration, documents: [APPROVAL] }, 'acc-tn', 422, 'REQUEST_DOCUMENT_REQUIRED');
    await post('/requests', declaration, 'acc-tn').expect(200);
    // Filing reserved nothing: the login name is still free until the change is made.
    expect(await store.readStream('Account-acc-new')).toEqual([]);
    await post('/requests/r-acc-new/decision', { step: 0, decision: 'APPROVED' }, 'acc-xxb').expect(200);
    await post('/requests/r-acc-new/decision', { step: 1, decision: 'APPROVED' }, 'acc-wb').expect(200);
    const [opened] = await store.readStream('Account-acc-new');
    expect(opened).toMatchObject({ type: 'AccountOpened', metadata: { actor: { accountId: 'acc-wb' } } });
    expect((await get('/requests/r-acc-new', 'acc-tn').expect(200)).body.status).toBe('EXECUTED');
  });

  it('returns, refiles, withdraws; an approved change the world has overtaken fails visibly and stays approved', async () => {
    const town10 = {
      type: 'CreateOrgNode',
      data: { orgNodeId: 'town-10', name: '第十镇', kind: 'UNIT', parentId: 'towns' },
    };
    const file = {
      requestId: 'r-town10',
      kind: 'UNIT_REGISTRATION',
      orgNodeId: 'towns',
      change: town10,
      documents: [APPROVAL],
    };
    await post('/requests', file, 'acc-tn').expect(200);
    await refused('/requests/r-town10/decision', { step: 0, decision: 'RETURNED' }, 'acc-xxb', 422, 'REASON_REQUIRED');
    await post(
      '/requests/r-town10/decision',
      { step: 0, decision: 'RETURNED', reason: '请补充成立文件' },
      'acc-xxb',
    ).expect(200);
    await refused('/requests/r-town10/decision', { step: 0, decision: 'APPROVED' }, 'acc-xxb', 409, 'REQUEST_NOT_OPEN');
    await post(
      '/requests/r-town10/refile',
      { change: town10, documents: [APPROVAL, { ...APPROVAL, kind: '单位成立文件' }] },
      'acc-tn',
    ).expect(200);
    await post('/requests/r-town10/decision', { step: 0, decision: 'APPROVED' }, 'acc-xxb').expect(200);
    // Meanwhile the same node is made by other means: the approved change can no longer be made.
    await servicesOfApp(app).tree.execute(
      { type: 'CreateOrgNode', data: { ...town10.data, kind: 'UNIT' } as never },
      META,
    );
    await post('/requests/r-town10/decision', { step: 1, decision: 'APPROVED' }, 'acc-wb').expect(200);
    const read = (await get('/requests/r-town10', 'acc-tn').expect(200)).body;
    expect(read).toMatchObject({ status: 'APPROVED', lastFailure: { code: expect.any(String) } });
    // Tried again by the last step's reviewer: it fails again, visibly, and stays approved.
    await post('/requests/r-town10/execute', {}, 'acc-wb').expect(200);
    const types = (await store.readStream('Request-r-town10')).map((e) => e.type);
    expect(types.filter((type) => type === 'RequestExecutionFailed')).toHaveLength(2);
    await refused('/requests/r-town10/execute', {}, 'acc-tn', 403, 'OUTSIDE_ADMIN_SCOPE');

    const fileAnother = {
      ...file,
      requestId: 'r-town11',
      change: { ...town10, data: { ...town10.data, orgNodeId: 'town-11', name: '第十一镇' } },
    };
    await post('/requests', fileAnother, 'acc-tn').expect(200);
    await refused('/requests/r-town11/withdraw', { reason: '不再申请' }, 'acc-xxb', 403, 'OUTSIDE_ADMIN_SCOPE');
    await post('/requests/r-town11/withdraw', { reason: '不再申请' }, 'acc-tn').expect(200);
    expect((await get('/requests/r-town11', 'acc-tn').expect(200)).body.status).toBe('WITHDRAWN');

    // The timeliness of reviews this year, per reviewing unit: the county office decided 4 steps
    // (one a return), the committee office 3, all within their due dates.
    const year = new Date().getFullYear();
    const reviews = (await get(`/assessment/${year}/reviews`, 'admin').expect(200)).body.reviewers;
    expect(reviews).toEqual([
      { reviewerNodeId: 'xxb', reviewer: '区信息化建设办公室', decided: 4, onTime: 4, late: 0, onTimeRate: 1 },
      { reviewerNodeId: 'wb', reviewer: '区委办公室', decided: 3, onTime: 3, late: 0, onTimeRate: 1 },
    ]);
    // A tiered admin reads the reviewing units in their own subtree only.
    expect((await get(`/assessment/${year}/reviews`, 'acc-xxb').expect(200)).body.reviewers).toMatchObject([
      { reviewerNodeId: 'xxb', decided: 4 },
    ]);
  });
});
