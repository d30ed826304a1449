/**
 * WorkGroup (工作群, 000:11, 002:五.7-8, 001a:22): an owner, at least one admin, members who are
 * ACTIVE persons. A unit group belongs to one unit and its owner holds a post there. One stream
 * per group: `WorkGroup-<id>`.
 *
 * A person who leaves is removed by policy even when that leaves the group without an admin or
 * without its owner: a departed person must not stay (002:二.6); the group is then flagged for a
 * new owner, and a group without an admin shows in the assessment (000:11).
 */
import { eventTypes, type Decider } from '../shared/decider';
import { RuleViolation } from '../shared/domain-error';
import {
  EMPTY_SIGNAL_WINDOW,
  type SignalWindow,
  assertSignal,
  isDuplicateSignal,
  MAX_MESSAGES_PER_SIGNAL,
  rememberSignal,
} from '../shared/usage-signals';

export type WorkGroupKind = 'UNIT' | 'CROSS_UNIT';
export const REMOVAL_REASONS = ['PERSON_LEFT', 'TRANSFERRED', 'NO_LONGER_INVOLVED', 'OTHER'] as const;
export type RemovalReason = (typeof REMOVAL_REASONS)[number];
/** Removals the platform makes because of what happened to the person, not a group admin's choice. */
const FORCED_REMOVALS: readonly RemovalReason[] = ['PERSON_LEFT', 'TRANSFERRED'];

/** What the application knows of the persons a command names: status and the nodes of their posts. */
export type PersonFacts = Readonly<
  Record<string, { readonly status: 'NONE' | 'ACTIVE' | 'LEFT'; readonly orgNodeIds: readonly string[] }>
>;

export type WorkGroupState =
  | { readonly status: 'NONE' }
  | {
      readonly status: 'ACTIVE' | 'DISSOLVED';
      readonly groupId: string;
      readonly name: string;
      readonly kind: WorkGroupKind;
      readonly owningOrgNodeId: string;
      /** null while the group waits for a new owner (the owner left). */
      readonly ownerId: string | null;
      readonly admins: readonly string[];
      readonly members: readonly string[];
      readonly lastActivityAt: string | null;
      readonly activity: SignalWindow;
    };

export type WorkGroupCommand =
  | {
      type: 'CreateWorkGroup';
      data: {
        groupId: string;
        name: string;
        kind: WorkGroupKind;
        owningOrgNodeId: string;
        ownerId: string;
        adminIds?: readonly string[];
        memberIds?: readonly string[];
        persons: PersonFacts;
        nodeStatus: string;
        /** The head the tree records for the owning node (002:五.7), null when none is designated yet. */
        unitHeadId: string | null;
      };
    }
  | { type: 'AddGroupMembers'; data: { groupId: string; personIds: readonly string[]; persons: PersonFacts } }
  | { type: 'RemoveGroupMembers'; data: { groupId: string; personIds: readonly string[]; reason: RemovalReason } }
  | { type: 'AssignGroupAdmin'; data: { groupId: string; personId: string; persons: PersonFacts } }
  | { type: 'RevokeGroupAdmin'; data: { groupId: string; personId: string } }
  | {
      type: 'TransferGroupOwnership';
      data: { groupId: string; personId: string; persons: PersonFacts; unitHeadId: string | null };
    }
  | { type: 'RecordGroupActivity'; data: { groupId: string; signalId: string; at: string; messages?: number } }
  | { type: 'RehomeWorkGroup'; data: { groupId: string; toOrgNodeId: string } }
  | { type: 'DissolveWorkGroup'; data: { groupId: string } };

export type WorkGroupEvent =
  | {
      type: 'WorkGroupCreated';
      data: {
        groupId: string;
        name: string;
        kind: WorkGroupKind;
        owningOrgNodeId: string;
        ownerId: string;
        adminIds: string[];
        memberIds: string[];
      };
    }
  | { type: 'GroupMembersAdded'; data: { groupId: string; personIds: string[] } }
  | {
      type: 'GroupMembersRemoved';
      data: {
        groupId: string;
        personIds: string[];
        reason: RemovalReason;
        adminsRemoved: string[];
        ownerRemoved: boolean;
      };
    }
  | { type: 'GroupAdminAssigned'; data: { groupId: string; personId: string } }
  | { type: 'GroupAdminRevoked'; data: { groupId: string; personId: string } }
  | { type: 'GroupOwnershipTransferred'; data: { groupId: string; from: string | null; to: string } }
  | { type: 'GroupActivityRecorded'; data: { groupId: string; signalId: string; at: string; messages: number | null } }
  | { type: 'WorkGroupRehomed'; data: { groupId: string; from: string; to: string } }
  | { type: 'WorkGroupDissolved'; data: { groupId: string; memberCount: number } };

/** Every WorkGroup event type, checked exhaustive by the compiler. */
export const WORK_GROUP_EVENT_TYPES = eventTypes<WorkGroupEvent>({
  WorkGroupCreated: true,
  GroupMembersAdded: true,
  GroupMembersRemoved: true,
  GroupAdminAssigned: true,
  GroupAdminRevoked: true,
  GroupOwnershipTransferred: true,
  GroupActivityRecorded: true,
  WorkGroupRehomed: true,
  WorkGroupDissolved: true,
});

export function workGroupStream(groupId: string): string {
  return `WorkGroup-${groupId}`;
}

type LiveGroup = Exclude<WorkGroupState, { status: 'NONE' }>;

function live(state: WorkGroupState, groupId: string): LiveGroup {
  if (state.status === 'NONE')
    throw new RuleViolation('WORK_GROUP_NOT_FOUND', 'unprocessable', `工作群 ${groupId} 不存在`, { groupId });
  if (state.status === 'DISSOLVED')
    throw new RuleViolation('WORK_GROUP_DISSOLVED', 'conflict', `工作群“${state.name}”已解散`, { groupId });
  return state;
}

function assertActivePersons(personIds: readonly string[], persons: PersonFacts): void {
  const inactive = personIds.filter((id) => persons[id]?.status !== 'ACTIVE');
  if (inactive.length > 0) {
    // 000:11, 002:五.8: only persons in office join work groups.
    throw new RuleViolation(
      'PERSON_NOT_ACTIVE',
      'conflict',
      `以下人员不是在职人员，不能加入工作群：${inactive.slice(0, 10).join('、')}${inactive.length > 10 ? ` 等 ${inactive.length} 人` : ''}`,
      { personIds: inactive },
    );
  }
}

function assertPostInUnit(
  group: { kind: WorkGroupKind; owningOrgNodeId: string },
  personId: string,
  persons: PersonFacts,
): void {
  if (group.kind === 'UNIT' && !persons[personId]?.orgNodeIds.includes(group.owningOrgNodeId)) {
    // 002:五.7: a unit's group is run by someone of that unit.
    throw new RuleViolation(
      'OWNER_NOT_IN_UNIT',
      'conflict',
      `本单位工作群的群主须在该单位任职，人员 ${personId} 不在 ${group.owningOrgNodeId} 任职`,
      { personId, orgNodeId: group.owningOrgNodeId },
    );
  }
}

/**
 * 002:五.7 "部门群须由系部、处室主要负责同志担任群主": once the unit has designated its head, only
 * the head owns its unit group. (Before that the owner must hold a post there: see above.)
 */
function assertOwnerIsHead(kind: WorkGroupKind, personId: string, unitHeadId: string | null): void {
  if (kind === 'UNIT' && unitHeadId !== null && personId !== unitHeadId)
    throw new RuleViolation(
      'OWNER_NOT_UNIT_HEAD',
      'conflict',
      `本单位工作群须由单位主要负责同志（${unitHeadId}）担任群主（002:五.7），人员 ${personId} 不是`,
      { personId, unitHeadId },
    );
}

/** 002:五.7 "并选定至少1名管理员": a unit group keeps at least one admin besides its owner. */
function adminsBesidesOwner(admins: readonly string[], ownerId: string | null): string[] {
  return admins.filter((id) => id !== ownerId);
}

const unique = (ids: readonly string[]): string[] => [...new Set(ids)];

export function decide(command: WorkGroupCommand, state: WorkGroupState, now: Date): WorkGroupEvent[] {
  const { groupId } = command.data;
  switch (command.type) {
    case 'CreateWorkGroup': {
      const d = command.data;
      if (state.status !== 'NONE')
        throw new RuleViolation('WORK_GROUP_ALREADY_EXISTS', 'conflict', `工作群 ${groupId} 已存在`, { groupId });
      const name = typeof d.name === 'string' ? d.name.trim() : '';
      if (name === '' || name.length > 64)
        throw new RuleViolation('INVALID_GROUP_NAME', 'unprocessable', '工作群名称不能为空，最长 64 个字符', {
          name: d.name,
        });
      if (d.kind !== 'UNIT' && d.kind !== 'CROSS_UNIT')
        throw new RuleViolation(
          'INVALID_GROUP_KIND',
          'unprocessable',
          `工作群类型 ${String(d.kind)} 无效，应为 UNIT 或 CROSS_UNIT`,
          { kind: d.kind },
        );
      if (d.nodeStatus !== 'ACTIVE')
        throw new RuleViolation('ORG_NODE_NOT_ACTIVE', 'conflict', `所属组织节点 ${d.owningOrgNodeId} 不存在或已撤并`, {
          orgNodeId: d.owningOrgNodeId,
        });
      const adminIds = unique(d.adminIds && d.adminIds.length > 0 ? d.adminIds : [d.ownerId]);
      const memberIds = unique([d.ownerId, ...adminIds, ...(d.memberIds ?? [])]);
      assertActivePersons(memberIds, d.persons);
      assertPostInUnit(d, d.ownerId, d.persons);
      assertOwnerIsHead(d.kind, d.ownerId, d.unitHeadId);
      if (d.kind === 'UNIT' && adminsBesidesOwner(adminIds, d.ownerId).length === 0)
        throw new RuleViolation(
          'GROUP_ADMIN_REQUIRED',
          'unprocessable',
          '本单位工作群除群主外须选定至少 1 名管理员（002:五.7）',
          { groupId },
        );
      return [
        {
          type: 'WorkGroupCreated',
          data: {
            groupId,
            name,
            kind: d.kind,
            owningOrgNodeId: d.owningOrgNodeId,
            ownerId: d.ownerId,
            adminIds,
            memberIds,
          },
        },
      ];
    }

    case 'AddGroupMembers': {
      const group = live(state, groupId);
      const added = unique(command.data.personIds).filter((id) => !group.members.includes(id));
      if (added.length === 0) return [];
      assertActivePersons(added, command.data.persons);
      return [{ type: 'GroupMembersAdded', data: { groupId, personIds: added } }];
    }

    case 'RemoveGroupMembers': {
      const group = live(state, groupId);
      const { reason } = command.data;
      if (!REMOVAL_REASONS.includes(reason))
        throw new RuleViolation(
          'INVALID_REMOVAL_REASON',
          'unprocessable',
          `移出原因 ${String(reason)} 无效，应为 ${REMOVAL_REASONS.join('、')} 之一`,
          { reason },
        );
      const removed = unique(command.data.personIds).filter((id) => group.members.includes(id));
      if (removed.length === 0) return [];
      const forced = FORCED_REMOVALS.includes(reason);
      const ownerRemoved = group.ownerId !== null && removed.includes(group.ownerId);
      if (ownerRemoved && !forced)
        throw new RuleViolation('GROUP_OWNER_CANNOT_BE_REMOVED', 'conflict', '不能移出群主，请先转让群主', {
          groupId,
          personId: group.ownerId,
        });
      const adminsRemoved = group.admins.filter((id) => removed.includes(id));
      if (!forced && adminsRemoved.length === group.admins.length && group.admins.length > 0) {
        throw new RuleViolation(
          'LAST_GROUP_ADMIN',
          'conflict',
          '工作群须至少保留一名管理员（000:11），请先指定新的管理员',
          { groupId },
        );
      }
      return [
        { type: 'GroupMembersRemoved', data: { groupId, personIds: removed, reason, adminsRemoved, ownerRemoved } },
      ];
    }

    case 'AssignGroupAdmin': {
      const group = live(state, groupId);
      const { personId } = command.data;
      if (group.admins.includes(personId)) return [];
      if (!group.members.includes(personId))
        throw new RuleViolation('NOT_A_GROUP_MEMBER', 'conflict', `人员 ${personId} 不是该群成员`, {
          groupId,
          personId,
        });
      assertActivePersons([personId], command.data.persons);
      return [{ type: 'GroupAdminAssigned', data: { groupId, personId } }];
    }

    case 'RevokeGroupAdmin': {
      const group = live(state, groupId);
      const { personId } = command.data;
      if (!group.admins.includes(personId)) return [];
      const lastBesidesOwner =
        group.kind === 'UNIT' && adminsBesidesOwner(group.admins, group.ownerId).every((id) => id === personId);
      if (group.admins.length === 1 || lastBesidesOwner)
        throw new RuleViolation(
          'LAST_GROUP_ADMIN',
          'conflict',
          '工作群须至少保留一名管理员（000:11），请先指定新的管理员',
          { groupId },
        );
      return [{ type: 'GroupAdminRevoked', data: { groupId, personId } }];
    }

    case 'TransferGroupOwnership': {
      const group = live(state, groupId);
      const { personId } = command.data;
      if (group.ownerId === personId) return [];
      if (!group.members.includes(personId))
        throw new RuleViolation('NOT_A_GROUP_MEMBER', 'conflict', `人员 ${personId} 不是该群成员，不能成为群主`, {
          groupId,
          personId,
        });
      assertActivePersons([personId], command.data.persons);
      assertPostInUnit(group, personId, command.data.persons);
      assertOwnerIsHead(group.kind, personId, command.data.unitHeadId);
      return [{ type: 'GroupOwnershipTransferred', data: { groupId, from: group.ownerId, to: personId } }];
    }

    case 'RecordGroupActivity': {
      const group = live(state, groupId);
      const { signalId, at } = command.data;
      assertSignal(signalId, at, now);
      const messages = command.data.messages ?? null;
      if (messages !== null && (!Number.isInteger(messages) || messages < 0 || messages > MAX_MESSAGES_PER_SIGNAL))
        throw new RuleViolation('INVALID_MESSAGE_COUNT', 'unprocessable', `消息数 ${messages} 无效`, { messages });
      if (isDuplicateSignal(group.activity, signalId, at)) return [];
      return [{ type: 'GroupActivityRecorded', data: { groupId, signalId, at, messages } }];
    }

    case 'RehomeWorkGroup': {
      const group = live(state, groupId);
      if (group.owningOrgNodeId === command.data.toOrgNodeId) return [];
      return [
        { type: 'WorkGroupRehomed', data: { groupId, from: group.owningOrgNodeId, to: command.data.toOrgNodeId } },
      ];
    }

    case 'DissolveWorkGroup': {
      if (state.status === 'DISSOLVED') return [];
      const group = live(state, groupId);
      return [{ type: 'WorkGroupDissolved', data: { groupId, memberCount: group.members.length } }];
    }
  }
}

export function evolve(state: WorkGroupState, event: WorkGroupEvent): WorkGroupState {
  if (event.type === 'WorkGroupCreated') {
    const d = event.data;
    return {
      status: 'ACTIVE',
      groupId: d.groupId,
      name: d.name,
      kind: d.kind,
      owningOrgNodeId: d.owningOrgNodeId,
      ownerId: d.ownerId,
      admins: d.adminIds,
      members: d.memberIds,
      lastActivityAt: null,
      activity: EMPTY_SIGNAL_WINDOW,
    };
  }
  if (state.status === 'NONE') return state;
  switch (event.type) {
    case 'GroupMembersAdded':
      return { ...state, members: [...state.members, ...event.data.personIds] };
    case 'GroupMembersRemoved':
      return {
        ...state,
        members: state.members.filter((id) => !event.data.personIds.includes(id)),
        admins: state.admins.filter((id) => !event.data.personIds.includes(id)),
        ownerId: event.data.ownerRemoved ? null : state.ownerId,
      };
    case 'GroupAdminAssigned':
      return { ...state, admins: [...state.admins, event.data.personId] };
    case 'GroupAdminRevoked':
      return { ...state, admins: state.admins.filter((id) => id !== event.data.personId) };
    case 'GroupOwnershipTransferred':
      return { ...state, ownerId: event.data.to };
    case 'GroupActivityRecorded': {
      const latest =
        state.lastActivityAt === null || event.data.at > state.lastActivityAt ? event.data.at : state.lastActivityAt;
      return {
        ...state,
        lastActivityAt: latest,
        activity: rememberSignal(state.activity, event.data.signalId, event.data.at),
      };
    }
    case 'WorkGroupRehomed':
      return { ...state, owningOrgNodeId: event.data.to };
    case 'WorkGroupDissolved':
      return { ...state, status: 'DISSOLVED' };
  }
}

export const workGroupDecider: Decider<WorkGroupCommand, WorkGroupEvent, WorkGroupState> = {
  initialState: () => ({ status: 'NONE' }),
  decide: (command, state, context) => decide(command, state, context.now),
  evolve,
};
