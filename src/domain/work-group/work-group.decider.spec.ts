import { DeciderSpecification } from '../../../test/support/decider-specification';
import { type PersonFacts, type WorkGroupCommand, type WorkGroupEvent, workGroupDecider } from './work-group.decider';

const spec = DeciderSpecification.for(workGroupDecider);
const persons: PersonFacts = {
  owner: { status: 'ACTIVE', orgNodeIds: ['edu'] },
  p2: { status: 'ACTIVE', orgNodeIds: ['edu'] },
  p3: { status: 'ACTIVE', orgNodeIds: ['health'] },
  gone: { status: 'LEFT', orgNodeIds: [] },
};
const create = (
  over: Partial<Extract<WorkGroupCommand, { type: 'CreateWorkGroup' }>['data']> = {},
): WorkGroupCommand => ({
  type: 'CreateWorkGroup',
  data: {
    groupId: 'g1',
    name: ' 防汛工作群 ',
    kind: 'UNIT',
    owningOrgNodeId: 'edu',
    ownerId: 'owner',
    memberIds: ['p2'],
    persons,
    nodeStatus: 'ACTIVE',
    unitHeadId: null,
    ...over,
  },
});
const created: WorkGroupEvent = {
  type: 'WorkGroupCreated',
  data: {
    groupId: 'g1',
    name: '防汛工作群',
    kind: 'UNIT',
    owningOrgNodeId: 'edu',
    ownerId: 'owner',
    adminIds: ['owner'],
    memberIds: ['owner', 'p2'],
  },
};
const p3Added: WorkGroupEvent = { type: 'GroupMembersAdded', data: { groupId: 'g1', personIds: ['p3'] } };
const p2Admin: WorkGroupEvent = { type: 'GroupAdminAssigned', data: { groupId: 'g1', personId: 'p2' } };
const dissolved: WorkGroupEvent = { type: 'WorkGroupDissolved', data: { groupId: 'g1', memberCount: 2 } };

describe('WorkGroup decider (000:11, 002:五.7-8)', () => {
  it('creates a cross-unit group whose owner is its admin and a member', () => {
    const crossUnit = { ...created, data: { ...created.data, kind: 'CROSS_UNIT' as const } };
    spec
      .given([])
      .when(create({ kind: 'CROSS_UNIT' }))
      .then([crossUnit]);
    spec.given([created]).when(create()).thenFails('WORK_GROUP_ALREADY_EXISTS');
  });

  describe('a unit group (002:五.7): owned by the unit head, with an admin besides the owner', () => {
    const withAdmin = { ...created, data: { ...created.data, adminIds: ['p2'], memberIds: ['owner', 'p2'] } };

    it('given no admin besides the owner, when created, then GROUP_ADMIN_REQUIRED', () => {
      spec.given([]).when(create()).thenFails('GROUP_ADMIN_REQUIRED');
      spec
        .given([])
        .when(create({ adminIds: ['owner'] }))
        .thenFails('GROUP_ADMIN_REQUIRED');
      spec
        .given([])
        .when(create({ adminIds: ['p2'] }))
        .then([withAdmin]);
    });

    it('given a designated head, when someone else would own it, then OWNER_NOT_UNIT_HEAD; the head may', () => {
      spec
        .given([])
        .when(create({ adminIds: ['p2'], unitHeadId: 'p2' }))
        .thenFails('OWNER_NOT_UNIT_HEAD');
      spec
        .given([])
        .when(create({ adminIds: ['p2'], unitHeadId: 'owner' }))
        .then([withAdmin]);
      spec
        .given([withAdmin])
        .when({ type: 'TransferGroupOwnership', data: { groupId: 'g1', personId: 'p2', persons, unitHeadId: 'owner' } })
        .thenFails('OWNER_NOT_UNIT_HEAD');
    });

    it('given one admin besides the owner, when that admin is revoked, then LAST_GROUP_ADMIN', () => {
      const ownerToo = { ...withAdmin, data: { ...withAdmin.data, adminIds: ['owner', 'p2'] } };
      spec
        .given([ownerToo])
        .when({ type: 'RevokeGroupAdmin', data: { groupId: 'g1', personId: 'p2' } })
        .thenFails('LAST_GROUP_ADMIN');
      spec
        .given([ownerToo])
        .when({ type: 'RevokeGroupAdmin', data: { groupId: 'g1', personId: 'owner' } })
        .then([{ type: 'GroupAdminRevoked', data: { groupId: 'g1', personId: 'owner' } }]);
    });
  });

  it('refuses a departed member, an owner without a post in the unit, a bad name or kind, a dissolved node', () => {
    spec
      .given([])
      .when(create({ memberIds: ['gone'] }))
      .thenFails('PERSON_NOT_ACTIVE');
    spec
      .given([])
      .when(create({ ownerId: 'p3' }))
      .thenFails('OWNER_NOT_IN_UNIT');
    spec
      .given([])
      .when(create({ ownerId: 'p3', kind: 'CROSS_UNIT' }))
      .then([
        {
          type: 'WorkGroupCreated',
          data: { ...created.data, kind: 'CROSS_UNIT', ownerId: 'p3', adminIds: ['p3'], memberIds: ['p3', 'p2'] },
        },
      ]);
    spec
      .given([])
      .when(create({ name: '  ' }))
      .thenFails('INVALID_GROUP_NAME');
    spec
      .given([])
      .when(create({ kind: 'PRIVATE' as never }))
      .thenFails('INVALID_GROUP_KIND');
    spec
      .given([])
      .when(create({ nodeStatus: 'MERGED' }))
      .thenFails('ORG_NODE_NOT_ACTIVE');
  });

  it('adds only new ACTIVE members', () => {
    spec
      .given([created])
      .when({ type: 'AddGroupMembers', data: { groupId: 'g1', personIds: ['p3', 'p2', 'p3'], persons } })
      .then([p3Added]);
    spec
      .given([created])
      .when({ type: 'AddGroupMembers', data: { groupId: 'g1', personIds: ['p2'], persons } })
      .thenNothingHappens();
    spec
      .given([created])
      .when({ type: 'AddGroupMembers', data: { groupId: 'g1', personIds: ['gone'], persons } })
      .thenFails('PERSON_NOT_ACTIVE');
    spec
      .given([created, dissolved])
      .when({ type: 'AddGroupMembers', data: { groupId: 'g1', personIds: ['p3'], persons } })
      .thenFails('WORK_GROUP_DISSOLVED');
    spec
      .given([])
      .when({ type: 'AddGroupMembers', data: { groupId: 'g1', personIds: ['p3'], persons } })
      .thenFails('WORK_GROUP_NOT_FOUND');
  });

  it('removes members but never the owner or the last admin by choice', () => {
    spec
      .given([created, p3Added])
      .when({
        type: 'RemoveGroupMembers',
        data: { groupId: 'g1', personIds: ['p3', 'nobody'], reason: 'NO_LONGER_INVOLVED' },
      })
      .then([
        {
          type: 'GroupMembersRemoved',
          data: {
            groupId: 'g1',
            personIds: ['p3'],
            reason: 'NO_LONGER_INVOLVED',
            adminsRemoved: [],
            ownerRemoved: false,
          },
        },
      ]);
    spec
      .given([created])
      .when({ type: 'RemoveGroupMembers', data: { groupId: 'g1', personIds: ['nobody'], reason: 'OTHER' } })
      .thenNothingHappens();
    spec
      .given([created])
      .when({ type: 'RemoveGroupMembers', data: { groupId: 'g1', personIds: ['owner'], reason: 'OTHER' } })
      .thenFails('GROUP_OWNER_CANNOT_BE_REMOVED');
    spec
      .given([created])
      .when({ type: 'RemoveGroupMembers', data: { groupId: 'g1', personIds: ['p2'], reason: 'KICKED' as never } })
      .thenFails('INVALID_REMOVAL_REASON');
    const ownership: WorkGroupEvent = {
      type: 'GroupOwnershipTransferred',
      data: { groupId: 'g1', from: 'owner', to: 'p2' },
    };
    spec
      .given([created, ownership])
      .when({ type: 'RemoveGroupMembers', data: { groupId: 'g1', personIds: ['owner'], reason: 'OTHER' } })
      .thenFails('LAST_GROUP_ADMIN');
  });

  it('removes a departed owner and the last admin: the group waits for a new owner', () => {
    spec
      .given([created])
      .when({ type: 'RemoveGroupMembers', data: { groupId: 'g1', personIds: ['owner'], reason: 'PERSON_LEFT' } })
      .then([
        {
          type: 'GroupMembersRemoved',
          data: {
            groupId: 'g1',
            personIds: ['owner'],
            reason: 'PERSON_LEFT',
            adminsRemoved: ['owner'],
            ownerRemoved: true,
          },
        },
      ]);
    const state = [
      created,
      {
        type: 'GroupMembersRemoved',
        data: {
          groupId: 'g1',
          personIds: ['owner'],
          reason: 'PERSON_LEFT',
          adminsRemoved: ['owner'],
          ownerRemoved: true,
        },
      } as WorkGroupEvent,
    ].reduce(workGroupDecider.evolve, workGroupDecider.initialState());
    expect(state).toMatchObject({ ownerId: null, admins: [], members: ['p2'] });
    spec
      .given([
        created,
        {
          type: 'GroupMembersRemoved',
          data: {
            groupId: 'g1',
            personIds: ['owner'],
            reason: 'PERSON_LEFT',
            adminsRemoved: ['owner'],
            ownerRemoved: true,
          },
        },
      ])
      .when({ type: 'TransferGroupOwnership', data: { groupId: 'g1', personId: 'p2', persons, unitHeadId: null } })
      .then([{ type: 'GroupOwnershipTransferred', data: { groupId: 'g1', from: null, to: 'p2' } }]);
  });

  it('assigns admins among ACTIVE members and keeps at least one', () => {
    spec
      .given([created])
      .when({ type: 'AssignGroupAdmin', data: { groupId: 'g1', personId: 'p2', persons } })
      .then([p2Admin]);
    spec
      .given([created, p2Admin])
      .when({ type: 'AssignGroupAdmin', data: { groupId: 'g1', personId: 'p2', persons } })
      .thenNothingHappens();
    spec
      .given([created])
      .when({ type: 'AssignGroupAdmin', data: { groupId: 'g1', personId: 'p3', persons } })
      .thenFails('NOT_A_GROUP_MEMBER');
    spec
      .given([created, p2Admin])
      .when({ type: 'RevokeGroupAdmin', data: { groupId: 'g1', personId: 'owner' } })
      .then([{ type: 'GroupAdminRevoked', data: { groupId: 'g1', personId: 'owner' } }]);
    spec
      .given([created])
      .when({ type: 'RevokeGroupAdmin', data: { groupId: 'g1', personId: 'owner' } })
      .thenFails('LAST_GROUP_ADMIN');
    spec
      .given([created])
      .when({ type: 'RevokeGroupAdmin', data: { groupId: 'g1', personId: 'p2' } })
      .thenNothingHappens();
  });

  it('transfers ownership to a member with a post in the unit', () => {
    spec
      .given([created])
      .when({ type: 'TransferGroupOwnership', data: { groupId: 'g1', personId: 'p2', persons, unitHeadId: null } })
      .then([{ type: 'GroupOwnershipTransferred', data: { groupId: 'g1', from: 'owner', to: 'p2' } }]);
    spec
      .given([created])
      .when({ type: 'TransferGroupOwnership', data: { groupId: 'g1', personId: 'owner', persons, unitHeadId: null } })
      .thenNothingHappens();
    spec
      .given([created])
      .when({ type: 'TransferGroupOwnership', data: { groupId: 'g1', personId: 'p3', persons, unitHeadId: null } })
      .thenFails('NOT_A_GROUP_MEMBER');
    spec
      .given([created, p3Added])
      .when({ type: 'TransferGroupOwnership', data: { groupId: 'g1', personId: 'p3', persons, unitHeadId: null } })
      .thenFails('OWNER_NOT_IN_UNIT');
  });

  it('records activity once per sender id and keeps the latest time', () => {
    // Recorded after it happened: the platform's clock is past the signal.
    const later = { now: new Date('2025-03-04T00:00:00Z') };
    const activity: WorkGroupEvent = {
      type: 'GroupActivityRecorded',
      data: { groupId: 'g1', signalId: 'x1', at: '2025-03-03T08:00:00Z', messages: 12 },
    };
    spec
      .given([created])
      .when(
        {
          type: 'RecordGroupActivity',
          data: { groupId: 'g1', signalId: 'x1', at: '2025-03-03T08:00:00Z', messages: 12 },
        },
        later,
      )
      .then([activity]);
    spec
      .given([created, activity])
      .when(
        {
          type: 'RecordGroupActivity',
          data: { groupId: 'g1', signalId: 'x1', at: '2025-03-03T08:00:00Z', messages: 12 },
        },
        later,
      )
      .thenNothingHappens();
    spec
      .given([created])
      .when(
        {
          type: 'RecordGroupActivity',
          data: { groupId: 'g1', signalId: 'x1', at: '2025-03-03T08:00:00Z', messages: -1 },
        },
        later,
      )
      .thenFails('INVALID_MESSAGE_COUNT');
    const state = [created, activity].reduce(workGroupDecider.evolve, workGroupDecider.initialState());
    expect(state).toMatchObject({ lastActivityAt: '2025-03-03T08:00:00Z' });
  });

  it('refuses activity from the future and takes any sender id as an id, "__proto__" too (issue 17, hole 12)', () => {
    const at = '2025-03-03T01:00:00Z';
    spec
      .given([created])
      .when({ type: 'RecordGroupActivity', data: { groupId: 'g1', signalId: 'x9', at: '2099-01-01T00:00:00Z' } })
      .thenFails('SIGNAL_FROM_THE_FUTURE');
    spec
      .given([created])
      .when({ type: 'RecordGroupActivity', data: { groupId: 'g1', signalId: 'x9', at, messages: 1e15 } })
      .thenFails('INVALID_MESSAGE_COUNT');
    for (const signalId of ['__proto__', 'constructor', 'toString']) {
      const recorded: WorkGroupEvent = {
        type: 'GroupActivityRecorded',
        data: { groupId: 'g1', signalId, at, messages: null },
      };
      spec
        .given([created])
        .when({ type: 'RecordGroupActivity', data: { groupId: 'g1', signalId, at } })
        .then([recorded]);
      spec
        .given([created, recorded])
        .when({ type: 'RecordGroupActivity', data: { groupId: 'g1', signalId, at } })
        .thenNothingHappens();
    }
  });

  it('re-homes a group after a restructuring and dissolves once', () => {
    spec
      .given([created])
      .when({ type: 'RehomeWorkGroup', data: { groupId: 'g1', toOrgNodeId: 'edu2' } })
      .then([{ type: 'WorkGroupRehomed', data: { groupId: 'g1', from: 'edu', to: 'edu2' } }]);
    spec
      .given([created])
      .when({ type: 'RehomeWorkGroup', data: { groupId: 'g1', toOrgNodeId: 'edu' } })
      .thenNothingHappens();
    spec
      .given([created])
      .when({ type: 'DissolveWorkGroup', data: { groupId: 'g1' } })
      .then([dissolved]);
    spec
      .given([created, dissolved])
      .when({ type: 'DissolveWorkGroup', data: { groupId: 'g1' } })
      .thenNothingHappens();
  });
});
