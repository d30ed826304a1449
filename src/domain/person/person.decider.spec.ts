import { DeciderSpecification } from '../../../test/support/decider-specification';
import {
  GenderContradictsIdNumber,
  idNumberCheckCharacter,
  InvalidIdNumber,
  InvalidMobile,
  InvalidPoliticalStatus,
} from './identity';
import { type Post, type PersonEvent, type Profile, personDecider } from './person.decider';
import {
  InvalidPersonField,
  InvalidSecondmentPeriod,
  NoSuchPost,
  PersonAlreadyRegistered,
  PersonNotActive,
  PersonNotFound,
  PersonNotLeft,
  PostAlreadyHeld,
  RealNameRequired,
  SameAsPrimaryNode,
  TargetNodeNotActive,
} from './person.errors';

const spec = DeciderSpecification.for(personDecider);
const id17 = '31011819800101001'; // 17th digit 1: male
const ID = id17 + idNumberCheckCharacter(id17);
const nodes = { edu: 'ACTIVE', health: 'ACTIVE', fin: 'ACTIVE', gone: 'DISSOLVED' } as const;

const profile: Profile = {
  name: '张三',
  idNumber: ID,
  gender: '1',
  mobile: '13812345678',
  officePhone: '021-59731234',
  employment: { type: 'ON_ESTABLISHMENT', establishmentType: 'ADMINISTRATIVE' },
  rank: '四级主任科员',
  politicalStatus: '01',
  leadershipDuties: null,
};
const post = (orgNodeId: string, kind: Post['kind'] = 'PRIMARY', extra: Partial<Post> = {}): Post => ({
  orgNodeId,
  kind,
  title: null,
  postLevel: null,
  role: null,
  order: 0,
  from: null,
  until: null,
  ...extra,
});
const registered: PersonEvent = {
  type: 'PersonRegistered',
  // Registered without a class: Q4, never the leaders' Q1 (001b:10, issue 19).
  data: { personId: 'p1', ...profile, primaryPost: post('edu', 'PRIMARY', { title: '科员' }), directoryClass: 'Q4' },
};
const left: PersonEvent = {
  type: 'PersonLeft',
  data: {
    personId: 'p1',
    reason: 'RETIRED',
    primaryOrgNodeId: 'edu',
    posts: [post('edu', 'PRIMARY', { title: '科员' })],
  },
};

describe('Person decider', () => {
  describe('RegisterPerson', () => {
    const register = (overrides: Partial<Profile> = {}, primaryNode = 'edu') => ({
      type: 'RegisterPerson' as const,
      data: {
        personId: 'p1',
        ...profile,
        ...overrides,
        primaryPost: { orgNodeId: primaryNode, title: ' 科员 ' },
        nodes,
      },
    });

    it('registers a real-name person with exactly one primary post', () => {
      spec.given([]).when(register()).then([registered]);
    });

    it('normalises an ID number with a lower-case x', () => {
      const x17 = '11010519491231002';
      const events = personDecider.decide(
        register({ idNumber: `${x17}x`, gender: '2' }),
        { status: 'NONE' },
        { now: new Date('2025-03-03'), effectiveAt: '2025-03-03', actor: { accountId: 'a', role: 'SYSTEM_ADMIN' } },
      );
      expect((events[0].data as Profile).idNumber).toBe(`${x17}X`);
    });

    it.each([
      ['no real name', { name: '  ' }, RealNameRequired],
      ['a name with digits', { name: '张三3' }, RealNameRequired],
      ['an ID number with a bad check digit', { idNumber: `${id17}9` }, InvalidIdNumber],
      ['a bad mobile', { mobile: '12345' }, InvalidMobile],
      ['a gender contradicting the ID number', { gender: '2' }, GenderContradictsIdNumber],
      ['an unknown political status', { politicalStatus: '99' }, InvalidPoliticalStatus],
      [
        'an establishment type on a contract',
        { employment: { type: 'CONTRACTED', establishmentType: 'ADMINISTRATIVE' } },
        InvalidPersonField,
      ],
      [
        'on establishment without its type',
        { employment: { type: 'ON_ESTABLISHMENT', establishmentType: null } },
        InvalidPersonField,
      ],
    ] as const)('refuses %s', (_label, overrides, error) => {
      spec
        .given([])
        .when(register(overrides as Partial<Profile>))
        .thenThrows(error as never);
    });

    it('refuses a primary post in a node that is missing or not active', () => {
      spec
        .given([])
        .when(register({}, 'gone'))
        .thenThrows(TargetNodeNotActive, (e) => expect(e.details).toEqual({ orgNodeId: 'gone', status: 'DISSOLVED' }));
      spec
        .given([])
        .when(register({}, 'nowhere'))
        .thenThrows(TargetNodeNotActive, (e) => expect(e.details).toEqual({ orgNodeId: 'nowhere', status: 'MISSING' }));
    });

    it('refuses to register the same person twice', () => {
      spec.given([registered]).when(register()).thenThrows(PersonAlreadyRegistered);
    });
  });

  describe('UpdatePersonProfile', () => {
    it('records only the fields that changed, with previous and new values', () => {
      spec
        .given([registered])
        .when({
          type: 'UpdatePersonProfile',
          data: { personId: 'p1', changes: { mobile: '13900001111', rank: '四级主任科员' } },
        })
        .then([
          {
            type: 'PersonProfileUpdated',
            data: { personId: 'p1', changes: { mobile: { from: '13812345678', to: '13900001111' } } },
          },
        ]);
    });

    it('emits nothing for a no-op update, and checks new values', () => {
      spec
        .given([registered])
        .when({ type: 'UpdatePersonProfile', data: { personId: 'p1', changes: { name: ' 张三 ' } } })
        .thenNothingHappens();
      spec
        .given([registered])
        .when({ type: 'UpdatePersonProfile', data: { personId: 'p1', changes: { mobile: '1' } } })
        .thenThrows(InvalidMobile);
      spec
        .given([])
        .when({ type: 'UpdatePersonProfile', data: { personId: 'p1', changes: {} } })
        .thenThrows(PersonNotFound);
      spec
        .given([registered, left])
        .when({ type: 'UpdatePersonProfile', data: { personId: 'p1', changes: { rank: 'x' } } })
        .thenThrows(PersonNotActive);
    });
  });

  describe('ChangePost', () => {
    it('changes title, level, role or order within the same node', () => {
      spec
        .given([registered])
        .when({ type: 'ChangePost', data: { personId: 'p1', orgNodeId: 'edu', title: '副科长', postLevel: '副科级' } })
        .then([
          {
            type: 'PersonPostChanged',
            data: {
              personId: 'p1',
              orgNodeId: 'edu',
              changes: { title: { from: '科员', to: '副科长' }, postLevel: { from: null, to: '副科级' } },
            },
          },
        ]);
      spec
        .given([registered])
        .when({ type: 'ChangePost', data: { personId: 'p1', orgNodeId: 'edu', title: '科员' } })
        .thenNothingHappens();
      spec
        .given([registered])
        .when({ type: 'ChangePost', data: { personId: 'p1', orgNodeId: 'fin', title: 'x' } })
        .thenThrows(NoSuchPost);
    });
  });

  describe('TransferPerson (调动)', () => {
    it('moves the primary post, keeping the others', () => {
      spec
        .given([registered])
        .when({ type: 'TransferPerson', data: { personId: 'p1', to: { orgNodeId: 'fin', title: '科员' }, nodes } })
        .then([
          {
            type: 'PersonTransferred',
            data: {
              personId: 'p1',
              from: post('edu', 'PRIMARY', { title: '科员' }),
              to: post('fin', 'PRIMARY', { title: '科员' }),
            },
          },
        ]);
    });

    it('refuses the current primary node, an inactive target and a node where another post is held', () => {
      spec
        .given([registered])
        .when({ type: 'TransferPerson', data: { personId: 'p1', to: { orgNodeId: 'edu' }, nodes } })
        .thenThrows(SameAsPrimaryNode);
      spec
        .given([registered])
        .when({ type: 'TransferPerson', data: { personId: 'p1', to: { orgNodeId: 'gone' }, nodes } })
        .thenThrows(TargetNodeNotActive);
      const concurrent: PersonEvent = {
        type: 'ConcurrentPostAssigned',
        data: { personId: 'p1', post: post('fin', 'CONCURRENT') },
      };
      spec
        .given([registered, concurrent])
        .when({ type: 'TransferPerson', data: { personId: 'p1', to: { orgNodeId: 'fin' }, nodes } })
        .thenThrows(PostAlreadyHeld);
      spec
        .given([registered, left])
        .when({ type: 'TransferPerson', data: { personId: 'p1', to: { orgNodeId: 'fin' }, nodes } })
        .thenThrows(PersonNotActive);
    });
  });

  describe('StartSecondment / EndSecondment (借调)', () => {
    const started: PersonEvent = {
      type: 'SecondmentStarted',
      data: { personId: 'p1', post: post('health', 'SECONDMENT', { from: '2025-03-01', until: '2025-08-31' }) },
    };

    it('starts a secondment with its period and ends it', () => {
      spec
        .given([registered])
        .when({
          type: 'StartSecondment',
          data: { personId: 'p1', post: { orgNodeId: 'health' }, from: '2025-03-01', until: '2025-08-31', nodes },
        })
        .then([started]);
      spec
        .given([registered, started])
        .when({ type: 'EndSecondment', data: { personId: 'p1', orgNodeId: 'health' } })
        .then([{ type: 'SecondmentEnded', data: { personId: 'p1', orgNodeId: 'health', until: '2025-08-31' } }]);
    });

    it('refuses the primary node, an until before from, a second post in the same node, and ending what does not exist', () => {
      spec
        .given([registered])
        .when({
          type: 'StartSecondment',
          data: { personId: 'p1', post: { orgNodeId: 'edu' }, from: '2025-03-01', until: '2025-08-31', nodes },
        })
        .thenThrows(SameAsPrimaryNode);
      spec
        .given([registered])
        .when({
          type: 'StartSecondment',
          data: { personId: 'p1', post: { orgNodeId: 'health' }, from: '2025-03-01', until: '2025-02-28', nodes },
        })
        .thenThrows(InvalidSecondmentPeriod);
      spec
        .given([registered])
        .when({
          type: 'StartSecondment',
          data: { personId: 'p1', post: { orgNodeId: 'health' }, from: '1 March', until: '2025-02-28', nodes },
        })
        .thenThrows(InvalidPersonField);
      spec
        .given([registered, started])
        .when({
          type: 'StartSecondment',
          data: { personId: 'p1', post: { orgNodeId: 'health' }, from: '2025-09-01', until: '2025-12-31', nodes },
        })
        .thenThrows(PostAlreadyHeld);
      spec
        .given([registered])
        .when({ type: 'EndSecondment', data: { personId: 'p1', orgNodeId: 'health' } })
        .thenThrows(NoSuchPost);
    });
  });

  describe('AssignConcurrentPost / RelieveConcurrentPost (兼任)', () => {
    const assigned: PersonEvent = {
      type: 'ConcurrentPostAssigned',
      data: { personId: 'p1', post: post('fin', 'CONCURRENT', { title: '副组长' }) },
    };

    it('assigns and relieves a concurrent post', () => {
      spec
        .given([registered])
        .when({
          type: 'AssignConcurrentPost',
          data: { personId: 'p1', post: { orgNodeId: 'fin', title: '副组长' }, nodes },
        })
        .then([assigned]);
      spec
        .given([registered, assigned])
        .when({ type: 'RelieveConcurrentPost', data: { personId: 'p1', orgNodeId: 'fin' } })
        .then([{ type: 'ConcurrentPostRelieved', data: { personId: 'p1', orgNodeId: 'fin' } }]);
    });

    it('allows at most one post per node', () => {
      spec
        .given([registered])
        .when({ type: 'AssignConcurrentPost', data: { personId: 'p1', post: { orgNodeId: 'edu' }, nodes } })
        .thenThrows(PostAlreadyHeld);
      spec
        .given([registered])
        .when({ type: 'RelieveConcurrentPost', data: { personId: 'p1', orgNodeId: 'fin' } })
        .thenThrows(NoSuchPost);
    });
  });

  describe('RecordDeparture / ReinstatePerson', () => {
    it('records a departure with its reason and the posts it ends', () => {
      spec
        .given([registered])
        .when({ type: 'RecordDeparture', data: { personId: 'p1', reason: 'RETIRED' } })
        .then([left]);
      spec
        .given([registered])
        .when({ type: 'RecordDeparture', data: { personId: 'p1', reason: 'FIRED' as never } })
        .thenThrows(InvalidPersonField);
      spec
        .given([registered, left])
        .when({ type: 'RecordDeparture', data: { personId: 'p1', reason: 'RETIRED' } })
        .thenNothingHappens();
    });

    it('records the successor who takes over (001a:22): on post, not the person themself', () => {
      const depart = (successorId: string, successorStatus: 'NONE' | 'ACTIVE' | 'LEFT') =>
        ({
          type: 'RecordDeparture',
          data: { personId: 'p1', reason: 'RETIRED', successorId, successorStatus },
        }) as const;
      spec
        .given([registered])
        .when(depart('p2', 'ACTIVE'))
        .then([{ ...left, data: { ...left.data, successorId: 'p2' } } as PersonEvent]);
      spec.given([registered]).when(depart('p2', 'LEFT')).thenFails('SUCCESSOR_NOT_ACTIVE');
      spec.given([registered]).when(depart('p2', 'NONE')).thenFails('SUCCESSOR_NOT_ACTIVE');
      spec.given([registered]).when(depart('p1', 'ACTIVE')).thenThrows(InvalidPersonField);
    });

    it('leaves concurrent posts and secondments for the departure policy to end one by one', () => {
      const assigned: PersonEvent = {
        type: 'ConcurrentPostAssigned',
        data: { personId: 'p1', post: post('fin', 'CONCURRENT') },
      };
      const leftWithConcurrent: PersonEvent = {
        type: 'PersonLeft',
        data: { ...left.data, posts: [post('edu', 'PRIMARY', { title: '科员' }), post('fin', 'CONCURRENT')] },
      };
      spec
        .given([registered, assigned, leftWithConcurrent])
        .when({ type: 'RelieveConcurrentPost', data: { personId: 'p1', orgNodeId: 'fin' } })
        .then([{ type: 'ConcurrentPostRelieved', data: { personId: 'p1', orgNodeId: 'fin' } }]);
      spec
        .given([registered, assigned, leftWithConcurrent])
        .when({ type: 'EndSecondment', data: { personId: 'p1', orgNodeId: 'fin' } })
        .thenThrows(NoSuchPost);
      spec
        .given([registered, assigned, leftWithConcurrent])
        .when({ type: 'AssignConcurrentPost', data: { personId: 'p1', post: { orgNodeId: 'health' }, nodes } })
        .thenThrows(PersonNotActive);
    });

    it('reinstates a person who left, with a new primary post', () => {
      spec
        .given([registered, left])
        .when({ type: 'ReinstatePerson', data: { personId: 'p1', primaryPost: { orgNodeId: 'fin' }, nodes } })
        .then([{ type: 'PersonReinstated', data: { personId: 'p1', primaryPost: post('fin') } }]);
      spec
        .given([registered])
        .when({ type: 'ReinstatePerson', data: { personId: 'p1', primaryPost: { orgNodeId: 'fin' }, nodes } })
        .thenThrows(PersonNotLeft);
    });
  });

  describe('SetDirectoryClass / SetContactMode (001b:10)', () => {
    it('changes the directory class, and nothing when it is the same', () => {
      spec
        .given([registered])
        .when({ type: 'SetDirectoryClass', data: { personId: 'p1', directoryClass: 'Q3' } })
        .then([{ type: 'PersonDirectoryClassChanged', data: { personId: 'p1', from: 'Q4', to: 'Q3' } }]);
      spec
        .given([registered])
        .when({ type: 'SetDirectoryClass', data: { personId: 'p1', directoryClass: 'Q4' } })
        .thenNothingHappens();
      spec
        .given([registered])
        .when({ type: 'SetDirectoryClass', data: { personId: 'p1', directoryClass: 'Q5' as never } })
        .thenThrows(InvalidPersonField);
    });

    it('sets and clears a contact-mode override', () => {
      const set: PersonEvent = {
        type: 'PersonContactModeChanged',
        data: { personId: 'p1', from: null, to: { searchable: false, addable: false } },
      };
      spec
        .given([registered])
        .when({ type: 'SetContactMode', data: { personId: 'p1', contactMode: { searchable: false, addable: false } } })
        .then([set]);
      spec
        .given([registered, set])
        .when({ type: 'SetContactMode', data: { personId: 'p1', contactMode: null } })
        .then([
          {
            type: 'PersonContactModeChanged',
            data: { personId: 'p1', from: { searchable: false, addable: false }, to: null },
          },
        ]);
      spec
        .given([registered])
        .when({ type: 'SetContactMode', data: { personId: 'p1', contactMode: { searchable: 'no' } as never } })
        .thenThrows(InvalidPersonField);
    });
  });
});
