/**
 * Account (账号, 001b:7): a login of one of four types. System admins, tiered admins (分级管理员)
 * and users belong to a person; a temporary account belongs to an app and its sponsoring unit, and
 * expires. One stream per account: `Account-<id>`. Secrets never enter an event (000:16): a
 * password change is recorded as a fact with its date only.
 *
 * Commands a policy repeats (close, revoke a scope, activate) decide nothing when their end state
 * already holds, so replaying a policy's input changes nothing.
 */
import { eventTypes, type Decider } from '../shared/decider';
import { RuleViolation } from '../shared/domain-error';
import {
  EMPTY_SIGNAL_WINDOW,
  type SignalWindow,
  assertSignal,
  isDuplicateSignal,
  rememberSignal,
} from '../shared/usage-signals';

export const ACCOUNT_TYPES = ['SYSTEM_ADMIN', 'TIERED_ADMIN', 'USER', 'TEMPORARY'] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];
export type AccountStatus = 'PENDING_ACTIVATION' | 'ACTIVE' | 'FROZEN' | 'CLOSED';
export const FREEZE_REASONS = ['DEVICE_LOST', 'SECURITY', 'MISCONDUCT', 'OTHER'] as const;
export type FreezeReason = (typeof FREEZE_REASONS)[number];
export const CLOSE_REASONS = ['PERSON_LEFT', 'EXPIRED', 'APP_DEREGISTERED', 'NO_LONGER_NEEDED', 'OTHER'] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];
/** Read-only roles (000:6): the auditor reads the history, the assessor the assessment; neither changes anything. */
export const READ_ROLES = ['AUDITOR', 'ASSESSOR'] as const;
export type ReadRole = (typeof READ_ROLES)[number];
/** A read-only role over an org subtree, or over the whole jurisdiction (orgNodeId null). */
export interface ReadRoleGrant {
  readonly role: ReadRole;
  readonly orgNodeId: string | null;
}

export type AccountState =
  | { readonly status: 'NONE' }
  | {
      readonly status: AccountStatus;
      readonly accountId: string;
      readonly type: AccountType;
      readonly loginName: string;
      readonly personId: string | null;
      readonly appId: string | null;
      /** TEMPORARY: the unit that sponsors the app's developers. */
      readonly sponsorOrgNodeId: string | null;
      readonly expiresAt: string | null;
      /** TIERED_ADMIN: roots of the subtrees this account administers. */
      readonly adminScope: readonly string[];
      readonly readRoles: readonly ReadRoleGrant[];
      readonly activatedAt: string | null;
      readonly passwordChangedAt: string | null;
      readonly signIns: SignalWindow;
      /** Since when the account is frozen, and when it was closed (null: not, or recorded before schema v2). */
      readonly frozenSince?: string | null;
      readonly closedAt?: string | null;
    };

export type PersonStatusFact = 'NONE' | 'ACTIVE' | 'LEFT';
export interface AppFact {
  readonly status: string;
  readonly owningOrgNodeId: string;
}

export type AccountCommand =
  | {
      type: 'OpenAccount';
      data: {
        accountId: string;
        type: AccountType;
        loginName: string;
        personId?: string | null;
        appId?: string | null;
        expiresAt?: string | null;
        /** Facts the application resolved: the person's status, the app, the longest temporary term. */
        facts: { personStatus?: PersonStatusFact; app?: AppFact | null; maxTemporaryDays: number };
      };
    }
  | { type: 'ActivateAccount'; data: { accountId: string } }
  | { type: 'FreezeAccount'; data: { accountId: string; reason: FreezeReason } }
  | { type: 'UnfreezeAccount'; data: { accountId: string } }
  | { type: 'CloseAccount'; data: { accountId: string; reason: CloseReason } }
  | {
      type: 'GrantAdminScope';
      data: { accountId: string; orgNodeId: string; nodeStatus: 'ACTIVE' | 'DISSOLVED' | 'MERGED' | 'NONE' };
    }
  | { type: 'RevokeAdminScope'; data: { accountId: string; orgNodeId: string } }
  | {
      type: 'GrantReadRole';
      data: ReadRoleGrant & { accountId: string; nodeStatus: 'ACTIVE' | 'DISSOLVED' | 'MERGED' | 'NONE' | null };
    }
  | { type: 'RevokeReadRole'; data: ReadRoleGrant & { accountId: string } }
  | { type: 'RecordSignIn'; data: { accountId: string; signalId: string; at: string; client?: string | null } }
  | { type: 'RecordIdNumberDisclosure'; data: { accountId: string; purpose: string; rows: number } }
  | { type: 'RecordPasswordChange'; data: { accountId: string; at: string } };

export type AccountEvent =
  | {
      type: 'AccountOpened';
      data: {
        accountId: string;
        type: AccountType;
        loginName: string;
        personId: string | null;
        appId: string | null;
        sponsorOrgNodeId: string | null;
        expiresAt: string | null;
      };
    }
  | { type: 'AccountActivated'; data: { accountId: string; at: string } }
  | {
      type: 'AccountFrozen';
      /** Schema v2 (issue 19): `at`, so that usage reported later is judged by the state at its own time. */
      data: {
        accountId: string;
        reason: FreezeReason;
        previousStatus: 'PENDING_ACTIVATION' | 'ACTIVE';
        at: string | null;
      };
    }
  | { type: 'AccountUnfrozen'; data: { accountId: string; status: 'PENDING_ACTIVATION' | 'ACTIVE' } }
  /** Schema v2 (issue 19): `at`, as for AccountFrozen. */
  | {
      type: 'AccountClosed';
      data: { accountId: string; reason: CloseReason; personId: string | null; at: string | null };
    }
  | { type: 'AdminScopeGranted'; data: { accountId: string; orgNodeId: string; personId: string | null } }
  | { type: 'AdminScopeRevoked'; data: { accountId: string; orgNodeId: string; personId: string | null } }
  | { type: 'ReadRoleGranted'; data: ReadRoleGrant & { accountId: string; personId: string | null } }
  | { type: 'ReadRoleRevoked'; data: ReadRoleGrant & { accountId: string; personId: string | null } }
  | {
      type: 'AccountSignedIn';
      data: { accountId: string; signalId: string; at: string; client: string | null; personId: string | null };
    }
  /** A system admin asked for full ID numbers (an export, 000:15): who, what for, how many rows. */
  | { type: 'IdNumbersDisclosed'; data: { accountId: string; personId: string | null; purpose: string; rows: number } }
  | { type: 'AccountPasswordChanged'; data: { accountId: string; at: string; previousChangeAt: string | null } };

/** Every Account event type, checked exhaustive by the compiler. */
export const ACCOUNT_EVENT_TYPES = eventTypes<AccountEvent>({
  AccountOpened: true,
  AccountActivated: true,
  AccountFrozen: true,
  AccountUnfrozen: true,
  AccountClosed: true,
  AdminScopeGranted: true,
  AdminScopeRevoked: true,
  ReadRoleGranted: true,
  ReadRoleRevoked: true,
  AccountSignedIn: true,
  AccountPasswordChanged: true,
  IdNumbersDisclosed: true,
});

export function accountStream(accountId: string): string {
  return `Account-${accountId}`;
}

type OpenedAccount = Exclude<AccountState, { status: 'NONE' }>;

const LOGIN_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{2,63}$/;

function opened(state: AccountState, accountId: string): OpenedAccount {
  if (state.status === 'NONE')
    throw new RuleViolation('ACCOUNT_NOT_FOUND', 'unprocessable', `账号 ${accountId} 不存在`, { accountId });
  return state;
}

function notClosed(state: AccountState, accountId: string): OpenedAccount {
  const account = opened(state, accountId);
  if (account.status === 'CLOSED')
    throw new RuleViolation('ACCOUNT_CLOSED', 'conflict', `账号 ${account.loginName} 已注销，不能再操作`, {
      accountId,
    });
  return account;
}

/**
 * An account id: letters, digits and _ . @ -, never a colon and never starting with "service", so
 * that no account can be taken for a service credential (the gateway, a subscriber).
 */
export const ACCOUNT_ID = /^(?!service)[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/i;

export function isAccountId(value: unknown): value is string {
  return typeof value === 'string' && ACCOUNT_ID.test(value);
}

function decideOpen(
  data: Extract<AccountCommand, { type: 'OpenAccount' }>['data'],
  state: AccountState,
  now: Date,
): AccountEvent[] {
  if (!isAccountId(data.accountId))
    throw new RuleViolation(
      'INVALID_ACCOUNT_ID',
      'unprocessable',
      `账号编号 ${String(data.accountId).slice(0, 64)} 无效：只能由字母、数字和 _ . @ - 组成，不含冒号，且不能以 service 开头`,
      { accountId: data.accountId },
    );
  if (state.status !== 'NONE')
    throw new RuleViolation('ACCOUNT_ALREADY_EXISTS', 'conflict', `账号 ${data.accountId} 已存在`, {
      accountId: data.accountId,
    });
  if (!ACCOUNT_TYPES.includes(data.type))
    throw new RuleViolation(
      'INVALID_ACCOUNT_TYPE',
      'unprocessable',
      `账号类型 ${String(data.type)} 无效，应为 ${ACCOUNT_TYPES.join('、')} 之一`,
      { type: data.type },
    );
  if (typeof data.loginName !== 'string' || !LOGIN_NAME.test(data.loginName)) {
    throw new RuleViolation(
      'INVALID_LOGIN_NAME',
      'unprocessable',
      `登录名 ${String(data.loginName)} 无效：3–64 位字母、数字或 . _ @ -，以字母或数字开头`,
      { loginName: data.loginName },
    );
  }
  const base = { accountId: data.accountId, type: data.type, loginName: data.loginName };
  if (data.type === 'TEMPORARY') {
    // 001b:7: temporary accounts are for an app's third-party developers, for a limited time.
    const app = data.facts.app;
    if (!data.appId || !app)
      throw new RuleViolation('TEMPORARY_ACCOUNT_NEEDS_APP', 'unprocessable', '临时账号须指定所服务的接入应用', {
        appId: data.appId ?? null,
      });
    if (app.status === 'REJECTED' || app.status === 'DEREGISTERED' || app.status === 'NONE') {
      throw new RuleViolation(
        'APP_NOT_ACTIVE',
        'conflict',
        `应用 ${data.appId} 当前状态为 ${app.status}，不能为其开设临时账号`,
        { appId: data.appId, status: app.status },
      );
    }
    const expires = data.expiresAt ? Date.parse(data.expiresAt) : Number.NaN;
    const latest = now.getTime() + data.facts.maxTemporaryDays * 86_400_000;
    if (Number.isNaN(expires) || expires <= now.getTime() || expires > latest) {
      throw new RuleViolation(
        'INVALID_TEMPORARY_EXPIRY',
        'unprocessable',
        `临时账号须设到期时间，且不超过 ${data.facts.maxTemporaryDays} 天`,
        { expiresAt: data.expiresAt ?? null, maxTemporaryDays: data.facts.maxTemporaryDays },
      );
    }
    return [
      {
        type: 'AccountOpened',
        data: {
          ...base,
          personId: null,
          appId: data.appId,
          sponsorOrgNodeId: app.owningOrgNodeId,
          expiresAt: new Date(expires).toISOString(),
        },
      },
    ];
  }
  if (!data.personId)
    throw new RuleViolation('ACCOUNT_NEEDS_PERSON', 'unprocessable', '管理员和用户账号须对应一名实名人员', {});
  if (data.facts.personStatus !== 'ACTIVE') {
    throw new RuleViolation('PERSON_NOT_ACTIVE', 'conflict', `人员 ${data.personId} 不是在职人员，不能开设账号`, {
      personId: data.personId,
      status: data.facts.personStatus ?? 'NONE',
    });
  }
  return [
    {
      type: 'AccountOpened',
      data: { ...base, personId: data.personId, appId: null, sponsorOrgNodeId: null, expiresAt: null },
    },
  ];
}

function sameGrant(a: ReadRoleGrant, b: ReadRoleGrant): boolean {
  return a.role === b.role && a.orgNodeId === b.orgNodeId;
}

function decideGrantReadRole(
  data: Extract<AccountCommand, { type: 'GrantReadRole' }>['data'],
  account: OpenedAccount,
): AccountEvent[] {
  const { accountId, role, orgNodeId } = data;
  if (!READ_ROLES.includes(role))
    throw new RuleViolation(
      'INVALID_READ_ROLE',
      'unprocessable',
      `只读角色 ${String(role)} 无效，应为 ${READ_ROLES.join('、')} 之一`,
      { role },
    );
  // A read role is a person's duty (审计、考核人员); a system admin reads everything already.
  if (account.type !== 'USER' && account.type !== 'TIERED_ADMIN')
    throw new RuleViolation(
      'READ_ROLE_NOT_APPLICABLE',
      'unprocessable',
      `只读角色只能授予用户或分级管理员账号，账号 ${account.loginName} 不适用`,
      { accountId, type: account.type },
    );
  if (orgNodeId !== null && data.nodeStatus !== 'ACTIVE')
    throw new RuleViolation(
      'ORG_NODE_NOT_ACTIVE',
      'conflict',
      `组织节点 ${orgNodeId} 不存在或已撤并，不能作为查看范围`,
      {
        orgNodeId,
      },
    );
  if (account.readRoles.some((grant) => sameGrant(grant, { role, orgNodeId }))) return [];
  return [{ type: 'ReadRoleGranted', data: { accountId, role, orgNodeId, personId: account.personId } }];
}

export function decide(command: AccountCommand, state: AccountState, now: Date): AccountEvent[] {
  const { accountId } = command.data;
  switch (command.type) {
    case 'OpenAccount':
      return decideOpen(command.data, state, now);

    case 'ActivateAccount': {
      const account = notClosed(state, accountId);
      if (account.status === 'ACTIVE') return [];
      if (account.status === 'FROZEN')
        throw new RuleViolation('ACCOUNT_FROZEN', 'conflict', `账号 ${account.loginName} 已冻结，须先解冻`, {
          accountId,
        });
      return [{ type: 'AccountActivated', data: { accountId, at: now.toISOString() } }];
    }

    case 'FreezeAccount': {
      const account = notClosed(state, accountId);
      if (!FREEZE_REASONS.includes(command.data.reason)) {
        throw new RuleViolation(
          'INVALID_FREEZE_REASON',
          'unprocessable',
          `冻结原因 ${String(command.data.reason)} 无效，应为 ${FREEZE_REASONS.join('、')} 之一`,
          { reason: command.data.reason },
        );
      }
      if (account.status === 'FROZEN') return [];
      return [
        {
          type: 'AccountFrozen',
          data: {
            accountId,
            reason: command.data.reason,
            previousStatus: account.activatedAt ? 'ACTIVE' : 'PENDING_ACTIVATION',
            at: now.toISOString(),
          },
        },
      ];
    }

    case 'UnfreezeAccount': {
      const account = notClosed(state, accountId);
      if (account.status !== 'FROZEN')
        throw new RuleViolation('ACCOUNT_NOT_FROZEN', 'conflict', `账号 ${account.loginName} 未被冻结`, {
          accountId,
          status: account.status,
        });
      return [
        { type: 'AccountUnfrozen', data: { accountId, status: account.activatedAt ? 'ACTIVE' : 'PENDING_ACTIVATION' } },
      ];
    }

    case 'CloseAccount': {
      const account = opened(state, accountId);
      if (!CLOSE_REASONS.includes(command.data.reason)) {
        throw new RuleViolation(
          'INVALID_CLOSE_REASON',
          'unprocessable',
          `注销原因 ${String(command.data.reason)} 无效，应为 ${CLOSE_REASONS.join('、')} 之一`,
          { reason: command.data.reason },
        );
      }
      if (account.status === 'CLOSED') return [];
      // Scopes and roles end with the account, each as its own event so that the audit trail shows them.
      return [
        ...account.adminScope.map((orgNodeId): AccountEvent => ({
          type: 'AdminScopeRevoked',
          data: { accountId, orgNodeId, personId: account.personId },
        })),
        ...account.readRoles.map((grant): AccountEvent => ({
          type: 'ReadRoleRevoked',
          data: { accountId, ...grant, personId: account.personId },
        })),
        {
          type: 'AccountClosed',
          data: { accountId, reason: command.data.reason, personId: account.personId, at: now.toISOString() },
        },
      ];
    }

    case 'GrantAdminScope': {
      const account = notClosed(state, accountId);
      if (account.type !== 'TIERED_ADMIN') {
        throw new RuleViolation(
          'NOT_A_TIERED_ADMIN_ACCOUNT',
          'unprocessable',
          `账号 ${account.loginName} 不是分级管理员账号，不能授予管理范围`,
          { accountId, type: account.type },
        );
      }
      if (command.data.nodeStatus !== 'ACTIVE') {
        throw new RuleViolation(
          'ORG_NODE_NOT_ACTIVE',
          'conflict',
          `组织节点 ${command.data.orgNodeId} 不存在或已撤并，不能作为管理范围`,
          { orgNodeId: command.data.orgNodeId },
        );
      }
      if (account.adminScope.includes(command.data.orgNodeId)) return [];
      return [
        {
          type: 'AdminScopeGranted',
          data: { accountId, orgNodeId: command.data.orgNodeId, personId: account.personId },
        },
      ];
    }

    case 'RevokeAdminScope': {
      const account = opened(state, accountId);
      if (!account.adminScope.includes(command.data.orgNodeId)) return [];
      return [
        {
          type: 'AdminScopeRevoked',
          data: { accountId, orgNodeId: command.data.orgNodeId, personId: account.personId },
        },
      ];
    }

    case 'GrantReadRole':
      return decideGrantReadRole(command.data, notClosed(state, accountId));

    case 'RevokeReadRole': {
      const account = opened(state, accountId);
      const { role, orgNodeId } = command.data;
      if (!account.readRoles.some((grant) => sameGrant(grant, { role, orgNodeId }))) return [];
      return [{ type: 'ReadRoleRevoked', data: { accountId, role, orgNodeId, personId: account.personId } }];
    }

    case 'RecordIdNumberDisclosure': {
      const account = opened(state, accountId);
      // Only a system admin sees full ID numbers, and only by asking (000:15); the request is the record.
      if (account.type !== 'SYSTEM_ADMIN' || account.status !== 'ACTIVE')
        throw new RuleViolation('SYSTEM_ADMIN_ONLY', 'forbidden', '完整身份证号只能由在用的系统管理员账号申请查看', {
          accountId,
        });
      const { purpose, rows } = command.data;
      return [{ type: 'IdNumbersDisclosed', data: { accountId, personId: account.personId, purpose, rows } }];
    }

    case 'RecordSignIn': {
      const account = opened(state, accountId);
      assertSignal(command.data.signalId, command.data.at, now);
      // Judged by the account's state at the sign-in's own time: one reported after a freeze or a
      // closing but made before it is exactly what 000:17's check for leaks needs.
      const madeBefore = (since: string | null | undefined) =>
        since != null && Date.parse(command.data.at) < Date.parse(since);
      if (account.status === 'CLOSED' && !madeBefore(account.closedAt))
        throw new RuleViolation('ACCOUNT_CLOSED', 'conflict', `账号 ${account.loginName} 已注销，此后的登录不予记录`, {
          accountId,
        });
      if (account.status === 'FROZEN' && !madeBefore(account.frozenSince))
        throw new RuleViolation(
          'ACCOUNT_FROZEN',
          'conflict',
          `账号 ${account.loginName} 已冻结，冻结后的登录不予记录`,
          {
            accountId,
          },
        );
      if (isDuplicateSignal(account.signIns, command.data.signalId, command.data.at)) return [];
      const signedIn: AccountEvent = {
        type: 'AccountSignedIn',
        data: {
          accountId,
          signalId: command.data.signalId,
          at: command.data.at,
          client: command.data.client ?? null,
          personId: account.personId,
        },
      };
      // 000:9: an account is activated by its first sign-in.
      return account.status === 'PENDING_ACTIVATION'
        ? [signedIn, { type: 'AccountActivated', data: { accountId, at: command.data.at } }]
        : [signedIn];
    }

    case 'RecordPasswordChange': {
      const account = notClosed(state, accountId);
      if (Number.isNaN(Date.parse(command.data.at)))
        throw new RuleViolation('INVALID_SIGNAL_TIME', 'unprocessable', `时间 ${String(command.data.at)} 无效`, {
          at: command.data.at,
        });
      if (account.passwordChangedAt === command.data.at) return [];
      return [
        {
          type: 'AccountPasswordChanged',
          data: { accountId, at: command.data.at, previousChangeAt: account.passwordChangedAt },
        },
      ];
    }
  }
}

export function evolve(state: AccountState, event: AccountEvent): AccountState {
  if (event.type === 'AccountOpened') {
    return {
      ...event.data,
      status: 'PENDING_ACTIVATION',
      adminScope: [],
      readRoles: [],
      activatedAt: null,
      passwordChangedAt: null,
      signIns: EMPTY_SIGNAL_WINDOW,
    };
  }
  if (state.status === 'NONE') return state;
  switch (event.type) {
    case 'AccountActivated':
      return { ...state, status: 'ACTIVE', activatedAt: event.data.at };
    case 'AccountFrozen':
      return { ...state, status: 'FROZEN', frozenSince: event.data.at };
    case 'AccountUnfrozen':
      return { ...state, status: event.data.status, frozenSince: null };
    case 'AccountClosed':
      return { ...state, status: 'CLOSED', adminScope: [], readRoles: [], closedAt: event.data.at };
    case 'AdminScopeGranted':
      return { ...state, adminScope: [...state.adminScope, event.data.orgNodeId] };
    case 'AdminScopeRevoked':
      return { ...state, adminScope: state.adminScope.filter((id) => id !== event.data.orgNodeId) };
    case 'ReadRoleGranted':
      return { ...state, readRoles: [...state.readRoles, { role: event.data.role, orgNodeId: event.data.orgNodeId }] };
    case 'ReadRoleRevoked':
      return { ...state, readRoles: state.readRoles.filter((grant) => !sameGrant(grant, event.data)) };
    case 'AccountSignedIn':
      return { ...state, signIns: rememberSignal(state.signIns, event.data.signalId, event.data.at) };
    case 'AccountPasswordChanged':
      return { ...state, passwordChangedAt: event.data.at };
    case 'IdNumbersDisclosed':
      return state;
  }
}

export const accountDecider: Decider<AccountCommand, AccountEvent, AccountState> = {
  initialState: () => ({ status: 'NONE' }),
  decide: (command, state, context) => decide(command, state, context.now),
  evolve,
};
