/**
 * Assessment read model (年度综合考核, 000:4): what the assessment of any period needs, kept so
 * that a period is read as the platform knew it when the period closed.
 *
 * - `nodes`, `persons`, `accounts`, `groups`, `apps`: one document per entity with its relevant
 *   state as versions stamped with the recorded time (see versions.ts), plus the ids queries use
 *   (`units`: every unit the entity ever belonged to, so a unit's listing finds its past members).
 * - `changes`: one document per person change made by a person (not by a policy), with its lag in
 *   working days as recorded in the event's envelope (000:9, 001a:10) and who recorded it.
 * - `activity`: distinct USER accounts signed in per unit and day, and per unit and month, by the
 *   day the sign-in was recorded (the gateway forwards them as they happen).
 *
 * Days and months are calendar dates in the jurisdiction's time zone.
 */
import { isEventOf, type TypedEnvelope } from '../../application/event-store/event-envelope';
import { effectiveLocalDate, localDate } from '../../application/calendar/working-days';
import type { Change, Projection, ProjectionView } from '../../application/projections/projection';
import type { Doc } from '../../application/ports/read-store.port';
import type { AccountEvent } from '../../domain/account/account.decider';
import type { AppEvent } from '../../domain/app-registration/app-registration.decider';
import type { OrgNodeEvent } from '../../domain/org-node/org-node.decider';
import type { PersonEvent } from '../../domain/person/person.decider';
import type { WorkGroupEvent } from '../../domain/work-group/work-group.decider';
import {
  A_ACCOUNTS,
  A_ACTIVITY,
  A_APPS,
  A_CHANGES,
  A_GROUPS,
  A_NODES,
  A_PERSONS,
  type AccountStanding,
  type AppStanding,
  ASSESSED_CHANGES,
  type AssessedAccountDoc,
  type AssessedAppDoc,
  type AssessedGroupDoc,
  type AssessedPersonDoc,
  ASSESSMENT,
  type ChangeDoc,
  type GroupStanding,
  type NodeDoc,
  type NodeState,
  type PersonStanding,
} from './assessment.documents';
import { latest, type Version, withVersion } from './versions';
import { withHolder, withoutHolder } from '../../domain/org-node/unit-responsibilities';

export * from './assessment.documents';

type NodeEvent = Extract<
  OrgNodeEvent,
  {
    type:
      | 'OrgNodeCreated'
      | 'OrgNodeRenamed'
      | 'OrgNodeMoved'
      | 'OrgNodeMergedInto'
      | 'OrgNodeDissolved'
      | 'UnitResponsibilityAssigned'
      | 'UnitResponsibilityReleased';
  }
>;
type AssessedPersonEvent = Exclude<PersonEvent, { type: 'PersonDirectoryClassChanged' | 'PersonContactModeChanged' }>;
type AssessedAccountEvent = Exclude<
  AccountEvent,
  { type: 'AdminScopeGranted' | 'AdminScopeRevoked' | 'ReadRoleGranted' | 'ReadRoleRevoked' | 'IdNumbersDisclosed' }
>;
type AssessedGroupEvent = WorkGroupEvent;
type AssessedAppEvent = Exclude<
  AppEvent,
  { type: 'AppReportsAttached' | 'AppReportResultRecorded' | 'AppAuthorized' | 'AppAuthorizationRevoked' }
>;
type Assessed = NodeEvent | AssessedPersonEvent | AssessedAccountEvent | AssessedGroupEvent | AssessedAppEvent;

const NODE_EVENTS: ReadonlyArray<NodeEvent['type']> = [
  'OrgNodeCreated',
  'OrgNodeRenamed',
  'OrgNodeMoved',
  'OrgNodeMergedInto',
  'OrgNodeDissolved',
  'UnitResponsibilityAssigned',
  'UnitResponsibilityReleased',
];
const PERSON_EVENTS: ReadonlyArray<AssessedPersonEvent['type']> = [
  'PersonRegistered',
  'PersonProfileUpdated',
  'PersonTransferred',
  'PersonLeft',
  'PersonReinstated',
  'PersonPostChanged',
  'SecondmentStarted',
  'SecondmentEnded',
  'ConcurrentPostAssigned',
  'ConcurrentPostRelieved',
  'PersonRecordRetracted',
  'PersonEffectiveDateCorrected',
];
const ACCOUNT_EVENTS: ReadonlyArray<AssessedAccountEvent['type']> = [
  'AccountOpened',
  'AccountActivated',
  'AccountFrozen',
  'AccountUnfrozen',
  'AccountClosed',
  'AccountPasswordChanged',
  'AccountSignedIn',
];
const GROUP_EVENTS: ReadonlyArray<AssessedGroupEvent['type']> = [
  'WorkGroupCreated',
  'GroupMembersAdded',
  'GroupMembersRemoved',
  'GroupAdminAssigned',
  'GroupAdminRevoked',
  'GroupOwnershipTransferred',
  'GroupActivityRecorded',
  'WorkGroupRehomed',
  'WorkGroupDissolved',
];
const APP_EVENTS: ReadonlyArray<AssessedAppEvent['type']> = [
  'AppAccessRequested',
  'AppAccessApproved',
  'AppAccessRejected',
  'AppLaunched',
  'AppTakenOffline',
  'AppRestored',
  'AppDeregistered',
];

export interface AssessmentProjectionSettings {
  readonly timeZone: string;
}

/** What every fold needs: the jurisdiction's time zone and the calendar day of an instant in it. */
interface Context {
  readonly timeZone: string;
  readonly dayOf: (instant: string) => string;
}

/** Instants as `toISOString()` gives them, so that they compare as strings (the gateway may send other ISO forms). */
const iso = (instant: string) => new Date(instant).toISOString();
const addTo = (list: readonly string[], ids: readonly string[]) => [...new Set([...list, ...ids])];
const without = (list: readonly string[], ids: readonly string[]) => list.filter((id) => !ids.includes(id));

/** A document as the read store keeps it (plain JSON). */
const stored = (doc: object) => doc as unknown as Doc;

function versioned<S extends object, D extends { versions: Array<Version<S>> }>(
  collection: string,
  id: string,
  at: string,
  next: (state: S, doc: D) => S,
  also: (doc: D) => Partial<D> = () => ({}),
): Change {
  return {
    collection,
    id,
    apply: (current) => {
      if (!current) return null;
      const doc = current as unknown as D;
      return stored({ ...doc, ...also(doc), versions: withVersion(doc.versions, at, next(latest(doc.versions), doc)) });
    },
  };
}

function patch(collection: string, id: string, fields: (doc: Doc) => Record<string, unknown>): Change {
  return { collection, id, apply: (current) => (current ? ({ ...current, ...fields(current) } as Doc) : null) };
}

const person = (
  id: string,
  at: string,
  next: (s: PersonStanding, doc: AssessedPersonDoc) => PersonStanding,
  also?: (doc: AssessedPersonDoc) => Partial<AssessedPersonDoc>,
) => versioned<PersonStanding, AssessedPersonDoc>(A_PERSONS, id, at, next, also);
const account = (id: string, at: string, next: (s: AccountStanding) => AccountStanding) =>
  versioned<AccountStanding, AssessedAccountDoc>(A_ACCOUNTS, id, at, next);
const group = (
  id: string,
  at: string,
  next: (s: GroupStanding) => GroupStanding,
  also?: (doc: AssessedGroupDoc) => Partial<AssessedGroupDoc>,
) => versioned<GroupStanding, AssessedGroupDoc>(A_GROUPS, id, at, next, also);
const app = (id: string, at: string, next: (s: AppStanding) => AppStanding) =>
  versioned<AppStanding, AssessedAppDoc>(A_APPS, id, at, next);
const node = (id: string, at: string, next: (s: NodeState) => NodeState) =>
  versioned<NodeState, NodeDoc>(A_NODES, id, at, next);

/** The change's record for the timeliness measure, when a person (not a policy) made it and its lag was recorded. */
function changeRecord(
  event: TypedEnvelope<AssessedPersonEvent>,
  personName: string,
  unitId: string,
  context: Context,
): Change[] {
  const assessed = (ASSESSED_CHANGES as readonly string[]).includes(event.type);
  if (!assessed || event.actor.role === 'SYSTEM' || !event.timeliness) return [];
  const doc: ChangeDoc = {
    id: event.eventId,
    type: event.type,
    personId: event.data.personId,
    personName,
    unitId,
    effectiveOn: effectiveLocalDate(event.effectiveAt, context.timeZone),
    recordedAt: event.recordedAt,
    recordedOn: context.dayOf(event.recordedAt),
    lagWorkingDays: event.timeliness.lagWorkingDays,
    actorAccountId: event.actor.accountId,
    actorPersonId: event.actor.personId ?? null,
    actorRole: event.actor.role,
    sourceRef: event.sourceRef,
  };
  return [{ collection: A_CHANGES, id: event.eventId, apply: () => stored(doc) }];
}

async function personChanges(
  event: TypedEnvelope<AssessedPersonEvent>,
  view: ProjectionView,
  context: Context,
): Promise<Change[]> {
  const id = event.data.personId;
  const at = event.recordedAt;
  if (event.type === 'PersonRegistered') {
    const unitId = event.data.primaryPost.orgNodeId;
    const standing: PersonStanding = { status: 'ACTIVE', unitId, employment: event.data.employment.type, leftOn: null };
    const doc: AssessedPersonDoc = {
      id,
      name: event.data.name,
      units: [unitId],
      groups: [],
      versions: [{ at, ...standing }],
    };
    return [{ collection: A_PERSONS, id, apply: () => stored(doc) }, ...changeRecord(event, doc.name, unitId, context)];
  }
  const current = (await view.get(A_PERSONS, id)) as unknown as AssessedPersonDoc | null;
  if (!current) return [];
  const record = (unitId: string) => changeRecord(event, current.name, unitId, context);
  switch (event.type) {
    case 'PersonTransferred': {
      const unitId = event.data.to.orgNodeId;
      const moved = person(
        id,
        at,
        (s) => ({ ...s, unitId }),
        (doc) => ({ units: addTo(doc.units, [unitId]) }),
      );
      return [moved, ...record(unitId)];
    }
    case 'PersonProfileUpdated': {
      const { changes } = event.data;
      const employment = (s: PersonStanding) => changes.employment?.to.type ?? s.employment;
      return [
        person(
          id,
          at,
          (s) => ({ ...s, employment: employment(s) }),
          (doc) => ({ name: changes.name?.to ?? doc.name }),
        ),
      ];
    }
    case 'PersonLeft': {
      const leftOn = effectiveLocalDate(event.effectiveAt, context.timeZone);
      const unitId = event.data.primaryOrgNodeId;
      const marked = current.groups.map((groupId) =>
        group(groupId, at, (s) => ({ ...s, departed: addTo(s.departed, [id]) })),
      );
      return [person(id, at, (s) => ({ ...s, status: 'LEFT', unitId, leftOn })), ...marked, ...record(unitId)];
    }
    case 'PersonReinstated': {
      const unitId = event.data.primaryPost.orgNodeId;
      const back = person(
        id,
        at,
        (s) => ({ ...s, status: 'ACTIVE', unitId, leftOn: null }),
        (doc) => ({ units: addTo(doc.units, [unitId]) }),
      );
      const unmarked = current.groups.map((groupId) =>
        group(groupId, at, (s) => ({ ...s, departed: without(s.departed, [id]) })),
      );
      return [back, ...unmarked, ...record(unitId)];
    }
    // Corrections are recorded when made: a closed period's figures keep what was recorded in it.
    case 'PersonRecordRetracted': {
      const { restored, eventId } = event.data;
      const unitId = restored.posts.find((p) => p.kind === 'PRIMARY')?.orgNodeId;
      const active = restored.status === 'ACTIVE';
      const corrected = person(
        id,
        at,
        (s) => ({ ...s, status: restored.status, unitId: unitId ?? s.unitId, leftOn: active ? null : s.leftOn }),
        (doc) => ({ units: unitId ? addTo(doc.units, [unitId]) : doc.units }),
      );
      const groups = current.groups.map((groupId) =>
        group(groupId, at, (s) => ({
          ...s,
          departed: active ? without(s.departed, [id]) : addTo(s.departed, [id]),
        })),
      );
      return [corrected, ...groups, patch(A_CHANGES, eventId, () => ({ correction: { kind: 'RETRACTED', at } }))];
    }
    case 'PersonEffectiveDateCorrected': {
      const effectiveOn = effectiveLocalDate(event.data.to, context.timeZone);
      const correction = { kind: 'EFFECTIVE_DATE', at, effectiveOn };
      return [patch(A_CHANGES, event.data.eventId, () => ({ correction }))];
    }
    default:
      return record(latest(current.versions).unitId);
  }
}

/** Distinct USER accounts signed in per unit and day, and per unit and month. */
async function signInChanges(
  event: TypedEnvelope<Extract<AccountEvent, { type: 'AccountSignedIn' }>>,
  view: ProjectionView,
  context: Context,
): Promise<Change[]> {
  const id = event.data.accountId;
  const current = (await view.get(A_ACCOUNTS, id)) as unknown as AssessedAccountDoc | null;
  if (!current || current.type !== 'USER' || !current.personId) return [];
  const owner = (await view.get(A_PERSONS, current.personId)) as unknown as AssessedPersonDoc | null;
  if (!owner) return [];
  const unitId = latest(owner.versions).unitId;
  const day = context.dayOf(event.recordedAt);
  const month = day.slice(0, 7);
  const count = (kind: 'DAY' | 'MONTH', period: string): Change => {
    const docId = `${kind}|${unitId}|${period}`;
    const accounts = (doc: Doc | null) => ((doc?.accounts as number | undefined) ?? 0) + 1;
    return {
      collection: A_ACTIVITY,
      id: docId,
      apply: (doc) => ({ id: docId, kind, unitId, period, accounts: accounts(doc) }),
    };
  };
  // Distinct accounts: an account counts once a day and once a month.
  return [
    ...(current.lastSignInDay === day ? [] : [count('DAY', day)]),
    ...(current.lastSignInMonth === month ? [] : [count('MONTH', month)]),
    patch(A_ACCOUNTS, id, () => ({ lastSignInDay: day, lastSignInMonth: month })),
  ];
}

function accountChanges(
  event: TypedEnvelope<AssessedAccountEvent>,
  view: ProjectionView,
  context: Context,
): Change[] | Promise<Change[]> {
  const id = event.data.accountId;
  const at = event.recordedAt;
  switch (event.type) {
    case 'AccountOpened': {
      const { type, loginName, personId, sponsorOrgNodeId, expiresAt } = event.data;
      const doc: AssessedAccountDoc = {
        id,
        type,
        loginName,
        personId: personId ?? null,
        sponsorOrgNodeId: sponsorOrgNodeId ?? null,
        expiresAt: expiresAt ?? null,
        openedAt: at,
        lastSignInDay: null,
        lastSignInMonth: null,
        versions: [{ at, status: 'PENDING_ACTIVATION', activated: false, passwordChangedAt: null }],
      };
      return [{ collection: A_ACCOUNTS, id, apply: () => stored(doc) }];
    }
    case 'AccountActivated':
      return [
        account(id, at, (s) => ({
          ...s,
          activated: true,
          status: s.status === 'PENDING_ACTIVATION' ? 'ACTIVE' : s.status,
        })),
      ];
    case 'AccountFrozen':
      return [account(id, at, (s) => ({ ...s, status: 'FROZEN' }))];
    case 'AccountUnfrozen':
      return [account(id, at, (s) => ({ ...s, status: event.data.status }))];
    case 'AccountClosed':
      return [account(id, at, (s) => ({ ...s, status: 'CLOSED' }))];
    case 'AccountPasswordChanged':
      return [account(id, at, (s) => ({ ...s, passwordChangedAt: iso(event.data.at) }))];
    case 'AccountSignedIn':
      return signInChanges(event, view, context);
  }
}

function groupChanges(event: TypedEnvelope<AssessedGroupEvent>, context: Context): Change[] {
  const id = event.data.groupId;
  const at = event.recordedAt;
  const memberships = (personIds: readonly string[], edit: (groups: string[]) => string[]) =>
    personIds.map((p) => patch(A_PERSONS, p, (doc) => ({ groups: edit(doc.groups as string[]) })));
  switch (event.type) {
    case 'WorkGroupCreated': {
      const unitId = event.data.owningOrgNodeId;
      const standing: GroupStanding = {
        status: 'ACTIVE',
        unitId,
        admins: [...event.data.adminIds],
        ownerId: event.data.ownerId,
        departed: [],
      };
      const doc: AssessedGroupDoc = {
        id,
        name: event.data.name,
        units: [unitId],
        createdAt: at,
        lastActivity: {},
        versions: [{ at, ...standing }],
      };
      const members = memberships(event.data.memberIds, (g) => addTo(g, [id]));
      return [{ collection: A_GROUPS, id, apply: () => stored(doc) }, ...members];
    }
    case 'GroupMembersAdded':
      return memberships(event.data.personIds, (g) => addTo(g, [id]));
    case 'GroupMembersRemoved': {
      const { personIds: removed, adminsRemoved, ownerRemoved } = event.data;
      const next = (s: GroupStanding) => ({
        ...s,
        admins: without(s.admins, adminsRemoved),
        ownerId: ownerRemoved ? null : s.ownerId,
        departed: without(s.departed, removed),
      });
      return [group(id, at, next), ...memberships(removed, (g) => without(g, [id]))];
    }
    case 'GroupAdminAssigned':
      return [group(id, at, (s) => ({ ...s, admins: addTo(s.admins, [event.data.personId]) }))];
    case 'GroupAdminRevoked':
      return [group(id, at, (s) => ({ ...s, admins: without(s.admins, [event.data.personId]) }))];
    case 'GroupOwnershipTransferred':
      return [group(id, at, (s) => ({ ...s, ownerId: event.data.to }))];
    case 'GroupActivityRecorded': {
      const month = context.dayOf(at).slice(0, 7);
      const when = iso(event.data.at);
      const later = (doc: Doc) => {
        const last = doc.lastActivity as Record<string, string>;
        return last[month] !== undefined && last[month] >= when ? {} : { lastActivity: { ...last, [month]: when } };
      };
      return [patch(A_GROUPS, id, later)];
    }
    case 'WorkGroupRehomed': {
      const unitId = event.data.to;
      return [
        group(
          id,
          at,
          (s) => ({ ...s, unitId }),
          (doc) => ({ units: addTo(doc.units, [unitId]) }),
        ),
      ];
    }
    case 'WorkGroupDissolved':
      return [group(id, at, (s) => ({ ...s, status: 'DISSOLVED' }))];
  }
}

/** The unit of the acting person's primary post as the assessment knows it (null for a policy, or unknown). */
async function actorUnit(event: TypedEnvelope<AssessedAppEvent>, view: ProjectionView): Promise<string | null> {
  const personId = event.actor.personId;
  if (!personId) return null;
  const doc = (await view.get(A_PERSONS, personId)) as unknown as AssessedPersonDoc | null;
  return doc ? latest(doc.versions).unitId : null;
}

async function appChanges(
  event: TypedEnvelope<AssessedAppEvent>,
  view: ProjectionView,
  context: Context,
): Promise<Change[]> {
  const id = event.data.appId;
  const at = event.recordedAt;
  const day = context.dayOf(at);
  switch (event.type) {
    case 'AppAccessRequested': {
      const unitId = event.data.owningOrgNodeId;
      const standing: AppStanding = {
        status: 'REQUESTED',
        unitId,
        decidedOn: null,
        offlineSince: null,
        deregisteredOn: null,
      };
      const doc: AssessedAppDoc = {
        id,
        name: event.data.name,
        units: [unitId],
        requestedOn: day,
        reviewDueOn: event.data.reviewDueOn,
        versions: [{ at, ...standing }],
      };
      return [{ collection: A_APPS, id, apply: () => stored(doc) }];
    }
    case 'AppAccessApproved':
    case 'AppAccessRejected': {
      const status = event.type === 'AppAccessApproved' ? 'APPROVED' : 'REJECTED';
      const reviewerUnitId = await actorUnit(event, view);
      return [app(id, at, (s) => ({ ...s, status, decidedOn: day, reviewerUnitId }))];
    }
    case 'AppLaunched':
      return [app(id, at, (s) => ({ ...s, status: 'ONLINE' }))];
    case 'AppTakenOffline':
      return [app(id, at, (s) => ({ ...s, status: 'OFFLINE', offlineSince: day }))];
    case 'AppRestored':
      return [app(id, at, (s) => ({ ...s, status: 'ONLINE', offlineSince: null }))];
    case 'AppDeregistered':
      return [app(id, at, (s) => ({ ...s, status: 'DEREGISTERED', offlineSince: null, deregisteredOn: day }))];
  }
}

function nodeChanges(event: TypedEnvelope<NodeEvent>): Change[] {
  const id = event.data.orgNodeId;
  const at = event.recordedAt;
  switch (event.type) {
    case 'OrgNodeCreated': {
      const { name, parentId, kind } = event.data;
      const doc: NodeDoc = { id, versions: [{ at, name, parentId: parentId ?? null, kind, status: 'ACTIVE' }] };
      return [{ collection: A_NODES, id, apply: () => stored(doc) }];
    }
    case 'OrgNodeRenamed':
      return [node(id, at, (s) => ({ ...s, name: event.data.to.name }))];
    case 'OrgNodeMoved':
      return [node(id, at, (s) => ({ ...s, parentId: event.data.toParentId }))];
    case 'OrgNodeMergedInto':
      return [node(id, at, (s) => ({ ...s, status: 'MERGED' }))];
    case 'OrgNodeDissolved':
      return [node(id, at, (s) => ({ ...s, status: 'DISSOLVED' }))];
    case 'UnitResponsibilityAssigned':
    case 'UnitResponsibilityReleased': {
      const { role, personId } = event.data;
      const assigned = event.type === 'UnitResponsibilityAssigned';
      return [
        node(id, at, (s) => ({
          ...s,
          responsibilities: (assigned ? withHolder : withoutHolder)(s.responsibilities, role, personId),
        })),
      ];
    }
  }
}

function changesOf(event: TypedEnvelope<Assessed>, view: ProjectionView, context: Context) {
  if (isEventOf<NodeEvent>(NODE_EVENTS, event)) return nodeChanges(event);
  if (isEventOf<AssessedAppEvent>(APP_EVENTS, event)) return appChanges(event, view, context);
  if (isEventOf<AssessedAccountEvent>(ACCOUNT_EVENTS, event)) return accountChanges(event, view, context);
  if (isEventOf<AssessedPersonEvent>(PERSON_EVENTS, event)) return personChanges(event, view, context);
  if (isEventOf<AssessedGroupEvent>(GROUP_EVENTS, event)) return groupChanges(event, context);
  return [];
}

export function assessmentProjection(settings: AssessmentProjectionSettings): Projection<Assessed> {
  const context: Context = {
    timeZone: settings.timeZone,
    dayOf: (instant) => localDate(new Date(instant), settings.timeZone),
  };
  return {
    name: ASSESSMENT,
    // 2: a review records the unit of its reviewer; 3: groups record their owner (issue 19).
    version: 3,
    collections: [
      { name: A_NODES },
      { name: A_PERSONS, indexes: [{ fields: ['units'], multikey: true }] },
      { name: A_ACCOUNTS, indexes: [{ fields: ['personId'] }, { fields: ['sponsorOrgNodeId'] }] },
      { name: A_GROUPS, indexes: [{ fields: ['units'], multikey: true }] },
      { name: A_APPS, indexes: [{ fields: ['units'], multikey: true }] },
      { name: A_CHANGES, indexes: [{ fields: ['recordedAt'] }, { fields: ['unitId', 'recordedAt'] }] },
      { name: A_ACTIVITY, indexes: [{ fields: ['kind', 'period'] }, { fields: ['unitId', 'kind', 'period'] }] },
    ],
    eventTypes: [...NODE_EVENTS, ...PERSON_EVENTS, ...ACCOUNT_EVENTS, ...GROUP_EVENTS, ...APP_EVENTS],
    changesOf: (event, view) => changesOf(event, view, context),
  };
}
