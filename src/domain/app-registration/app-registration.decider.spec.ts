import { DeciderSpecification } from '../../../test/support/decider-specification';
import { type AppCommand, type AppEvent, appRegistrationDecider } from './app-registration.decider';
import { RuleViolation } from '../shared/domain-error';

const spec = DeciderSpecification.for(appRegistrationDecider);
const request = (over: Partial<Extract<AppCommand, { type: 'RequestAppAccess' }>['data']> = {}): AppCommand => ({
  type: 'RequestAppAccess',
  data: {
    appId: 'app1',
    name: '公文交换',
    owningOrgNodeId: 'edu',
    contact: { name: '王五', phone: '021-59700000' },
    techLead: { name: '赵六', phone: '13800000000' },
    accessModes: ['SSO', 'UNIFIED_TODO'],
    userIntegration: true,
    expectedDate: '2025-04-01',
    securityAuditReportRef: '沪测评〔2025〕12号',
    scenario: '各单位公文在线交换',
    vendor: '上海某软件有限公司',
    contactEmail: 'wangwu@qp.example.gov.cn',
    reviewDueOn: '2025-03-12',
    nodeStatus: 'ACTIVE',
    ...over,
  },
});
const requested: AppEvent = {
  type: 'AppAccessRequested',
  data: {
    appId: 'app1',
    name: '公文交换',
    owningOrgNodeId: 'edu',
    description: null,
    scenario: '各单位公文在线交换',
    vendor: '上海某软件有限公司',
    contactEmail: 'wangwu@qp.example.gov.cn',
    contact: { name: '王五', phone: '021-59700000' },
    techLead: { name: '赵六', phone: '13800000000' },
    accessModes: ['SSO', 'UNIFIED_TODO'],
    userIntegration: true,
    expectedDate: '2025-04-01',
    securityAuditReportRef: '沪测评〔2025〕12号',
    cryptoAssessmentReportRef: null,
    reviewDueOn: '2025-03-12',
  },
};
const attached: AppEvent = {
  type: 'AppReportsAttached',
  data: { appId: 'app1', securityAuditReportRef: '沪测评〔2025〕12号', cryptoAssessmentReportRef: '密评〔2025〕3号' },
};
const approved: AppEvent = { type: 'AppAccessApproved', data: { appId: 'app1', reviewDueOn: '2025-03-12' } };
const listing = {
  shortName: '公文',
  fullName: '公文交换系统',
  iconUrl: 'https://apps.example.gov.cn/doc.png',
  url: 'https://doc.example.gov.cn/',
};
// 附件 1.2–1.4: the unit's form for each request.
const form = {
  on: '2025-04-01',
  contact: { name: '王五', phone: '021-59700000' },
  contactEmail: 'wangwu@qp.example.gov.cn',
  techLead: { name: '赵六', phone: '13800000000' },
  remarks: null,
};
const passed = (report: 'SECURITY_AUDIT' | 'CRYPTO_ASSESSMENT', ref: string): AppEvent => ({
  type: 'AppReportResultRecorded',
  data: {
    appId: 'app1',
    report,
    ref,
    result: 'PASSED',
    issuingBody: '上海市信息安全测评认证中心',
    issuedOn: '2025-03-05',
  },
});
// Both reports passed (001a:13): the launch may go ahead.
const bothPassed = [passed('SECURITY_AUDIT', '沪测评〔2025〕12号'), passed('CRYPTO_ASSESSMENT', '密评〔2025〕3号')];
const launched: AppEvent = { type: 'AppLaunched', data: { appId: 'app1', ...listing, form } };
const offline: AppEvent = { type: 'AppTakenOffline', data: { appId: 'app1', reason: '系统维护', form } };
const backup = { kind: 'BACKED_UP' as const, ref: '备份确认〔2025〕1号' };

describe('AppRegistration decider (001a:13-19)', () => {
  it('records a request and refuses a bad one', () => {
    spec.given([]).when(request()).then([requested]);
    spec.given([requested]).when(request()).thenFails('APP_ALREADY_EXISTS');
    spec
      .given([])
      .when(request({ accessModes: [] }))
      .thenFails('INVALID_APP_FIELD');
    spec
      .given([])
      .when(request({ accessModes: ['FAX' as never] }))
      .thenFails('INVALID_APP_FIELD');
    spec
      .given([])
      .when(request({ name: '' }))
      .thenFails('INVALID_APP_FIELD');
    spec
      .given([])
      .when(request({ contact: { name: '王五', phone: '' } }))
      .thenFails('INVALID_APP_FIELD');
    spec
      .given([])
      .when(request({ expectedDate: 'soon' }))
      .thenFails('INVALID_APP_FIELD');
    spec
      .given([])
      .when(request({ nodeStatus: 'DISSOLVED' }))
      .thenFails('ORG_NODE_NOT_ACTIVE');
  });

  it('approves only with both the security audit and the 密评 report', () => {
    spec
      .given([requested])
      .when({ type: 'ApproveAppAccess', data: { appId: 'app1' } })
      .thenFails('APP_REPORTS_MISSING');
    spec
      .given([requested])
      .when({ type: 'AttachAppReports', data: { appId: 'app1', cryptoAssessmentReportRef: '密评〔2025〕3号' } })
      .then([attached]);
    spec
      .given([requested, attached])
      .when({ type: 'AttachAppReports', data: { appId: 'app1', cryptoAssessmentReportRef: '密评〔2025〕3号' } })
      .thenNothingHappens();
    spec
      .given([requested, attached])
      .when({ type: 'ApproveAppAccess', data: { appId: 'app1' } })
      .then([approved]);
    spec
      .given([requested, attached, approved])
      .when({ type: 'ApproveAppAccess', data: { appId: 'app1' } })
      .thenFails('APP_WRONG_STATUS');
  });

  it('rejects a request with a reason, and a rejected app goes nowhere', () => {
    const rejected: AppEvent = {
      type: 'AppAccessRejected',
      data: { appId: 'app1', reason: '未通过密评', reviewDueOn: '2025-03-12' },
    };
    spec
      .given([requested])
      .when({ type: 'RejectAppAccess', data: { appId: 'app1', reason: '未通过密评' } })
      .then([rejected]);
    spec
      .given([requested])
      .when({ type: 'RejectAppAccess', data: { appId: 'app1', reason: ' ' } })
      .thenFails('INVALID_APP_FIELD');
    spec
      .given([requested, rejected])
      .when({ type: 'LaunchApp', data: { appId: 'app1', ...listing, form } })
      .thenFails('APP_WRONG_STATUS');
    spec
      .given([requested, rejected])
      .when({ type: 'DeregisterApp', data: { appId: 'app1', backup, form } })
      .thenFails('APP_WRONG_STATUS');
  });

  it('launches only when approved, with a valid listing', () => {
    spec
      .given([requested])
      .when({ type: 'LaunchApp', data: { appId: 'app1', ...listing, form } })
      .thenFails('APP_WRONG_STATUS');
    spec
      .given([requested, attached, approved, ...bothPassed])
      .when({ type: 'LaunchApp', data: { appId: 'app1', ...listing, form } })
      .then([launched]);
    spec
      .given([requested, attached, approved, ...bothPassed])
      .when({ type: 'LaunchApp', data: { appId: 'app1', ...listing, url: 'javascript:alert(1)', form } })
      .thenFails('INVALID_APP_FIELD');
  });

  it('goes offline and back online', () => {
    spec
      .given([requested, attached, approved, ...bothPassed, launched])
      .when({ type: 'TakeAppOffline', data: { appId: 'app1', reason: '系统维护', form } })
      .then([offline]);
    spec
      .given([requested, attached, approved])
      .when({ type: 'TakeAppOffline', data: { appId: 'app1', reason: '系统维护', form } })
      .thenFails('APP_WRONG_STATUS');
    spec
      .given([requested, attached, approved, ...bothPassed, launched, offline])
      .when({ type: 'RestoreApp', data: { appId: 'app1' } })
      .then([{ type: 'AppRestored', data: { appId: 'app1' } }]);
    spec
      .given([requested, attached, approved, ...bothPassed, launched])
      .when({ type: 'RestoreApp', data: { appId: 'app1' } })
      .thenFails('APP_WRONG_STATUS');
  });

  it('authorizes nodes, tags and persons, adding and revoking only what changes', () => {
    const authorized: AppEvent = {
      type: 'AppAuthorized',
      data: { appId: 'app1', orgNodeIds: ['edu'], tagIds: ['t1'], personIds: [] },
    };
    spec
      .given([requested, attached, approved, ...bothPassed, launched])
      .when({ type: 'AuthorizeApp', data: { appId: 'app1', orgNodeIds: ['edu', 'edu'], tagIds: ['t1'] } })
      .then([authorized]);
    spec
      .given([requested, attached, approved, ...bothPassed, launched, authorized])
      .when({ type: 'AuthorizeApp', data: { appId: 'app1', orgNodeIds: ['edu'] } })
      .thenNothingHappens();
    spec
      .given([requested, attached, approved, ...bothPassed, launched])
      .when({ type: 'AuthorizeApp', data: { appId: 'app1' } })
      .thenFails('EMPTY_AUTHORIZATION');
    spec
      .given([requested])
      .when({ type: 'AuthorizeApp', data: { appId: 'app1', orgNodeIds: ['edu'] } })
      .thenFails('APP_WRONG_STATUS');
    spec
      .given([requested, attached, approved, ...bothPassed, launched, authorized])
      .when({ type: 'RevokeAppAuthorization', data: { appId: 'app1', orgNodeIds: ['edu', 'health'] } })
      .then([
        { type: 'AppAuthorizationRevoked', data: { appId: 'app1', orgNodeIds: ['edu'], tagIds: [], personIds: [] } },
      ]);
  });

  it('deregisters only with a backup or migration confirmation, once', () => {
    const history = [requested, attached, approved, ...bothPassed, launched, offline];
    spec
      .given(history)
      .when({ type: 'DeregisterApp', data: { appId: 'app1', backup: null, form } })
      .thenFails('APP_BACKUP_NOT_CONFIRMED');
    spec
      .given(history)
      .when({ type: 'DeregisterApp', data: { appId: 'app1', backup: { kind: 'BACKED_UP', ref: '' }, form } })
      .thenFails('APP_BACKUP_NOT_CONFIRMED');
    const deregistered: AppEvent = {
      type: 'AppDeregistered',
      data: { appId: 'app1', backup, owningOrgNodeId: 'edu', form },
    };
    spec
      .given(history)
      .when({ type: 'DeregisterApp', data: { appId: 'app1', backup, form } })
      .then([deregistered]);
    spec
      .given([...history, deregistered])
      .when({ type: 'DeregisterApp', data: { appId: 'app1', backup, form } })
      .thenNothingHappens();
    spec
      .given([...history, deregistered])
      .when({ type: 'RestoreApp', data: { appId: 'app1' } })
      .thenFails('APP_WRONG_STATUS');
  });

  describe('before launch both reports have passed (001a:13), and each request comes on its form (附件 1.2–1.4)', () => {
    const launch = { type: 'LaunchApp', data: { appId: 'app1', ...listing, form } } as const;

    it('given approval but no results, when launched, then APP_REPORTS_NOT_PASSED naming both', () => {
      spec
        .given([requested, attached, approved])
        .when(launch)
        .thenThrows(RuleViolation, (e) =>
          expect(e.details.notPassed).toEqual(['代码安全审计/安全测评报告', '密评报告']),
        );
    });

    it('given a 密评 that did not pass, when launched, then refused; once a passing result is recorded, launched', () => {
      const failed: AppEvent = {
        type: 'AppReportResultRecorded',
        data: { ...(bothPassed[1].data as object), result: 'NOT_PASSED' } as never,
      };
      const history = [requested, attached, approved, bothPassed[0], failed];
      spec.given(history).when(launch).thenFails('APP_REPORTS_NOT_PASSED');
      spec
        .given([...history, bothPassed[1]])
        .when(launch)
        .then([launched]);
    });

    it('given a result for an earlier report, when the reference was replaced, then that report has not passed', () => {
      const replaced: AppEvent = {
        type: 'AppReportsAttached',
        data: {
          appId: 'app1',
          securityAuditReportRef: '沪测评〔2025〕99号',
          cryptoAssessmentReportRef: '密评〔2025〕3号',
        },
      };
      spec
        .given([requested, attached, ...bothPassed, replaced, approved])
        .when(launch)
        .thenThrows(RuleViolation, (e) => expect(e.details.notPassed).toEqual(['代码安全审计/安全测评报告']));
    });

    it('records a result with its issuing body and date; refuses a bad one', () => {
      const record = (over: object = {}) =>
        ({ type: 'RecordAppReportResult', data: { ...(bothPassed[0].data as object), ...over } }) as AppCommand;
      spec.given([requested]).when(record()).then([bothPassed[0]]);
      spec.given([requested, bothPassed[0]]).when(record()).thenNothingHappens();
      spec
        .given([requested])
        .when(record({ issuedOn: '5 March' }))
        .thenFails('INVALID_APP_FIELD');
      spec
        .given([requested])
        .when(record({ result: 'MAYBE' }))
        .thenFails('INVALID_APP_FIELD');
    });

    it('when a launch, an offline or a deregistration comes without its form, then APP_FORM_REQUIRED', () => {
      const history = [requested, attached, approved, ...bothPassed];
      spec
        .given(history)
        .when({ type: 'LaunchApp', data: { appId: 'app1', ...listing } } as never)
        .thenFails('APP_FORM_REQUIRED');
      spec
        .given([...history, launched])
        .when({ type: 'TakeAppOffline', data: { appId: 'app1', reason: '系统维护' } } as never)
        .thenFails('APP_FORM_REQUIRED');
      spec
        .given(history)
        .when({ type: 'LaunchApp', data: { appId: 'app1', ...listing, form: { ...form, contactEmail: 'not-mail' } } })
        .thenFails('INVALID_APP_FIELD');
    });
  });
});
