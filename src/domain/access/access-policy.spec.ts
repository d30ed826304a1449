import type { AccountState, AccountType } from '../account/account.decider';
import { EMPTY_SIGNAL_WINDOW } from '../shared/usage-signals';
import {
  AccessDenied,
  type NodePosition,
  type Permission,
  type Principal,
  authorize,
  readScopeOf,
} from './access-policy';

const NOW = new Date('2025-03-03T02:00:00Z');
const BOUNDARY = 3;
function account(type: AccountType, over: Partial<Exclude<AccountState, { status: 'NONE' }>> = {}): Principal {
  return {
    kind: 'ACCOUNT',
    account: {
      status: 'ACTIVE',
      accountId: `a-${type}`,
      type,
      loginName: type.toLowerCase(),
      personId: type === 'TEMPORARY' ? null : 'me',
      appId: type === 'TEMPORARY' ? 'app1' : null,
      sponsorOrgNodeId: null,
      expiresAt: null,
      adminScope: type === 'TIERED_ADMIN' ? ['edu'] : [],
      readRoles: [],
      activatedAt: '2025-01-01',
      passwordChangedAt: null,
      signIns: EMPTY_SIGNAL_WINDOW,
      ...over,
    },
  };
}
// root(0) › gov(1) › agencies(2) › edu(3) › office(4); health(3) beside edu.
const edu: NodePosition = { orgNodeId: 'edu', path: ['root', 'gov', 'agencies', 'edu'], level: 3 };
const office: NodePosition = { orgNodeId: 'office', path: [...edu.path, 'office'], level: 4 };
const health: NodePosition = { orgNodeId: 'health', path: ['root', 'gov', 'agencies', 'health'], level: 3 };

function outcome(principal: Principal, permission: Permission): string {
  try {
    authorize(principal, permission, BOUNDARY, NOW);
    return 'allowed';
  } catch (error) {
    expect(error).toBeInstanceOf(AccessDenied);
    return (error as AccessDenied).code;
  }
}

describe('access policy (000:6, 001b:5-7)', () => {
  it('org structure: tiered admins inside their scope and below the boundary only', () => {
    const structure = (node: NodePosition): Permission => ({
      kind: 'ORG_STRUCTURE',
      action: '调整组织节点',
      nodes: [node],
    });
    expect(outcome(account('SYSTEM_ADMIN'), structure(edu))).toBe('allowed');
    expect(outcome(account('TIERED_ADMIN'), structure(office))).toBe('allowed');
    expect(outcome(account('TIERED_ADMIN'), structure(edu))).toBe('ABOVE_MANAGED_LEVEL');
    expect(outcome(account('TIERED_ADMIN'), structure(health))).toBe('OUTSIDE_ADMIN_SCOPE');
    expect(outcome(account('USER'), structure(office))).toBe('ADMIN_ONLY');
    expect(outcome(account('TEMPORARY'), structure(office))).toBe('ADMIN_ONLY');
  });

  it('unit management: scope only, the unit itself included', () => {
    const manage: Permission = { kind: 'UNIT_MANAGEMENT', action: '管理人员', nodes: [edu] };
    expect(outcome(account('TIERED_ADMIN'), manage)).toBe('allowed');
    expect(outcome(account('TIERED_ADMIN'), { ...manage, nodes: [edu, health] })).toBe('OUTSIDE_ADMIN_SCOPE');
  });

  it('self-service for users; the telling reason wins in an ANY_OF', () => {
    const selfOrAdmin: Permission = {
      kind: 'ANY_OF',
      options: [
        { kind: 'UNIT_MANAGEMENT', action: '修改办公电话', nodes: [health] },
        { kind: 'SELF', action: '修改办公电话', personId: 'me' },
      ],
    };
    expect(outcome(account('USER'), selfOrAdmin)).toBe('allowed');
    expect(outcome(account('USER', { personId: 'other' }), selfOrAdmin)).toBe('NOT_YOUR_OWN');
    expect(outcome(account('TIERED_ADMIN', { personId: 'other' }), selfOrAdmin)).toBe('OUTSIDE_ADMIN_SCOPE');
  });

  it('group roles, app integration, gateway', () => {
    expect(
      outcome(account('USER'), {
        kind: 'GROUP_ROLE',
        action: '添加成员',
        ownerId: 'x',
        adminIds: ['me'],
        ownerOnly: false,
      }),
    ).toBe('allowed');
    expect(
      outcome(account('USER'), {
        kind: 'GROUP_ROLE',
        action: '解散工作群',
        ownerId: 'x',
        adminIds: ['me'],
        ownerOnly: true,
      }),
    ).toBe('GROUP_OWNER_ONLY');
    expect(outcome(account('TEMPORARY'), { kind: 'APP_INTEGRATION', appId: 'app1' })).toBe('allowed');
    expect(outcome(account('TEMPORARY'), { kind: 'APP_INTEGRATION', appId: 'app2' })).toBe('NOT_PERMITTED');
    expect(outcome({ kind: 'SERVICE', name: 'gateway' }, { kind: 'GATEWAY' })).toBe('allowed');
    expect(outcome({ kind: 'SERVICE', name: 'gateway' }, { kind: 'SYSTEM_ADMINISTRATION', action: 'x' })).toBe(
      'NOT_PERMITTED',
    );
    expect(outcome(account('SYSTEM_ADMIN'), { kind: 'GATEWAY' })).toBe('GATEWAY_ONLY');
  });

  it('read-only roles: system admins read everything; auditors and assessors their scope; tiered admins their own assessment', () => {
    const audit: Permission = { kind: 'READ_ROLE', role: 'AUDITOR', action: '查询审计记录' };
    const assess: Permission = { kind: 'READ_ROLE', role: 'ASSESSOR', action: '查看考核报告' };
    const auditor = account('USER', { readRoles: [{ role: 'AUDITOR', orgNodeId: 'edu' }] });
    const wholeAssessor = account('USER', { readRoles: [{ role: 'ASSESSOR', orgNodeId: null }] });
    expect(outcome(account('SYSTEM_ADMIN'), audit)).toBe('allowed');
    expect(outcome(auditor, audit)).toBe('allowed');
    expect(outcome(auditor, assess)).toBe('READ_ROLE_REQUIRED');
    expect(outcome(account('USER'), audit)).toBe('READ_ROLE_REQUIRED');
    expect(outcome(account('TIERED_ADMIN'), audit)).toBe('READ_ROLE_REQUIRED');
    expect(outcome(account('TIERED_ADMIN'), assess)).toBe('allowed');
    expect(outcome(account('TEMPORARY'), assess)).toBe('READ_ROLE_REQUIRED');
    expect(outcome({ kind: 'SERVICE', name: 'gateway' }, audit)).toBe('NOT_PERMITTED');
    expect(
      outcome(account('USER', { status: 'FROZEN', readRoles: [{ role: 'AUDITOR', orgNodeId: null }] }), audit),
    ).toBe('ACCOUNT_NOT_ACTIVE');
    const scope = (p: Principal, role: 'AUDITOR' | 'ASSESSOR') =>
      p.kind === 'ACCOUNT' ? readScopeOf(p.account, role) : undefined;
    expect(scope(account('SYSTEM_ADMIN'), 'AUDITOR')).toBeNull();
    expect(scope(wholeAssessor, 'ASSESSOR')).toBeNull();
    expect(scope(auditor, 'AUDITOR')).toEqual(['edu']);
    expect(
      scope(account('TIERED_ADMIN', { readRoles: [{ role: 'ASSESSOR', orgNodeId: 'health' }] }), 'ASSESSOR'),
    ).toEqual(['edu', 'health']);
    expect(scope(account('TIERED_ADMIN'), 'AUDITOR')).toEqual([]);
  });

  it('frozen, closed, unactivated and expired accounts may do nothing', () => {
    const anything: Permission = { kind: 'AUTHENTICATED' };
    expect(outcome(account('SYSTEM_ADMIN', { status: 'FROZEN' }), anything)).toBe('ACCOUNT_NOT_ACTIVE');
    expect(outcome(account('SYSTEM_ADMIN', { status: 'CLOSED' }), anything)).toBe('ACCOUNT_NOT_ACTIVE');
    expect(outcome(account('USER', { status: 'PENDING_ACTIVATION' }), anything)).toBe('ACCOUNT_NOT_ACTIVE');
    expect(outcome(account('TEMPORARY', { expiresAt: '2025-03-01T00:00:00Z' }), anything)).toBe('ACCOUNT_EXPIRED');
    expect(outcome(account('TEMPORARY', { expiresAt: '2025-04-01T00:00:00Z' }), anything)).toBe('allowed');
  });
});
