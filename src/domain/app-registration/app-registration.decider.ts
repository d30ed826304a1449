/**
 * AppRegistration (应用接入, 001a:13-19 and its forms 附件 1.1–1.4):
 *
 *   REQUESTED → APPROVED | REJECTED → ONLINE ⇄ OFFLINE → DEREGISTERED
 *
 * Approval needs both the code-security audit report and the 密评 (commercial cryptography
 * assessment) report (001a:13); reports missing at request time are attached later. The review is
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

export interface AppRequest extends AppReports {
  readonly appId: string;
  readonly name: string;
  readonly owningOrgNodeId: string;
  readonly description: string | null;
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
    });

export type AppCommand =
  | {
      type: 'RequestAppAccess';
      data: Omit<AppRequest, 'description' | 'securityAuditReportRef' | 'cryptoAssessmentReportRef'> &
        Partial<AppReports> & { description?: string | null; reviewDueOn: string; nodeStatus: string };
    }
  | { type: 'AttachAppReports'; data: { appId: string } & Partial<AppReports> }
  | { type: 'ApproveAppAccess'; data: { appId: string } }
  | { type: 'RejectAppAccess'; data: { appId: string; reason: string } }
  | { type: 'LaunchApp'; data: { appId: string } & AppListing }
  | { type: 'TakeAppOffline'; data: { appId: string; reason: string } }
  | { type: 'RestoreApp'; data: { appId: string } }
  | { type: 'AuthorizeApp'; data: { appId: string } & Partial<AppAuthorizationScope> }
  | { type: 'RevokeAppAuthorization'; data: { appId: string } & Partial<AppAuthorizationScope> }
  | { type: 'DeregisterApp'; data: { appId: string; backup: { kind: BackupKind; ref: string } | null } };

export type AppEvent =
  | { type: 'AppAccessRequested'; data: AppRequest & { reviewDueOn: string } }
  | { type: 'AppReportsAttached'; data: { appId: string } & AppReports }
  | { type: 'AppAccessApproved'; data: { appId: string; reviewDueOn: string } }
  | { type: 'AppAccessRejected'; data: { appId: string; reason: string; reviewDueOn: string } }
  | { type: 'AppLaunched'; data: { appId: string } & AppListing }
  | { type: 'AppTakenOffline'; data: { appId: string; reason: string } }
  | { type: 'AppRestored'; data: { appId: string } }
  | { type: 'AppAuthorized'; data: { appId: string } & AppAuthorizationScope }
  | { type: 'AppAuthorizationRevoked'; data: { appId: string } & AppAuthorizationScope }
  | {
      type: 'AppDeregistered';
      data: { appId: string; backup: { kind: BackupKind; ref: string }; owningOrgNodeId: string };
    };

/** Every App event type, checked exhaustive by the compiler. */
export const APP_EVENT_TYPES = eventTypes<AppEvent>({
  AppAccessRequested: true,
  AppReportsAttached: true,
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
      // 001a:16: only an approved app is put online.
      inStatus(state, appId, ['APPROVED'], '上线');
      const d = command.data;
      return [
        {
          type: 'AppLaunched',
          data: {
            appId,
            shortName: text(d.shortName, '应用简称', 16),
            fullName: text(d.fullName, '应用全称', 64),
            iconUrl: url(d.iconUrl, '图标地址'),
            url: url(d.url, '访问地址'),
          },
        },
      ];
    }

    case 'TakeAppOffline':
      inStatus(state, appId, ['ONLINE'], '下线');
      return [{ type: 'AppTakenOffline', data: { appId, reason: text(command.data.reason, '下线原因', 500) } }];

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
          },
        },
      ];
    }
  }
}

export function evolve(state: AppState, event: AppEvent): AppState {
  if (event.type === 'AppAccessRequested')
    return { ...event.data, status: 'REQUESTED', listing: null, authorizations: EMPTY_SCOPE };
  if (state.status === 'NONE') return state;
  switch (event.type) {
    case 'AppReportsAttached':
      return {
        ...state,
        securityAuditReportRef: event.data.securityAuditReportRef,
        cryptoAssessmentReportRef: event.data.cryptoAssessmentReportRef,
      };
    case 'AppAccessApproved':
      return { ...state, status: 'APPROVED' };
    case 'AppAccessRejected':
      return { ...state, status: 'REJECTED' };
    case 'AppLaunched': {
      const { appId: _appId, ...listing } = event.data;
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
