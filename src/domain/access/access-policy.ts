/**
 * Who may do what (000:6 least privilege, 001b:5-7): decided from the acting account alone and the
 * position of what a command touches in the org tree. Pure: the application resolves the account,
 * the nodes' paths and the owners; this module only judges.
 *
 * - System admins (区政务办 指定人员): everything.
 * - Tiered admins (分级管理员): what lies inside their admin scope. Org-structure changes are
 *   further limited to nodes below the managed-level boundary: the root down to level 3 is kept by
 *   the district office (001b:5); the boundary is configuration.
 * - Users: what concerns themselves (their contact requests, their office phone where the
 *   jurisdiction allows it, the work groups they own or run).
 * - Auditors and assessors (read-only roles a system admin grants, over a subtree or the whole
 *   jurisdiction): the history, or the assessment, of what lies in their scope; tiered admins
 *   read the assessment of their own scope.
 * - Temporary accounts: their own app's integration reads, nothing else.
 * - The gateway (a service, not an account): usage-signal ingestion only.
 * - Frozen, closed or not yet activated accounts: nothing.
 */
import type { AccountState, AccountType, ReadRole } from '../account/account.decider';
import { RuleViolation } from '../shared/domain-error';

export type Principal =
  | { readonly kind: 'ACCOUNT'; readonly account: Exclude<AccountState, { status: 'NONE' }> }
  | { readonly kind: 'SERVICE'; readonly name: string };

/** Where a node sits: ids from the root down to the node itself, and its level (root = 0). */
export interface NodePosition {
  readonly orgNodeId: string;
  readonly path: readonly string[];
  readonly level: number;
}

export type Permission =
  | { readonly kind: 'AUTHENTICATED' }
  | { readonly kind: 'SYSTEM_ADMINISTRATION'; readonly action: string }
  /** Creating, renaming, moving… nodes: scope and the managed-level boundary. */
  | { readonly kind: 'ORG_STRUCTURE'; readonly action: string; readonly nodes: readonly NodePosition[] }
  /** Managing people, accounts, apps, groups of a unit: scope only. */
  | { readonly kind: 'UNIT_MANAGEMENT'; readonly action: string; readonly nodes: readonly NodePosition[] }
  | {
      readonly kind: 'SELF';
      readonly action: string;
      readonly personId?: string | null;
      readonly accountId?: string | null;
    }
  | {
      readonly kind: 'GROUP_ROLE';
      readonly action: string;
      readonly ownerId: string | null;
      readonly adminIds: readonly string[];
      readonly ownerOnly: boolean;
    }
  | { readonly kind: 'APP_INTEGRATION'; readonly appId: string }
  /** Reading the history (AUDITOR) or the assessment (ASSESSOR); the scope is `readScopeOf`. */
  | { readonly kind: 'READ_ROLE'; readonly role: ReadRole; readonly action: string }
  | { readonly kind: 'GATEWAY' }
  /** Scraping the operational metrics: the metrics service credential, or a system admin. */
  | { readonly kind: 'METRICS' }
  /** Reading the published events: system admins, or the service credential of the subscription read. */
  | { readonly kind: 'EVENT_STREAM'; readonly subscriptionId: string | null }
  | { readonly kind: 'ANY_OF'; readonly options: readonly Permission[] };

export class AccessDenied extends RuleViolation {
  constructor(
    code: string,
    message: string,
    details: Readonly<Record<string, unknown>> = {},
    /** The permission does not concern this kind of account at all (a less telling reason). */
    readonly roleMismatch = false,
  ) {
    super(code, 'forbidden', message, details);
  }
}

const TYPE_NAMES: Record<AccountType, string> = {
  SYSTEM_ADMIN: '系统管理员',
  TIERED_ADMIN: '分级管理员',
  USER: '用户',
  TEMPORARY: '临时',
};
const STATUS_NAMES = { PENDING_ACTIVATION: '尚未激活', FROZEN: '已冻结', CLOSED: '已注销' } as const;

const ROLE_NAMES: Record<ReadRole, string> = { AUDITOR: '审计', ASSESSOR: '考核' };

/**
 * The subtrees an account reads for a read-only role: null for the whole jurisdiction (system
 * admins, a grant without a node), [] for none. Tiered admins read the assessment of their scope.
 */
export function readScopeOf(account: Exclude<AccountState, { status: 'NONE' }>, role: ReadRole): string[] | null {
  if (account.type === 'SYSTEM_ADMIN') return null;
  const grants = account.readRoles.filter((grant) => grant.role === role);
  if (grants.some((grant) => grant.orgNodeId === null)) return null;
  const own = role === 'ASSESSOR' && account.type === 'TIERED_ADMIN' ? account.adminScope : [];
  return [...new Set([...own, ...grants.map((grant) => grant.orgNodeId as string)])];
}

/** Whether a node whose path from the root is `path` lies in an admin scope (the subtrees of its nodes). */
export function withinScope(scope: readonly string[], path: readonly string[]): boolean {
  return path.some((id) => scope.includes(id));
}

function check(principal: Principal, permission: Permission, boundaryLevel: number): AccessDenied | null {
  if (permission.kind === 'ANY_OF') {
    const denials = permission.options.map((option) => check(principal, option, boundaryLevel));
    if (denials.some((d) => d === null)) return null;
    const telling = denials.find((d) => d !== null && !d.roleMismatch);
    return telling ?? denials[0] ?? new AccessDenied('NOT_PERMITTED', '无权执行此操作');
  }
  if (principal.kind === 'SERVICE') {
    if (permission.kind === 'GATEWAY' && principal.name === 'gateway') return null;
    if (permission.kind === 'METRICS' && principal.name === 'metrics') return null;
    if (
      permission.kind === 'EVENT_STREAM' &&
      permission.subscriptionId !== null &&
      principal.name === `subscriber-${permission.subscriptionId}`
    )
      return null;
    if (permission.kind === 'EVENT_STREAM') {
      return new AccessDenied(
        'NOT_PERMITTED',
        `服务凭证 ${principal.name} 只能读取订阅 ${principal.name.replace(/^subscriber-/, '')} 的事件（请带 subscription 参数）`,
        { service: principal.name },
        true,
      );
    }
    return new AccessDenied(
      'NOT_PERMITTED',
      `服务凭证 ${principal.name} 只能用于上报使用数据`,
      { service: principal.name },
      true,
    );
  }
  const account = principal.account;
  if (permission.kind === 'GATEWAY') return new AccessDenied('GATEWAY_ONLY', '使用数据只能由平台网关上报', {}, true);
  if (permission.kind === 'AUTHENTICATED') return null;
  if (permission.kind === 'METRICS')
    return account.type === 'SYSTEM_ADMIN'
      ? null
      : new AccessDenied('NOT_PERMITTED', '运行指标仅向指标服务凭证（metrics）和系统管理员开放', {}, true);
  const who = `${TYPE_NAMES[account.type]}账号 ${account.loginName}`;

  switch (permission.kind) {
    case 'EVENT_STREAM':
    case 'SYSTEM_ADMINISTRATION':
      return account.type === 'SYSTEM_ADMIN'
        ? null
        : new AccessDenied(
            'SYSTEM_ADMIN_ONLY',
            `${permission.kind === 'EVENT_STREAM' ? '读取对外发布的事件' : permission.action}须由系统管理员办理，${who} 无此权限`,
            { action: permission.kind === 'EVENT_STREAM' ? 'EVENT_STREAM' : permission.action },
            account.type !== 'TIERED_ADMIN',
          );

    case 'ORG_STRUCTURE':
    case 'UNIT_MANAGEMENT': {
      if (account.type === 'SYSTEM_ADMIN') return null;
      if (account.type !== 'TIERED_ADMIN')
        return new AccessDenied(
          'ADMIN_ONLY',
          `${permission.action}须由管理员办理，${who} 无此权限`,
          { action: permission.action },
          true,
        );
      const outside = permission.nodes.find((node) => !withinScope(account.adminScope, node.path));
      if (outside) {
        return new AccessDenied(
          'OUTSIDE_ADMIN_SCOPE',
          `组织节点 ${outside.orgNodeId} 不在 ${who} 的管理范围内，不能${permission.action}`,
          { orgNodeId: outside.orgNodeId, adminScope: account.adminScope },
        );
      }
      if (permission.kind === 'ORG_STRUCTURE') {
        const above = permission.nodes.find((node) => node.level <= boundaryLevel);
        if (above) {
          return new AccessDenied(
            'ABOVE_MANAGED_LEVEL',
            `根节点至${boundaryLevel}级节点由系统管理员统一维护（001b:5），节点 ${above.orgNodeId}（第 ${above.level} 级）不能由分级管理员${permission.action}`,
            { orgNodeId: above.orgNodeId, level: above.level, boundaryLevel },
          );
        }
      }
      return null;
    }

    case 'SELF': {
      const mine =
        (permission.personId != null && permission.personId === account.personId) ||
        (permission.accountId != null && permission.accountId === account.accountId);
      if (account.type === 'TEMPORARY')
        return new AccessDenied('TEMPORARY_ACCOUNT_LIMITED', '临时账号只能调用所属应用的对接接口', {}, true);
      return mine
        ? null
        : new AccessDenied(
            'NOT_YOUR_OWN',
            `只能为本人${permission.action}`,
            { action: permission.action },
            account.type !== 'USER',
          );
    }

    case 'GROUP_ROLE': {
      if (account.type === 'TEMPORARY' || account.personId === null)
        return new AccessDenied('TEMPORARY_ACCOUNT_LIMITED', '临时账号只能调用所属应用的对接接口', {}, true);
      const isOwner = permission.ownerId === account.personId;
      const isAdmin = permission.adminIds.includes(account.personId);
      if (isOwner || (!permission.ownerOnly && isAdmin)) return null;
      return new AccessDenied(
        permission.ownerOnly ? 'GROUP_OWNER_ONLY' : 'GROUP_ADMIN_ONLY',
        `只有群主${permission.ownerOnly ? '' : '或群管理员'}可以${permission.action}`,
        { action: permission.action },
      );
    }

    case 'READ_ROLE': {
      const scope = readScopeOf(account, permission.role);
      if (scope === null || scope.length > 0) return null;
      return new AccessDenied(
        'READ_ROLE_REQUIRED',
        `${permission.action}须由系统管理员或${ROLE_NAMES[permission.role]}人员办理，${who} 未被授予${ROLE_NAMES[permission.role]}角色`,
        { action: permission.action, role: permission.role },
        account.type === 'TEMPORARY',
      );
    }

    case 'APP_INTEGRATION':
      if (account.type === 'TEMPORARY' && account.appId === permission.appId) return null;
      return new AccessDenied(
        'NOT_PERMITTED',
        `只有应用 ${permission.appId} 的临时账号可以调用其对接接口`,
        { appId: permission.appId },
        account.type !== 'TEMPORARY',
      );
  }
}

/** Throws AccessDenied (403) naming the reason, or returns when the principal may go ahead. */
export function authorize(principal: Principal, permission: Permission, boundaryLevel: number, now: Date): void {
  if (principal.kind === 'ACCOUNT' && principal.account.status !== 'ACTIVE') {
    const status = principal.account.status;
    throw new AccessDenied(
      'ACCOUNT_NOT_ACTIVE',
      `账号 ${principal.account.loginName} ${STATUS_NAMES[status]}，不能办理任何业务`,
      { accountId: principal.account.accountId, status },
    );
  }
  const expiresAt = principal.kind === 'ACCOUNT' ? principal.account.expiresAt : null;
  if (expiresAt !== null && Date.parse(expiresAt) <= now.getTime()) {
    // Closing at expiry is the scheduler's job; until it has run, an expired account is refused here.
    throw new AccessDenied('ACCOUNT_EXPIRED', `临时账号已于 ${expiresAt} 到期，不能办理任何业务`, { expiresAt });
  }
  const denial = check(principal, permission, boundaryLevel);
  if (denial) throw denial;
}
