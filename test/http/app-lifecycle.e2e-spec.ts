/**
 * An app walked through its whole life over HTTP (001a:13-19), the refused paths included:
 * request refused without the 附件 1.1 fields → request → approval refused without the 密评 report →
 * launch refused before approval → reports attached → approved → launch refused while a report
 * has not passed (001a:13) and without its form (附件 1.2) → results recorded → authorized →
 * temporary account → launched → offline (on its form) → restored →
 * deregistration refused without a backup confirmation → deregistered; the deregistration
 * policy then revokes its authorizations and closes its temporary account.
 */
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { EventStore } from '../../src/application/ports/event-store.port';
import { PolicyEngine } from '../../src/application/policies/policy-engine';
import { startTestApp, type TestApp } from '../support/test-app';
import { servicesOfApp } from '../support/services';
import { withHrNotice } from '../support/hr-notice';
import { APP_FORM, passedReports } from '../support/app-forms';

describe('an app registration over HTTP, from request to deregistration', () => {
  let t: TestApp;
  let app: INestApplication;
  let store: EventStore;
  let unitAdmin: Record<string, string>;
  const post = (path: string, body: object, headers: Record<string, string>) =>
    request(app.getHttpServer()).post(path).set(headers).send(withHrNotice(path, body));

  /** Sends a request that must be refused with `code`, and checks that nothing was written. */
  async function refused(path: string, body: object, headers: Record<string, string>, status: number, code: string) {
    const before = await store.headPosition();
    const response = await post(path, body, headers).expect(status);
    expect(response.body.code).toBe(code);
    expect(await store.headPosition()).toBe(before);
  }

  beforeAll(async () => {
    t = await startTestApp({ POLICIES_ENABLED: 'true' });
    ({ app, store } = t);
    const meta = { actor: { accountId: 'acc-admin', role: 'SYSTEM_ADMIN' as const }, jurisdiction: 'qingpu' };
    await servicesOfApp(app).tree.execute(
      { type: 'CreateOrgNode', data: { orgNodeId: 'edu', name: '区教育局', kind: 'UNIT', parentId: 'root' } },
      meta,
    );
    // The unit's tiered admin, set up over HTTP by the system admin.
    await post(
      '/persons',
      {
        personId: 'p-edu',
        name: '李四',
        idNumber: '11010519491231002X',
        gender: '2',
        mobile: '18600000001',
        employment: { type: 'ON_ESTABLISHMENT', establishmentType: 'ADMINISTRATIVE' },
        primaryPost: { orgNodeId: 'edu' },
      },
      t.admin,
    ).expect(200);
    await post(
      '/accounts',
      { accountId: 'acc-edu', type: 'TIERED_ADMIN', loginName: 'edu.admin', personId: 'p-edu' },
      t.admin,
    ).expect(200);
    await post('/accounts/acc-edu/admin-scopes', { orgNodeId: 'edu' }, t.admin).expect(200);
    await post('/accounts/acc-edu/activate', {}, t.admin).expect(200);
    unitAdmin = await t.bearer('acc-edu');
  });
  afterAll(() => t.close());

  it('goes through every state, refusing each step out of turn', async () => {
    const form11 = {
      scenario: '各单位公文在线交换',
      vendor: '上海某软件有限公司',
      contactEmail: 'wangwu@qp.example.gov.cn',
    };
    await refused(
      '/apps',
      {
        appId: 'doc',
        name: '公文交换',
        owningOrgNodeId: 'edu',
        contact: { name: '王五', phone: '021-59700000' },
        techLead: { name: '赵六', phone: '13800000000' },
        accessModes: ['SSO'],
        userIntegration: true,
        expectedDate: '2025-06-01',
      },
      unitAdmin,
      400,
      'VALIDATION_FAILED',
    );
    const requested = await post(
      '/apps',
      {
        ...form11,
        appId: 'doc',
        name: '公文交换',
        owningOrgNodeId: 'edu',
        contact: { name: '王五', phone: '021-59700000' },
        techLead: { name: '赵六', phone: '13800000000' },
        accessModes: ['SSO', 'UNIFIED_TODO'],
        userIntegration: true,
        expectedDate: '2025-06-01',
        securityAuditReportRef: '沪测评〔2025〕12号',
      },
      unitAdmin,
    ).expect(200);
    expect(requested.body.events[0].type).toBe('AppAccessRequested');
    const app1 = await request(app.getHttpServer()).get('/apps/doc').set(unitAdmin).expect(200);
    expect(app1.body).toMatchObject({
      status: 'REQUESTED',
      reviewDueOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      cryptoAssessmentReportRef: null,
    });

    await refused('/apps/doc/approve', {}, t.admin, 409, 'APP_REPORTS_MISSING');
    await refused(
      '/apps/doc/launch',
      {
        shortName: '公文',
        fullName: '公文交换系统',
        iconUrl: 'https://doc.example.gov.cn/i.png',
        url: 'https://doc.example.gov.cn/',
      },
      t.admin,
      409,
      'APP_WRONG_STATUS',
    );
    await refused('/apps/doc/approve', {}, unitAdmin, 403, 'SYSTEM_ADMIN_ONLY');

    await post('/apps/doc/reports', { cryptoAssessmentReportRef: '密评〔2025〕3号' }, unitAdmin).expect(200);
    await post('/apps/doc/approve', {}, t.admin).expect(200);
    await refused('/apps/doc/reject', { rejectionReason: '太晚了' }, t.admin, 409, 'APP_WRONG_STATUS');

    await post('/apps/doc/authorizations', { orgNodeIds: ['edu'], personIds: ['p-edu'] }, unitAdmin).expect(200);
    await refused('/apps/doc/authorizations', { orgNodeIds: ['root'] }, unitAdmin, 403, 'OUTSIDE_ADMIN_SCOPE');
    await post(
      '/accounts',
      {
        accountId: 'vendor',
        type: 'TEMPORARY',
        loginName: 'vendor.doc',
        appId: 'doc',
        expiresAt: new Date(Date.now() + 14 * 86_400_000).toISOString(),
      },
      unitAdmin,
    ).expect(200);

    const listing = {
      shortName: '公文',
      fullName: '公文交换系统',
      iconUrl: 'https://doc.example.gov.cn/i.png',
      url: 'https://doc.example.gov.cn/',
    };
    // 001a:13: approved, but neither report has been recorded as passed: not online yet.
    await refused('/apps/doc/launch', { ...listing, form: APP_FORM }, t.admin, 409, 'APP_REPORTS_NOT_PASSED');
    const [security, crypto] = passedReports('沪测评〔2025〕12号', '密评〔2025〕3号');
    await post('/apps/doc/report-results', security, unitAdmin).expect(200);
    await post('/apps/doc/report-results', { ...crypto, result: 'NOT_PASSED' }, unitAdmin).expect(200);
    const stillRefused = await post('/apps/doc/launch', { ...listing, form: APP_FORM }, t.admin).expect(409);
    expect(stillRefused.body.details.notPassed).toEqual(['密评报告']);
    await post('/apps/doc/report-results', crypto, unitAdmin).expect(200);
    await refused('/apps/doc/launch', listing, t.admin, 422, 'APP_FORM_REQUIRED');
    await post('/apps/doc/launch', { ...listing, form: APP_FORM }, t.admin).expect(200);
    const online = await request(app.getHttpServer()).get('/apps/doc').set(unitAdmin).expect(200);
    expect(online.body.reportResults).toMatchObject({
      SECURITY_AUDIT: { result: 'PASSED', issuingBody: '上海市信息安全测评认证中心', issuedOn: '2025-05-20' },
      CRYPTO_ASSESSMENT: { result: 'PASSED' },
    });
    await refused('/apps/doc/restore', {}, t.admin, 409, 'APP_WRONG_STATUS');
    await refused('/apps/doc/offline', { offlineReason: '系统升级维护' }, unitAdmin, 422, 'APP_FORM_REQUIRED');
    await post('/apps/doc/offline', { offlineReason: '系统升级维护', form: APP_FORM }, unitAdmin).expect(200);
    await post('/apps/doc/restore', {}, t.admin).expect(200);
    await post('/apps/doc/offline', { offlineReason: '停止使用', form: APP_FORM }, unitAdmin).expect(200);

    await refused('/apps/doc/deregister', {}, t.admin, 409, 'APP_BACKUP_NOT_CONFIRMED');
    await refused('/apps/doc/deregister', { backup: { kind: 'COPIED', ref: 'x' } }, t.admin, 400, 'VALIDATION_FAILED');
    const deregistered = await post(
      '/apps/doc/deregister',
      { backup: { kind: 'MIGRATED', ref: '迁移确认〔2025〕8号' }, sourceRef: '青政服〔2025〕5号', form: APP_FORM },
      t.admin,
    ).expect(200);
    expect(deregistered.body.events[0].type).toBe('AppDeregistered');

    // The deregistration policy: authorizations revoked, the temporary account closed.
    await app.get(PolicyEngine).settled();
    const after = await request(app.getHttpServer()).get('/apps/doc').set(unitAdmin).expect(200);
    expect(after.body).toMatchObject({
      status: 'DEREGISTERED',
      authorizations: { orgNodeIds: [], tagIds: [], personIds: [] },
    });
    expect((await servicesOfApp(app).accounts.load('vendor')).state).toMatchObject({ status: 'CLOSED' });
    await refused('/apps/doc/restore', {}, t.admin, 409, 'APP_WRONG_STATUS');
  });
});
