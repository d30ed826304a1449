import { DeciderSpecification } from '../../../test/support/decider-specification';
import { type AppCommand, type AppEvent, appRegistrationDecider } from './app-registration.decider';

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
const launched: AppEvent = { type: 'AppLaunched', data: { appId: 'app1', ...listing } };
const offline: AppEvent = { type: 'AppTakenOffline', data: { appId: 'app1', reason: '系统维护' } };
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
      .when({ type: 'LaunchApp', data: { appId: 'app1', ...listing } })
      .thenFails('APP_WRONG_STATUS');
    spec
      .given([requested, rejected])
      .when({ type: 'DeregisterApp', data: { appId: 'app1', backup } })
      .thenFails('APP_WRONG_STATUS');
  });

  it('launches only when approved, with a valid listing', () => {
    spec
      .given([requested])
      .when({ type: 'LaunchApp', data: { appId: 'app1', ...listing } })
      .thenFails('APP_WRONG_STATUS');
    spec
      .given([requested, attached, approved])
      .when({ type: 'LaunchApp', data: { appId: 'app1', ...listing } })
      .then([launched]);
    spec
      .given([requested, attached, approved])
      .when({ type: 'LaunchApp', data: { appId: 'app1', ...listing, url: 'javascript:alert(1)' } })
      .thenFails('INVALID_APP_FIELD');
  });

  it('goes offline and back online', () => {
    spec
      .given([requested, attached, approved, launched])
      .when({ type: 'TakeAppOffline', data: { appId: 'app1', reason: '系统维护' } })
      .then([offline]);
    spec
      .given([requested, attached, approved])
      .when({ type: 'TakeAppOffline', data: { appId: 'app1', reason: '系统维护' } })
      .thenFails('APP_WRONG_STATUS');
    spec
      .given([requested, attached, approved, launched, offline])
      .when({ type: 'RestoreApp', data: { appId: 'app1' } })
      .then([{ type: 'AppRestored', data: { appId: 'app1' } }]);
    spec
      .given([requested, attached, approved, launched])
      .when({ type: 'RestoreApp', data: { appId: 'app1' } })
      .thenFails('APP_WRONG_STATUS');
  });

  it('authorizes nodes, tags and persons, adding and revoking only what changes', () => {
    const authorized: AppEvent = {
      type: 'AppAuthorized',
      data: { appId: 'app1', orgNodeIds: ['edu'], tagIds: ['t1'], personIds: [] },
    };
    spec
      .given([requested, attached, approved, launched])
      .when({ type: 'AuthorizeApp', data: { appId: 'app1', orgNodeIds: ['edu', 'edu'], tagIds: ['t1'] } })
      .then([authorized]);
    spec
      .given([requested, attached, approved, launched, authorized])
      .when({ type: 'AuthorizeApp', data: { appId: 'app1', orgNodeIds: ['edu'] } })
      .thenNothingHappens();
    spec
      .given([requested, attached, approved, launched])
      .when({ type: 'AuthorizeApp', data: { appId: 'app1' } })
      .thenFails('EMPTY_AUTHORIZATION');
    spec
      .given([requested])
      .when({ type: 'AuthorizeApp', data: { appId: 'app1', orgNodeIds: ['edu'] } })
      .thenFails('APP_WRONG_STATUS');
    spec
      .given([requested, attached, approved, launched, authorized])
      .when({ type: 'RevokeAppAuthorization', data: { appId: 'app1', orgNodeIds: ['edu', 'health'] } })
      .then([
        { type: 'AppAuthorizationRevoked', data: { appId: 'app1', orgNodeIds: ['edu'], tagIds: [], personIds: [] } },
      ]);
  });

  it('deregisters only with a backup or migration confirmation, once', () => {
    const history = [requested, attached, approved, launched, offline];
    spec
      .given(history)
      .when({ type: 'DeregisterApp', data: { appId: 'app1', backup: null } })
      .thenFails('APP_BACKUP_NOT_CONFIRMED');
    spec
      .given(history)
      .when({ type: 'DeregisterApp', data: { appId: 'app1', backup: { kind: 'BACKED_UP', ref: '' } } })
      .thenFails('APP_BACKUP_NOT_CONFIRMED');
    const deregistered: AppEvent = { type: 'AppDeregistered', data: { appId: 'app1', backup, owningOrgNodeId: 'edu' } };
    spec
      .given(history)
      .when({ type: 'DeregisterApp', data: { appId: 'app1', backup } })
      .then([deregistered]);
    spec
      .given([...history, deregistered])
      .when({ type: 'DeregisterApp', data: { appId: 'app1', backup } })
      .thenNothingHappens();
    spec
      .given([...history, deregistered])
      .when({ type: 'RestoreApp', data: { appId: 'app1' } })
      .thenFails('APP_WRONG_STATUS');
  });
});
