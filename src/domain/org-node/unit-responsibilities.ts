/**
 * A unit's responsible people (000:6 系统管理员由在职人员担任; 003:9 分管领导、专兼职管理人员;
 * 003:13 一名分管领导和一名系统管理员): its head (主要负责同志, also of an internal body or a
 * village), its leader in charge of informatization (分管领导), its responsible person (责任人) and
 * its system administrators. Kept on the tree (each node's roles), decided by the tree's decider.
 */
import { RuleViolation } from '../shared/domain-error';

export const UNIT_ROLES = ['HEAD', 'LEADER_IN_CHARGE', 'RESPONSIBLE_PERSON', 'SYSTEM_ADMIN'] as const;
export type UnitRole = (typeof UNIT_ROLES)[number];

export const UNIT_ROLE_NAMES: Readonly<Record<UnitRole, string>> = {
  HEAD: '主要负责同志',
  LEADER_IN_CHARGE: '分管领导',
  RESPONSIBLE_PERSON: '责任人',
  SYSTEM_ADMIN: '系统管理员',
};

/** Roles a node of each kind can have: a head for any body with people, the rest for units. */
const ROLES_OF_KIND: Readonly<Record<string, readonly UnitRole[]>> = {
  ROOT: UNIT_ROLES,
  UNIT: UNIT_ROLES,
  INTERNAL_BODY: ['HEAD'],
  VILLAGE: ['HEAD'],
  CATEGORY: [],
};

/** SYSTEM_ADMIN is held by several people; every other role by one. */
export const isSingleHolderRole = (role: UnitRole): boolean => role !== 'SYSTEM_ADMIN';

/** The holders of a node's roles: person ids by role (single-holder roles hold at most one). */
export type UnitResponsibilities = Readonly<Partial<Record<UnitRole, readonly string[]>>>;

/** What the application knows of the person a role is assigned to. */
export interface ResponsiblePersonFacts {
  readonly status: 'NONE' | 'ACTIVE' | 'LEFT';
  readonly employmentType: string | null;
  /** The nodes of the person's posts. */
  readonly postNodeIds: readonly string[];
}

export function assertRoleForKind(role: UnitRole, kind: string, orgNodeId: string): void {
  if (!(UNIT_ROLES as readonly string[]).includes(role))
    throw new RuleViolation(
      'INVALID_UNIT_ROLE',
      'unprocessable',
      `职责 ${String(role)} 无效，应为 ${UNIT_ROLES.join('、')} 之一`,
      {
        role,
      },
    );
  if (!(ROLES_OF_KIND[kind] ?? []).includes(role))
    throw new RuleViolation(
      'ROLE_NOT_FOR_NODE_KIND',
      'unprocessable',
      `${kind} 类节点（${orgNodeId}）不设${UNIT_ROLE_NAMES[role]}：分管领导、责任人和系统管理员按单位设置`,
      { role, kind, orgNodeId },
    );
}

/**
 * The person must be ACTIVE and hold a post in the node or below it (`within`); a system
 * administrator must be in-service staff (在职人员, 000:6): not an external temporary worker.
 */
export function assertMayHold(
  role: UnitRole,
  orgNodeId: string,
  personId: string,
  person: ResponsiblePersonFacts,
  within: (postNodeId: string) => boolean,
): void {
  if (person.status !== 'ACTIVE')
    throw new RuleViolation(
      'PERSON_NOT_ACTIVE',
      'conflict',
      `人员 ${personId} 不是在职人员，不能担任${UNIT_ROLE_NAMES[role]}`,
      {
        personId,
      },
    );
  if (!person.postNodeIds.some(within))
    throw new RuleViolation(
      'RESPONSIBLE_PERSON_NOT_IN_UNIT',
      'conflict',
      `人员 ${personId} 不在 ${orgNodeId} 及其下级任职，不能担任该单位的${UNIT_ROLE_NAMES[role]}`,
      { personId, orgNodeId, role },
    );
  if (role === 'SYSTEM_ADMIN' && person.employmentType === 'EXTERNAL_TEMPORARY')
    throw new RuleViolation(
      'ADMIN_NOT_IN_SERVICE_STAFF',
      'conflict',
      `系统管理员须由在职人员担任（000:6），人员 ${personId} 为外部临时人员`,
      { personId },
    );
}

export function holdersOf(responsibilities: UnitResponsibilities | undefined, role: UnitRole): readonly string[] {
  return responsibilities?.[role] ?? [];
}

/** The roles after `personId` took `role` (replacing the holder of a single-holder role). */
export function withHolder(
  r: UnitResponsibilities | undefined,
  role: UnitRole,
  personId: string,
): UnitResponsibilities {
  const holders = isSingleHolderRole(role)
    ? [personId]
    : [...holdersOf(r, role).filter((id) => id !== personId), personId];
  return { ...r, [role]: holders };
}

export function withoutHolder(
  r: UnitResponsibilities | undefined,
  role: UnitRole,
  personId: string,
): UnitResponsibilities {
  return { ...r, [role]: holdersOf(r, role).filter((id) => id !== personId) };
}
