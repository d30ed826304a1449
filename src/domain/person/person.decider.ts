/**
 * Person (人员), stream `Person-<personId>`, with posts: one PRIMARY (主职), CONCURRENT (兼任) and
 * SECONDMENT (借调) posts, at most one post per node. Rules: DOMAIN.md "Person"; fields of 000:9
 * and 001b:9; employment types 001b:6; departure reasons 002:二.6; directory classes 001b:10.
 *
 * Facts owned by other aggregates (is a node ACTIVE?) arrive with the command: the application
 * reads them from the org tree before deciding.
 */
import { eventTypes, type Decider } from '../shared/decider';
import { assertGender, assertIdNumber, assertMobile, assertPoliticalStatus } from './identity';
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
  SuccessorNotActive,
  TargetNodeNotActive,
} from './person.errors';

export const EMPLOYMENT_TYPES = ['ON_ESTABLISHMENT', 'CONTRACTED', 'EXTERNAL_TEMPORARY'] as const;
export type EmploymentType = (typeof EMPLOYMENT_TYPES)[number];
/** 编制类型 of ON_ESTABLISHMENT staff. */
export const ESTABLISHMENT_TYPES = ['ADMINISTRATIVE', 'PUBLIC_INSTITUTION', 'OTHER'] as const;
export const DEPARTURE_REASONS = [
  'RESIGNED',
  'RETIRED',
  'INTERNAL_RETIREMENT',
  'CONTRACT_ENDED',
  'TRANSFERRED_OUT',
  'PROMOTED_OUT',
  'OTHER',
] as const;
export type DepartureReason = (typeof DEPARTURE_REASONS)[number];
export const DIRECTORY_CLASSES = ['Q1', 'Q2', 'Q3', 'Q4'] as const;
/** The class of a person registered without one (issue 19): never the leaders' Q1. */
export const DEFAULT_DIRECTORY_CLASS = 'Q4';
export type DirectoryClass = (typeof DIRECTORY_CLASSES)[number];
export type PostKind = 'PRIMARY' | 'CONCURRENT' | 'SECONDMENT';

export interface Employment {
  readonly type: EmploymentType;
  readonly establishmentType: (typeof ESTABLISHMENT_TYPES)[number] | null;
}

export interface Post {
  readonly orgNodeId: string;
  readonly kind: PostKind;
  readonly title: string | null;
  readonly postLevel: string | null;
  readonly role: string | null;
  readonly order: number;
  /** Secondments only: the period, YYYY-MM-DD. */
  readonly from: string | null;
  readonly until: string | null;
}

/**
 * A person's override of the directory matrix (001b:10): narrows, never widens. Like a hidden node
 * (001b:9), a hidden person has an allow-list: person ids, or node ids whose people (their whole
 * subtrees) still see them as the matrix says.
 */
export interface ContactMode {
  readonly searchable: boolean;
  readonly addable: boolean;
  readonly visibleTo?: readonly string[];
}

export interface Profile {
  readonly name: string;
  readonly idNumber: string;
  readonly gender: string;
  readonly mobile: string;
  readonly officePhone: string | null;
  readonly employment: Employment;
  readonly rank: string | null;
  readonly politicalStatus: string | null;
  readonly leadershipDuties: string | null;
}

export type PersonState =
  | { readonly status: 'NONE' }
  | (Profile & {
      readonly status: 'ACTIVE' | 'LEFT';
      readonly personId: string;
      readonly posts: readonly Post[];
      readonly directoryClass: DirectoryClass;
      readonly contactMode: ContactMode | null;
    });

/** What the application knows of the nodes a command names. */
export type NodeFacts = Readonly<Record<string, 'ACTIVE' | 'DISSOLVED' | 'MERGED'>>;

export type PostInput = Pick<Post, 'orgNodeId'> & Partial<Pick<Post, 'title' | 'postLevel' | 'role' | 'order'>>;

export type PersonCommand =
  | {
      type: 'RegisterPerson';
      data: Profile & { personId: string; primaryPost: PostInput; directoryClass?: DirectoryClass; nodes: NodeFacts };
    }
  | { type: 'UpdatePersonProfile'; data: { personId: string; changes: Partial<Profile> } }
  | {
      type: 'ChangePost';
      data: {
        personId: string;
        orgNodeId: string;
        title?: string | null;
        postLevel?: string | null;
        role?: string | null;
        order?: number;
      };
    }
  | { type: 'TransferPerson'; data: { personId: string; to: PostInput; nodes: NodeFacts } & Handover }
  | {
      type: 'StartSecondment';
      data: { personId: string; post: PostInput; from: string; until: string; nodes: NodeFacts };
    }
  | { type: 'EndSecondment'; data: { personId: string; orgNodeId: string } }
  | { type: 'AssignConcurrentPost'; data: { personId: string; post: PostInput; nodes: NodeFacts } }
  | { type: 'RelieveConcurrentPost'; data: { personId: string; orgNodeId: string } }
  | { type: 'RecordDeparture'; data: { personId: string; reason: DepartureReason } & Handover }
  | { type: 'ReinstatePerson'; data: { personId: string; primaryPost: PostInput; nodes: NodeFacts } }
  | { type: 'SetDirectoryClass'; data: { personId: string; directoryClass: DirectoryClass } }
  | { type: 'SetContactMode'; data: { personId: string; contactMode: ContactMode | null } };

/**
 * Who takes over what a person held when they leave or move (001a:22 "发生岗位变动时应及时做好
 * 工作交接"): the groups they own and their unit responsibilities, handed over by the handover
 * steps of the departure and transfer policies. Without one, what they held is an open handover.
 */
export interface Handover {
  readonly successorId?: string | null;
  /** Fact: the successor's status, as their stream says. */
  readonly successorStatus?: 'NONE' | 'ACTIVE' | 'LEFT';
}

type Change<T> = { from: T; to: T };

export type PersonEvent =
  | {
      type: 'PersonRegistered';
      data: Profile & { personId: string; primaryPost: Post; directoryClass: DirectoryClass };
    }
  | {
      type: 'PersonProfileUpdated';
      data: { personId: string; changes: Partial<{ [K in keyof Profile]: Change<Profile[K]> }> };
    }
  | {
      type: 'PersonPostChanged';
      data: {
        personId: string;
        orgNodeId: string;
        changes: Partial<{
          title: Change<string | null>;
          postLevel: Change<string | null>;
          role: Change<string | null>;
          order: Change<number>;
        }>;
      };
    }
  | { type: 'PersonTransferred'; data: { personId: string; from: Post; to: Post; successorId?: string } }
  | { type: 'SecondmentStarted'; data: { personId: string; post: Post } }
  | { type: 'SecondmentEnded'; data: { personId: string; orgNodeId: string; until: string | null } }
  | { type: 'ConcurrentPostAssigned'; data: { personId: string; post: Post } }
  | { type: 'ConcurrentPostRelieved'; data: { personId: string; orgNodeId: string } }
  | {
      type: 'PersonLeft';
      data: {
        personId: string;
        reason: DepartureReason;
        primaryOrgNodeId: string;
        posts: Post[];
        successorId?: string;
      };
    }
  | { type: 'PersonReinstated'; data: { personId: string; primaryPost: Post } }
  | { type: 'PersonDirectoryClassChanged'; data: { personId: string; from: DirectoryClass; to: DirectoryClass } }
  | { type: 'PersonContactModeChanged'; data: { personId: string; from: ContactMode | null; to: ContactMode | null } }
  /** A recorded event was wrong: the posts and status it changed are restored (decided in corrections.ts). */
  | {
      type: 'PersonRecordRetracted';
      data: {
        personId: string;
        eventId: string;
        retractedType: string;
        restored: { status: 'ACTIVE' | 'LEFT'; posts: Post[] };
      };
    }
  /** A recorded event's effective date (业务发生日期) was wrong. */
  | {
      type: 'PersonEffectiveDateCorrected';
      data: { personId: string; eventId: string; correctedType: string; from: string; to: string };
    };

/** Every Person event type, checked exhaustive by the compiler. */
export const PERSON_EVENT_TYPES = eventTypes<PersonEvent>({
  PersonRegistered: true,
  PersonProfileUpdated: true,
  PersonPostChanged: true,
  PersonTransferred: true,
  SecondmentStarted: true,
  SecondmentEnded: true,
  ConcurrentPostAssigned: true,
  ConcurrentPostRelieved: true,
  PersonLeft: true,
  PersonReinstated: true,
  PersonDirectoryClassChanged: true,
  PersonContactModeChanged: true,
  PersonRecordRetracted: true,
  PersonEffectiveDateCorrected: true,
});

/** The successor named with a departure or transfer: someone else, on post. */
function successorOf(data: { personId: string } & Handover): { successorId?: string } {
  const { successorId, successorStatus } = data;
  if (successorId === undefined || successorId === null) return {};
  if (successorId === data.personId) throw new InvalidPersonField('successorId', successorId, '交接人不能是本人');
  if (successorStatus !== 'ACTIVE') throw new SuccessorNotActive(successorId);
  return { successorId };
}

export function personStream(personId: string): string {
  return `Person-${personId}`;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function text(field: string, value: string | null | undefined, max: number): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new InvalidPersonField(field, value, '应为文字');
  const trimmed = value.trim();
  if ([...trimmed].length > max) throw new InvalidPersonField(field, value, `最长 ${max} 个字符`);
  return trimmed === '' ? null : trimmed;
}

function realName(name: string): string {
  const trimmed = typeof name === 'string' ? name.trim() : '';
  // eslint-disable-next-line no-control-regex
  if (trimmed.length === 0 || [...trimmed].length > 50 || /[\u0000-\u001f\u007f0-9]/.test(trimmed))
    throw new RealNameRequired(String(name));
  return trimmed;
}

function employment(value: Employment): Employment {
  if (typeof value !== 'object' || value === null || !EMPLOYMENT_TYPES.includes(value.type)) {
    throw new InvalidPersonField('employment.type', value?.type, `应为 ${EMPLOYMENT_TYPES.join('、')} 之一`);
  }
  const establishmentType = value.establishmentType ?? null;
  if (value.type === 'ON_ESTABLISHMENT' && !ESTABLISHMENT_TYPES.includes(establishmentType as never)) {
    throw new InvalidPersonField(
      'employment.establishmentType',
      establishmentType,
      `在编人员须注明编制类型：${ESTABLISHMENT_TYPES.join('、')}`,
    );
  }
  if (value.type !== 'ON_ESTABLISHMENT' && establishmentType !== null) {
    throw new InvalidPersonField('employment.establishmentType', establishmentType, '只有在编人员有编制类型');
  }
  return { type: value.type, establishmentType };
}

function officePhone(value: string | null | undefined): string | null {
  const phone = text('officePhone', value, 20);
  if (phone !== null && !/^[0-9+\-() ]{3,20}$/.test(phone))
    throw new InvalidPersonField('officePhone', value, '应为电话号码');
  return phone;
}

/** Checks and normalises every profile field; `today` bounds plausible birth dates. */
function profile(input: Profile, today: string): Profile {
  const idNumber = assertIdNumber(input.idNumber, today);
  return {
    name: realName(input.name),
    idNumber,
    gender: assertGender(input.gender, idNumber),
    mobile: assertMobile(input.mobile),
    officePhone: officePhone(input.officePhone),
    employment: employment(input.employment),
    rank: text('rank', input.rank, 32),
    politicalStatus:
      input.politicalStatus === null || input.politicalStatus === undefined
        ? null
        : assertPoliticalStatus(input.politicalStatus),
    leadershipDuties: text('leadershipDuties', input.leadershipDuties, 500),
  };
}

function post(
  input: PostInput,
  kind: PostKind,
  nodes: NodeFacts,
  period: { from: string; until: string } | null = null,
): Post {
  const status = nodes[input.orgNodeId];
  if (status !== 'ACTIVE') throw new TargetNodeNotActive(input.orgNodeId, status ?? 'MISSING');
  const order = input.order ?? 0;
  if (!Number.isInteger(order) || order < 0 || order > 999_999)
    throw new InvalidPersonField('order', order, '应为 0–999999 的整数');
  return {
    orgNodeId: input.orgNodeId,
    kind,
    title: text('title', input.title, 64),
    postLevel: text('postLevel', input.postLevel, 32),
    role: text('role', input.role, 32),
    order,
    from: period?.from ?? null,
    until: period?.until ?? null,
  };
}

type Known = Extract<PersonState, { status: 'ACTIVE' | 'LEFT' }>;

function known(state: PersonState, personId: string): Known {
  if (state.status === 'NONE') throw new PersonNotFound(personId);
  return state;
}

function active(state: PersonState, personId: string): Known {
  const person = known(state, personId);
  if (person.status !== 'ACTIVE') throw new PersonNotActive(personId);
  return person;
}

function primaryOf(person: Known): Post {
  return person.posts.find((p) => p.kind === 'PRIMARY')!;
}

function assertNoPostIn(person: Known, orgNodeId: string): void {
  const held = person.posts.find((p) => p.orgNodeId === orgNodeId);
  if (held) throw new PostAlreadyHeld(orgNodeId, held.kind);
}

export function decide(command: PersonCommand, state: PersonState, today: string): PersonEvent[] {
  const { personId } = command.data;
  switch (command.type) {
    case 'RegisterPerson': {
      if (state.status !== 'NONE') throw new PersonAlreadyRegistered(personId);
      // Unclassified people are not leaders: Q1 is "副局级以上区领导" (001b:10); the class the matrix treats as the others is Q4.
      const directoryClass = command.data.directoryClass ?? DEFAULT_DIRECTORY_CLASS;
      if (!DIRECTORY_CLASSES.includes(directoryClass))
        throw new InvalidPersonField('directoryClass', directoryClass, '应为 Q1–Q4');
      return [
        {
          type: 'PersonRegistered',
          data: {
            personId,
            ...profile(command.data, today),
            primaryPost: post(command.data.primaryPost, 'PRIMARY', command.data.nodes),
            directoryClass,
          },
        },
      ];
    }

    case 'UpdatePersonProfile': {
      const person = active(state, personId);
      const current: Profile = {
        name: person.name,
        idNumber: person.idNumber,
        gender: person.gender,
        mobile: person.mobile,
        officePhone: person.officePhone,
        employment: person.employment,
        rank: person.rank,
        politicalStatus: person.politicalStatus,
        leadershipDuties: person.leadershipDuties,
      };
      // A field sent as undefined is not a change (it must not blank the recorded value).
      const given = Object.fromEntries(
        Object.entries(command.data.changes ?? {}).filter(([, value]) => value !== undefined),
      );
      const next = profile({ ...current, ...given }, today);
      const changes: Record<string, Change<unknown>> = {};
      for (const key of Object.keys(next) as Array<keyof Profile>) {
        if (JSON.stringify(next[key]) !== JSON.stringify(current[key]))
          changes[key] = { from: current[key], to: next[key] };
      }
      if (Object.keys(changes).length === 0) return [];
      return [{ type: 'PersonProfileUpdated', data: { personId, changes } }];
    }

    case 'ChangePost': {
      const person = active(state, personId);
      const held = person.posts.find((p) => p.orgNodeId === command.data.orgNodeId);
      if (!held) throw new NoSuchPost(command.data.orgNodeId, 'ANY');
      const next = post(
        { ...held, ...stripUndefined(command.data), orgNodeId: held.orgNodeId },
        held.kind,
        { [held.orgNodeId]: 'ACTIVE' },
        held.from && held.until ? { from: held.from, until: held.until } : null,
      );
      const changes: Record<string, Change<unknown>> = {};
      for (const key of ['title', 'postLevel', 'role', 'order'] as const) {
        if (next[key] !== held[key]) changes[key] = { from: held[key], to: next[key] };
      }
      if (Object.keys(changes).length === 0) return [];
      return [{ type: 'PersonPostChanged', data: { personId, orgNodeId: held.orgNodeId, changes } }];
    }

    case 'TransferPerson': {
      const person = active(state, personId);
      const from = primaryOf(person);
      if (command.data.to.orgNodeId === from.orgNodeId) throw new SameAsPrimaryNode(from.orgNodeId);
      const other = person.posts.find((p) => p.orgNodeId === command.data.to.orgNodeId);
      if (other) throw new PostAlreadyHeld(other.orgNodeId, other.kind);
      return [
        {
          type: 'PersonTransferred',
          data: {
            personId,
            from,
            to: post(command.data.to, 'PRIMARY', command.data.nodes),
            ...successorOf(command.data),
          },
        },
      ];
    }

    case 'StartSecondment': {
      const person = active(state, personId);
      const { from, until } = command.data;
      if (!DATE.test(from) || !DATE.test(until))
        throw new InvalidPersonField('from/until', `${from}/${until}`, '日期格式应为 YYYY-MM-DD');
      if (until < from) throw new InvalidSecondmentPeriod(from, until);
      if (command.data.post.orgNodeId === primaryOf(person).orgNodeId)
        throw new SameAsPrimaryNode(command.data.post.orgNodeId);
      assertNoPostIn(person, command.data.post.orgNodeId);
      return [
        {
          type: 'SecondmentStarted',
          data: { personId, post: post(command.data.post, 'SECONDMENT', command.data.nodes, { from, until }) },
        },
      ];
    }

    case 'EndSecondment': {
      const person = known(state, personId);
      const secondment = person.posts.find((p) => p.orgNodeId === command.data.orgNodeId && p.kind === 'SECONDMENT');
      if (!secondment) throw new NoSuchPost(command.data.orgNodeId, 'SECONDMENT');
      return [
        { type: 'SecondmentEnded', data: { personId, orgNodeId: secondment.orgNodeId, until: secondment.until } },
      ];
    }

    case 'AssignConcurrentPost': {
      const person = active(state, personId);
      assertNoPostIn(person, command.data.post.orgNodeId);
      return [
        {
          type: 'ConcurrentPostAssigned',
          data: { personId, post: post(command.data.post, 'CONCURRENT', command.data.nodes) },
        },
      ];
    }

    case 'RelieveConcurrentPost': {
      const person = known(state, personId);
      if (!person.posts.some((p) => p.orgNodeId === command.data.orgNodeId && p.kind === 'CONCURRENT'))
        throw new NoSuchPost(command.data.orgNodeId, 'CONCURRENT');
      return [{ type: 'ConcurrentPostRelieved', data: { personId, orgNodeId: command.data.orgNodeId } }];
    }

    case 'RecordDeparture': {
      if (!DEPARTURE_REASONS.includes(command.data.reason))
        throw new InvalidPersonField('reason', command.data.reason, `应为 ${DEPARTURE_REASONS.join('、')} 之一`);
      // A departure already recorded decides nothing: the restructuring process may repeat it after a crash.
      if (state.status === 'LEFT') return [];
      const person = active(state, personId);
      return [
        {
          type: 'PersonLeft',
          data: {
            personId,
            reason: command.data.reason,
            primaryOrgNodeId: primaryOf(person).orgNodeId,
            posts: [...person.posts],
            ...successorOf(command.data),
          },
        },
      ];
    }

    case 'ReinstatePerson': {
      const person = known(state, personId);
      if (person.status !== 'LEFT') throw new PersonNotLeft(personId);
      return [
        {
          type: 'PersonReinstated',
          data: { personId, primaryPost: post(command.data.primaryPost, 'PRIMARY', command.data.nodes) },
        },
      ];
    }

    case 'SetDirectoryClass': {
      const person = active(state, personId);
      if (!DIRECTORY_CLASSES.includes(command.data.directoryClass))
        throw new InvalidPersonField('directoryClass', command.data.directoryClass, '应为 Q1–Q4');
      if (person.directoryClass === command.data.directoryClass) return [];
      return [
        {
          type: 'PersonDirectoryClassChanged',
          data: { personId, from: person.directoryClass, to: command.data.directoryClass },
        },
      ];
    }

    case 'SetContactMode': {
      const person = active(state, personId);
      const mode = command.data.contactMode;
      if (mode !== null && (typeof mode?.searchable !== 'boolean' || typeof mode?.addable !== 'boolean')) {
        throw new InvalidPersonField('contactMode', mode, '应为 { searchable, addable } 或 null（按通讯录规则）');
      }
      const list = mode?.visibleTo ?? [];
      if (
        !Array.isArray(list) ||
        list.length > 1000 ||
        list.some((id) => typeof id !== 'string' || !/^[A-Za-z0-9_.:-]{1,64}$/.test(id))
      )
        throw new InvalidPersonField('contactMode.visibleTo', list, '应为不超过 1000 个人员或组织编号');
      const visibleTo = [...new Set(list)].sort();
      const to =
        mode === null
          ? null
          : { searchable: mode.searchable, addable: mode.addable, ...(visibleTo.length > 0 ? { visibleTo } : {}) };
      if (JSON.stringify(person.contactMode) === JSON.stringify(to)) return [];
      return [{ type: 'PersonContactModeChanged', data: { personId, from: person.contactMode, to } }];
    }
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function evolve(state: PersonState, event: PersonEvent): PersonState {
  if (event.type === 'PersonRegistered') {
    const { primaryPost, ...rest } = event.data;
    return { ...rest, status: 'ACTIVE', posts: [primaryPost], contactMode: null };
  }
  if (state.status === 'NONE') return state;
  switch (event.type) {
    case 'PersonProfileUpdated': {
      const updates = Object.fromEntries(Object.entries(event.data.changes).map(([key, change]) => [key, change!.to]));
      return { ...state, ...updates };
    }
    case 'PersonPostChanged': {
      const updates = Object.fromEntries(Object.entries(event.data.changes).map(([key, change]) => [key, change!.to]));
      return {
        ...state,
        posts: state.posts.map((p) => (p.orgNodeId === event.data.orgNodeId ? { ...p, ...updates } : p)),
      };
    }
    case 'PersonTransferred':
      return { ...state, posts: [event.data.to, ...state.posts.filter((p) => p.kind !== 'PRIMARY')] };
    case 'SecondmentStarted':
    case 'ConcurrentPostAssigned':
      return { ...state, posts: [...state.posts, event.data.post] };
    case 'SecondmentEnded':
    case 'ConcurrentPostRelieved':
      return { ...state, posts: state.posts.filter((p) => p.orgNodeId !== event.data.orgNodeId) };
    case 'PersonLeft':
      // The primary post ends with the departure; concurrent posts and secondments stay until the
      // departure policy ends each of them explicitly, so that subscribers see every post end.
      return { ...state, status: 'LEFT', posts: state.posts.filter((p) => p.kind !== 'PRIMARY') };
    case 'PersonReinstated':
      return { ...state, status: 'ACTIVE', posts: [event.data.primaryPost] };
    case 'PersonDirectoryClassChanged':
      return { ...state, directoryClass: event.data.to };
    case 'PersonContactModeChanged':
      return { ...state, contactMode: event.data.to };
    case 'PersonRecordRetracted':
      return { ...state, status: event.data.restored.status, posts: [...event.data.restored.posts] };
    case 'PersonEffectiveDateCorrected':
      return state;
  }
}

export const personDecider: Decider<PersonCommand, PersonEvent, PersonState> = {
  initialState: () => ({ status: 'NONE' }),
  decide: (command, state, context) => decide(command, state, context.now.toISOString().slice(0, 10)),
  evolve,
};
