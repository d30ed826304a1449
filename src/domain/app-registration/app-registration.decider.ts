/**
 * AppRegistration (应用接入, 001a:13-19 and its forms 附件 1.1–1.4):
 *
 *   REQUESTED → APPROVED | REJECTED → ONLINE ⇄ OFFLINE → DEREGISTERED
 *
 * Approval needs both the code-security audit report and the 密评 (commercial cryptography
 * assessment) report (001a:13); reports missing at request time are attached later. Both must
 * have *passed* before the app goes online ("上线前…通过系统安全测评…并通过密评"): each report's
 * result, issuing body and date are recorded, and the launch is refused until both passed.
 * The launch, offline and deregistration are each asked for on their form (附件 1.2–1.4). The review is
 * due within 7 working days of the request (001a:14): the due date is worked out by the
 * application from the holiday calendar and kept on the request, so that the assessment can list
 * late reviews. One stream per app: `App-<id>`.
 */
import { eventTypes, type Decider } from '../shared/decider';
import { RuleViolation } from '../shared/domain-error';

export const ACCESS_MODES = ['UNIFIED_TODO', 'UNIFIED_MESSAGE', 'SSO'] as const;
export type AccessMode = (typeof ACCESS_MODES)[number];
export type AppStatus = 'REQUESTED' | 'APPROVED' | 'REJECTED' | 'ONLINE' | 'OFFLINE' | 'DEREGISTERED';
export const BACKUP_KINDS = ['BACKED_UP', 'MIGRATED', 'NO_DATA'] as const;
export type BackupKind = (typeof BACKUP_KINDS)[number];

export interface Contact {
  readonly name: string;
  readonly phone: string;
}
export interface AppReports {
  /** 代码安全审计 / 系统安全测评报告 reference. */
  readonly securityAuditReportRef: string | null;
  /** 密评 (商用密码应用安全性评估) report reference. */
  readonly cryptoAssessmentReportRef: string | null;
}
export interface AppAuthorizationScope {
  readonly orgNodeIds: readonly string[];
  readonly tagIds: readonly string[];
  readonly personIds: readonly string[];
}
export interface AppListing {
  readonly shortName: string;
  readonly fullName: string;
  readonly iconUrl: string;
  readonly url: string;
}

export const REPORT_KINDS = ['SECURITY_AUDIT', 'CRYPTO_ASSESSMENT'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];
export const REPORT_RESULTS = ['PASSED', 'NOT_PASSED'] as const;
/** A report's outcome as its issuing body states it (测评报告 / 密评报告). */
export interface ReportResult {
  readonly ref: string;
  readonly result: (typeof REPORT_RESULTS)[number];
  readonly issuingBody: string;
  readonly issuedOn: string;
}

/**
 * The unit's form asking for a launch, an offline or a deregistration (附件 1.2–1.4): the date it
 * is to happen, the unit's contact (phone, e-mail) and technical lead, remarks. Null on events
 * recorded before the forms were kept (schema version 1).
 */
export interface AppRequestForm {
  readonly on: string;
  readonly contact: Contact;
  readonly contactEmail: string;
  readonly techLead: Contact;
  readonly remarks: string | null;
}

export interface AppRequest extends AppReports {
  readonly appId: string;
  readonly name: string;
  readonly owningOrgNodeId: string;
  readonly description: string | null;
  /** 附件 1.1 / 001a:13: 场景说明 and 应用开发商信息 (null on requests recorded before version 2). */
  readonly scenario: string | null;
  readonly vendor: string | null;
  /** 附件 1.1: the contact's 电子邮箱 (null on requests recorded before version 2). */
  readonly contactEmail: string | null;
  readonly contact: Contact;
  readonly techLead: Contact;
  readonly accessModes: readonly AccessMode[];
  readonly userIntegration: boolean;
  readonly expectedDate: string;
}

export type AppState =
  | { readonly status: 'NONE' }
  | (AppRequest & {
      readonly status: AppStatus;
      readonly reviewDueOn: string;
      readonly listing: AppListing | null;
      readonly authorizations: AppAuthorizationScope;
      readonly reportResults: Readonly<Partial<Record<ReportKind, ReportResult>>>;
    });

export type AppCommand =
  | {
      type: 'RequestAppAccess';
      data: Omit<
        AppRequest,
        'description' | 'securityAuditReportRef' | 'cryptoAssessmentReportRef' | 'scenario' | 'vendor' | 'contactEmail'
      > &
        Partial<AppReports> & {
          description?: string | null;
          scenario: string;
          vendor: string;
          contactEmail: string;
          reviewDueOn: string;
          nodeStatus: string;
        };
    }
  | { type: 'AttachAppReports'; data: { appId: string } & Partial<AppReports> }
  | { type: 'RecordAppReportResult'; data: { appId: string; report: ReportKind } & ReportResult }
  | { type: 'ApproveAppAccess'; data: { appId: string } }
  | { type: 'RejectAppAccess'; data: { appId: string; reason: string } }
  | { type: 'LaunchApp'; data: { appId: string; form: AppRequestForm } & AppListing }
  | { type: 'TakeAppOffline'; data: { appId: string; reason: string; form: AppRequestForm } }
  | { type: 'RestoreApp'; data: { appId: string } }
  | { type: 'AuthorizeApp'; data: { appId: string } & Partial<AppAuthorizationScope> }
  | { type: 'RevokeAppAuthorization'; data: { appId: string } & Partial<AppAuthorizationScope> }
  | {
      type: 'DeregisterApp';
      data: { appId: string; backup: { kind: BackupKind; ref: string } | null; form: AppRequestForm };
    };

export type AppEvent =
  | { type: 'AppAccessRequested'; data: AppRequest & { reviewDueOn: string } }
  | { type: 'AppReportsAttached'; data: { appId: string } & AppReports }
  | { type: 'AppReportResultRecorded'; data: { appId: string; report: ReportKind } & ReportResult }
  | { type: 'AppAccessApproved'; data: { appId: string; reviewDueOn: string } }
  | { type: 'AppAccessRejected'; data: { appId: string; reason: string; reviewDueOn: string } }
  | { type: 'AppLaunched'; data: { appId: string; form: AppRequestForm | null } & AppListing }
  | { type: 'AppTakenOffline'; data: { appId: string; reason: string; form: AppRequestForm | null } }
  | { type: 'AppRestored'; data: { appId: string } }
  | { type: 'AppAuthorized'; data: { appId: string } & AppAuthorizationScope }
  | { type: 'AppAuthorizationRevoked'; data: { appId: string } & AppAuthorizationScope }
  | {
      type: 'AppDeregistered';
      data: {
        appId: string;
        backup: { kind: BackupKind; ref: string };
        owningOrgNodeId: string;
        form: AppRequestForm | null;
      };
    };

/** Every App event type, checked exhaustive by the compiler. */
export const APP_EVENT_TYPES = eventTypes<AppEvent>({
  AppAccessRequested: true,
  AppReportsAttached: true,
  AppReportResultRecorded: true,
  AppAccessApproved: true,
  AppAccessRejected: true,
  AppLaunched: true,
  AppTakenOffline: true,
  AppRestored: true,
  AppAuthorized: true,
  AppAuthorizationRevoked: true,
  AppDeregistered: true,
});

export function appStream(appId: string): string {
  return `App-${appId}`;
}

type KnownApp = Exclude<AppState, { status: 'NONE' }>;
const EMPTY_SCOPE: AppAuthorizationScope = { orgNodeIds: [], tagIds: [], personIds: [] };

function known(state: AppState, appId: string): KnownApp {
  if (state.status === 'NONE')
    throw new RuleViolation('APP_NOT_FOUND', 'unprocessable', `接入应用 ${appId} 不存在`, { appId });
  return state;
}

function inStatus(state: AppState, appId: string, allowed: readonly AppStatus[], action: string): KnownApp {
  const app = known(state, appId);
  if (!allowed.includes(app.status)) {
    throw new RuleViolation(
      'APP_WRONG_STATUS',
      'conflict',
      `应用“${app.name}”当前状态为 ${app.status}，不能${action}（须为 ${allowed.join('/')}）`,
      { appId, status: app.status, allowed },
    );
  }
  return app;
}

function text(value: unknown, field: string, max = 200): string {
  const trimmed = typeof value === 'string' ? value.trim() : '';
  if (trimmed === '' || trimmed.length > max)
    throw new RuleViolation('INVALID_APP_FIELD', 'unprocessable', `${field}不能为空，最长 ${max} 个字符`, { field });
  return trimmed;
}

function optionalRef(value: unknown, field: string): string | null {
  if (value === undefined || value === null || value === '') return null;
  return text(value, field, 100);
}

function contact(value: Contact | undefined, field: string): Contact {
  return { name: text(value?.name, `${field}姓名`, 32), phone: text(value?.phone, `${field}电话`, 32) };
}

function url(value: unknown, field: string): string {
  const raw = text(value, field, 500);
  if (!/^https?:\/\/[^\s/$.?#].[^\s]*$/i.test(raw))
    throw new RuleViolation('INVALID_APP_FIELD', 'unprocessable', `${field} ${raw} 不是有效的 http(s) 地址`, { field });
  return raw;
}

function scopeOf(data: Partial<AppAuthorizationScope>): AppAuthorizationScope {
  const ids = (list: readonly string[] | undefined) => [...new Set(list ?? [])].sort();
  return { orgNodeIds: ids(data.orgNodeIds), tagIds: ids(data.tagIds), personIds: ids(data.personIds) };
}

function sizeOf(scope: AppAuthorizationScope): number {
  return scope.orgNodeIds.length + scope.tagIds.length + scope.personIds.length;
}

const REPORT_NAMES: Readonly<Record<ReportKind, string>> = {
  SECURITY_AUDIT: '代码安全审计/安全测评报告',
  CRYPTO_ASSESSMENT: '密评报告',
};
const refOf = (app: AppReports, report: ReportKind) =>
  report === 'SECURITY_AUDIT' ? app.securityAuditReportRef : app.cryptoAssessmentReportRef;

/** The reports that have not passed for the references the app now names (001a:13 上线前…通过). */
function reportsNotPassed(app: KnownApp): string[] {
  return REPORT_KINDS.filter((report) => {
    const recorded = app.reportResults[report];
    return !recorded || recorded.result !== 'PASSED' || recorded.ref !== refOf(app, report);
  }).map((report) => REPORT_NAMES[report]);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}\.[^\s@]{2,63}$/;

function email(value: unknown, field: string): string {
  const raw = text(value, field, 254);
  if (!EMAIL.test(raw))
    throw new RuleViolation('INVALID_APP_FIELD', 'unprocessable', `${field} ${raw} 不是有效的电子邮箱`, { field });
  return raw;
}

function date(value: unknown, field: string): string {
  if (typeof value !== 'string' || !DATE.test(value))
    throw new RuleViolation('INVALID_APP_FIELD', 'unprocessable', `${field}应为 YYYY-MM-DD`, { field });
  return value;
}

/** 附件 1.2–1.4: the form a launch, an offline or a deregistration is asked for on. */
function formOf(value: AppRequestForm | undefined, what: string): AppRequestForm {
  if (!value || typeof value !== 'object')
    throw new RuleViolation('APP_FORM_REQUIRED', 'unprocessable', `须提交${what}申请表（001a 附件 1.2–1.4）`, {
      field: 'form',
    });
  return {
    on: date(value.on, `${what}时间`),
    contact: contact(value.contact, '单位联系人'),
    contactEmail: email(value.contactEmail, '电子邮箱'),
    techLead: contact(value.techLead, '技术负责人'),
    remarks: value.remarks ? text(value.remarks, '备注', 500) : null,
  };
}

function missingReports(app: AppReports): string[] {
  const missing: string[] = [];
  if (!app.securityAuditReportRef) missing.push('代码安全审计/安全测评报告');
  if (!app.cryptoAssessmentReportRef) missing.push('密评报告');
  return missing;
}

export function decide(command: AppCommand, state: AppState): AppEvent[] {
  const { appId } = command.data;
  switch (command.type) {
    case 'RequestAppAccess': {
      const d = command.data;
      if (state.status !== 'NONE')
        throw new RuleViolation('APP_ALREADY_EXISTS', 'conflict', `接入应用 ${appId} 已存在`, { appId });
      if (d.nodeStatus !== 'ACTIVE')
        throw new RuleViolation('ORG_NODE_NOT_ACTIVE', 'conflict', `所属单位 ${d.owningOrgNodeId} 不存在或已撤并`, {
          orgNodeId: d.owningOrgNodeId,
        });
      const modes = [...new Set(d.accessModes ?? [])];
      if (modes.length === 0 || modes.some((m) => !ACCESS_MODES.includes(m))) {
        throw new RuleViolation(
          'INVALID_APP_FIELD',
          'unprocessable',
          `接入方式须为 ${ACCESS_MODES.join('、')} 中的一项或多项`,
          { field: 'accessModes' },
        );
      }
      if (!/^\d{4}-\d{2}-\d{2}$/.test(String(d.expectedDate)))
        throw new RuleViolation('INVALID_APP_FIELD', 'unprocessable', '预计接入日期应为 YYYY-MM-DD', {
          field: 'expectedDate',
        });
      if (typeof d.userIntegration !== 'boolean')
        throw new RuleViolation('INVALID_APP_FIELD', 'unprocessable', '是否进行用户对接须为 true 或 false', {
          field: 'userIntegration',
        });
      return [
        {
          type: 'AppAccessRequested',
          data: {
            appId,
            name: text(d.name, '应用名称', 64),
            owningOrgNodeId: d.owningOrgNodeId,
            description: d.description ? text(d.description, '应用功能简介', 2000) : null,
            scenario: text(d.scenario, '场景说明', 2000),
            vendor: text(d.vendor, '应用开发商', 200),
            contactEmail: email(d.contactEmail, '电子邮箱'),
            contact: contact(d.contact, '联系人'),
            techLead: contact(d.techLead, '技术负责人'),
            accessModes: modes,
            userIntegration: d.userIntegration,
            expectedDate: d.expectedDate,
            securityAuditReportRef: optionalRef(d.securityAuditReportRef, '安全测评报告编号'),
            cryptoAssessmentReportRef: optionalRef(d.cryptoAssessmentReportRef, '密评报告编号'),
            reviewDueOn: d.reviewDueOn,
          },
        },
      ];
    }

    case 'AttachAppReports': {
      const app = inStatus(state, appId, ['REQUESTED'], '补充报告');
      const securityAuditReportRef =
        optionalRef(command.data.securityAuditReportRef, '安全测评报告编号') ?? app.securityAuditReportRef;
      const cryptoAssessmentReportRef =
        optionalRef(command.data.cryptoAssessmentReportRef, '密评报告编号') ?? app.cryptoAssessmentReportRef;
      if (
        securityAuditReportRef === app.securityAuditReportRef &&
        cryptoAssessmentReportRef === app.cryptoAssessmentReportRef
      )
        return [];
      return [{ type: 'AppReportsAttached', data: { appId, securityAuditReportRef, cryptoAssessmentReportRef } }];
    }

    case 'RecordAppReportResult': {
      const app = inStatus(state, appId, ['REQUESTED', 'APPROVED'], '登记测评结果');
      const d = command.data;
      if (!REPORT_KINDS.includes(d.report))
        throw new RuleViolation('INVALID_APP_FIELD', 'unprocessable', `报告类型应为 ${REPORT_KINDS.join('、')} 之一`, {
          field: 'report',
        });
      if (!REPORT_RESULTS.includes(d.result))
        throw new RuleViolation(
          'INVALID_APP_FIELD',
          'unprocessable',
          `测评结论应为 ${REPORT_RESULTS.join('、')} 之一`,
          {
            field: 'result',
          },
        );
      const recorded: ReportResult = {
        ref: text(d.ref, '报告编号', 100),
        result: d.result,
        issuingBody: text(d.issuingBody, '出具机构', 200),
        issuedOn: date(d.issuedOn, '出具日期'),
      };
      if (
        JSON.stringify(app.reportResults[d.report]) === JSON.stringify(recorded) &&
        refOf(app, d.report) === recorded.ref
      )
        return [];
      return [{ type: 'AppReportResultRecorded', data: { appId, report: d.report, ...recorded } }];
    }

    case 'ApproveAppAccess': {
      const app = inStatus(state, appId, ['REQUESTED'], '审核通过');
      const missing = missingReports(app);
      if (missing.length > 0) {
        throw new RuleViolation(
          'APP_REPORTS_MISSING',
          'conflict',
          `缺少${missing.join('和')}，不能同意接入（001a:13）`,
          { appId, missing },
        );
      }
      return [{ type: 'AppAccessApproved', data: { appId, reviewDueOn: app.reviewDueOn } }];
    }

    case 'RejectAppAccess': {
      const app = inStatus(state, appId, ['REQUESTED'], '驳回');
      return [
        {
          type: 'AppAccessRejected',
          data: { appId, reason: text(command.data.reason, '驳回理由', 500), reviewDueOn: app.reviewDueOn },
        },
      ];
    }

    case 'LaunchApp': {
      // 001a:16: only an approved app is put online; 001a:13: once both reports have passed.
      const app = inStatus(state, appId, ['APPROVED'], '上线');
      const notPassed = reportsNotPassed(app);
      if (notPassed.length > 0)
        throw new RuleViolation(
          'APP_REPORTS_NOT_PASSED',
          'conflict',
          `${notPassed.join('和')}尚未登记为通过，应用不能上线（001a:13 上线前须通过系统安全测评和密评）`,
          { appId, notPassed },
        );
      const d = command.data;
      const form = formOf(d.form, '上线');
      return [
        {
          type: 'AppLaunched',
          data: {
            appId,
            shortName: text(d.shortName, '应用简称', 16),
            fullName: text(d.fullName, '应用全称', 64),
            iconUrl: url(d.iconUrl, '图标地址'),
            url: url(d.url, '访问地址'),
            form,
          },
        },
      ];
    }

    case 'TakeAppOffline': {
      inStatus(state, appId, ['ONLINE'], '下线');
      const reason = text(command.data.reason, '下线原因', 500);
      return [{ type: 'AppTakenOffline', data: { appId, reason, form: formOf(command.data.form, '下线') } }];
    }

    case 'RestoreApp':
      inStatus(state, appId, ['OFFLINE'], '恢复上线');
      return [{ type: 'AppRestored', data: { appId } }];

    case 'AuthorizeApp': {
      const app = inStatus(state, appId, ['APPROVED', 'ONLINE', 'OFFLINE'], '授权');
      const wanted = scopeOf(command.data);
      if (sizeOf(wanted) === 0)
        throw new RuleViolation('EMPTY_AUTHORIZATION', 'unprocessable', '授权范围须至少包含一个组织节点、标签或人员', {
          appId,
        });
      const added: AppAuthorizationScope = {
        orgNodeIds: wanted.orgNodeIds.filter((id) => !app.authorizations.orgNodeIds.includes(id)),
        tagIds: wanted.tagIds.filter((id) => !app.authorizations.tagIds.includes(id)),
        personIds: wanted.personIds.filter((id) => !app.authorizations.personIds.includes(id)),
      };
      return sizeOf(added) === 0 ? [] : [{ type: 'AppAuthorized', data: { appId, ...added } }];
    }

    case 'RevokeAppAuthorization': {
      // Allowed after deregistration too: the deregistration policy revokes what is left.
      const app = known(state, appId);
      const wanted = scopeOf(command.data);
      const removed: AppAuthorizationScope = {
        orgNodeIds: wanted.orgNodeIds.filter((id) => app.authorizations.orgNodeIds.includes(id)),
        tagIds: wanted.tagIds.filter((id) => app.authorizations.tagIds.includes(id)),
        personIds: wanted.personIds.filter((id) => app.authorizations.personIds.includes(id)),
      };
      return sizeOf(removed) === 0 ? [] : [{ type: 'AppAuthorizationRevoked', data: { appId, ...removed } }];
    }

    case 'DeregisterApp': {
      if (state.status === 'DEREGISTERED') return [];
      const app = inStatus(state, appId, ['APPROVED', 'ONLINE', 'OFFLINE'], '注销');
      const backup = command.data.backup;
      if (
        !backup ||
        !BACKUP_KINDS.includes(backup.kind) ||
        typeof backup.ref !== 'string' ||
        backup.ref.trim() === ''
      ) {
        // 001a:19: the data is backed up or migrated before the app goes.
        throw new RuleViolation(
          'APP_BACKUP_NOT_CONFIRMED',
          'conflict',
          `注销前须确认已完成数据备份或迁移（001a:19），并注明确认单编号；方式为 ${BACKUP_KINDS.join('、')} 之一`,
          { appId },
        );
      }
      return [
        {
          type: 'AppDeregistered',
          data: {
            appId,
            backup: { kind: backup.kind, ref: text(backup.ref, '备份确认单编号', 100) },
            owningOrgNodeId: app.owningOrgNodeId,
            form: formOf(command.data.form, '注销'),
          },
        },
      ];
    }
  }
}

export function evolve(state: AppState, event: AppEvent): AppState {
  if (event.type === 'AppAccessRequested')
    return { ...event.data, status: 'REQUESTED', listing: null, authorizations: EMPTY_SCOPE, reportResults: {} };
  if (state.status === 'NONE') return state;
  switch (event.type) {
    case 'AppReportsAttached':
      return {
        ...state,
        securityAuditReportRef: event.data.securityAuditReportRef,
        cryptoAssessmentReportRef: event.data.cryptoAssessmentReportRef,
      };
    case 'AppReportResultRecorded': {
      const { appId: _appId, report, ...result } = event.data;
      const refs =
        report === 'SECURITY_AUDIT'
          ? { securityAuditReportRef: result.ref }
          : { cryptoAssessmentReportRef: result.ref };
      return { ...state, ...refs, reportResults: { ...state.reportResults, [report]: result } };
    }
    case 'AppAccessApproved':
      return { ...state, status: 'APPROVED' };
    case 'AppAccessRejected':
      return { ...state, status: 'REJECTED' };
    case 'AppLaunched': {
      const { appId: _appId, form: _form, ...listing } = event.data;
      return { ...state, status: 'ONLINE', listing };
    }
    case 'AppTakenOffline':
      return { ...state, status: 'OFFLINE' };
    case 'AppRestored':
      return { ...state, status: 'ONLINE' };
    case 'AppAuthorized': {
      const a = state.authorizations;
      return {
        ...state,
        authorizations: {
          orgNodeIds: [...a.orgNodeIds, ...event.data.orgNodeIds],
          tagIds: [...a.tagIds, ...event.data.tagIds],
          personIds: [...a.personIds, ...event.data.personIds],
        },
      };
    }
    case 'AppAuthorizationRevoked': {
      const a = state.authorizations;
      const d = event.data;
      return {
        ...state,
        authorizations: {
          orgNodeIds: a.orgNodeIds.filter((id) => !d.orgNodeIds.includes(id)),
          tagIds: a.tagIds.filter((id) => !d.tagIds.includes(id)),
          personIds: a.personIds.filter((id) => !d.personIds.includes(id)),
        },
      };
    }
    case 'AppDeregistered':
      return { ...state, status: 'DEREGISTERED' };
  }
}

export const appRegistrationDecider: Decider<AppCommand, AppEvent, AppState> = {
  initialState: () => ({ status: 'NONE' }),
  decide: (command, state) => decide(command, state),
  evolve,
};
