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
import type { EventEnvelope } from '../../application/event-store/event-envelope';
import type { Change, Projection, ProjectionView } from '../../application/projections/projection';
import type { Doc } from '../../application/read-store/read-store.port';
import { effectiveLocalDate, localDate } from '../../application/ports/working-day-calendar';
import { latest, type Version, withVersion } from './versions';

export const ASSESSMENT = 'assessment';
export const A_NODES = 'nodes';
export const A_PERSONS = 'persons';
export const A_ACCOUNTS = 'accounts';
export const A_GROUPS = 'groups';
export const A_APPS = 'apps';
export const A_CHANGES = 'changes';
export const A_ACTIVITY = 'activity';

export interface NodeState {
  readonly name: string;
  readonly parentId: string | null;
  readonly kind: string;
  readonly status: 'ACTIVE' | 'DISSOLVED' | 'MERGED';
}
export interface NodeDoc {
  readonly id: string;
  readonly versions: Array<Version<NodeState>>;
}

export interface PersonStanding {
  readonly status: 'ACTIVE' | 'LEFT';
  /** The node of the primary post (for a departed person: the one they left). */
  readonly unitId: string;
  readonly employment: string;
  /** Effective date of the departure. */
  readonly leftOn: string | null;
}
export interface AssessedPersonDoc {
  readonly id: string;
  readonly name: string;
  readonly units: string[];
  /** Work groups the person is a member of now (to mark them when the person leaves). */
  readonly groups: string[];
  readonly versions: Array<Version<PersonStanding>>;
}

export interface AccountStanding {
  readonly status: 'PENDING_ACTIVATION' | 'ACTIVE' | 'FROZEN' | 'CLOSED';
  readonly activated: boolean;
  readonly passwordChangedAt: string | null;
}
export interface AssessedAccountDoc {
  readonly id: string;
  readonly type: 'SYSTEM_ADMIN' | 'TIERED_ADMIN' | 'USER' | 'TEMPORARY';
  readonly loginName: string;
  readonly personId: string | null;
  readonly sponsorOrgNodeId: string | null;
  readonly expiresAt: string | null;
  readonly openedAt: string;
  readonly lastSignInDay: string | null;
  readonly lastSignInMonth: string | null;
  readonly versions: Array<Version<AccountStanding>>;
}

export interface GroupStanding {
  readonly status: 'ACTIVE' | 'DISSOLVED';
  readonly unitId: string;
  readonly admins: string[];
  /** Members who have left and are still in the group (000:11, 001a:22). */
  readonly departed: string[];
}
export interface AssessedGroupDoc {
  readonly id: string;
  readonly name: string;
  readonly units: string[];
  readonly createdAt: string;
  /** Recorded month → the latest activity recorded in it (staleness at a month's end reads the months up to it). */
  readonly lastActivity: Record<string, string>;
  readonly versions: Array<Version<GroupStanding>>;
}

export interface AppStanding {
  readonly status: 'REQUESTED' | 'APPROVED' | 'REJECTED' | 'ONLINE' | 'OFFLINE' | 'DEREGISTERED';
  readonly unitId: string;
  /** The day the review was decided on the platform (001a:14: due within 7 working days of the request). */
  readonly decidedOn: string | null;
  readonly offlineSince: string | null;
  readonly deregisteredOn: string | null;
}
export interface AssessedAppDoc {
  readonly id: string;
  readonly name: string;
  readonly units: string[];
  readonly requestedOn: string;
  readonly reviewDueOn: string;
  readonly versions: Array<Version<AppStanding>>;
}

export interface ChangeDoc {
  readonly id: string;
  readonly type: string;
  readonly personId: string;
  readonly personName: string;
  readonly unitId: string;
  readonly effectiveOn: string;
  readonly recordedAt: string;
  readonly recordedOn: string;
  readonly lagWorkingDays: number;
  readonly actorAccountId: string;
  readonly actorPersonId: string | null;
  readonly actorRole: string;
  readonly sourceRef: string | null;
}

export interface ActivityDoc {
  readonly id: string;
  readonly kind: 'DAY' | 'MONTH';
  readonly unitId: string;
  /** YYYY-MM-DD for a day, YYYY-MM for a month. */
  readonly period: string;
  readonly accounts: number;
}

/** Person changes whose timeliness is assessed: posts, transfers, departures and their like (000:9, 001a:10). */
export const ASSESSED_CHANGES = [
  'PersonRegistered',
  'PersonPostChanged',
  'PersonTransferred',
  'SecondmentStarted',
  'SecondmentEnded',
  'ConcurrentPostAssigned',
  'ConcurrentPostRelieved',
  'PersonLeft',
  'PersonReinstated',
] as const;

type Data = Record<string, unknown>;

export interface AssessmentProjectionSettings {
  readonly timeZone: string;
}

/** Instants as `toISOString()` gives them, so that they compare as strings (the gateway may send other ISO forms). */
const iso = (instant: string) => new Date(instant).toISOString();
const addTo = (list: readonly string[], ids: readonly string[]) => [...new Set([...list, ...ids])];
const without = (list: readonly string[], ids: readonly string[]) => list.filter((id) => !ids.includes(id));

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
      return {
        ...doc,
        ...also(doc),
        versions: withVersion(doc.versions, at, next(latest(doc.versions), doc)),
      } as unknown as Doc;
    },
  };
}

function patch(collection: string, id: string, fields: (doc: Doc) => Record<string, unknown>): Change {
  return { collection, id, apply: (current) => (current ? ({ ...current, ...fields(current) } as Doc) : null) };
}

export function assessmentProjection(settings: AssessmentProjectionSettings): Projection {
  const dayOf = (instant: string) => localDate(new Date(instant), settings.timeZone);

  const person = (
    id: string,
    at: string,
    next: (s: PersonStanding, doc: AssessedPersonDoc) => PersonStanding,
    also?: (doc: AssessedPersonDoc) => Partial<AssessedPersonDoc>,
  ) => versioned<PersonStanding, AssessedPersonDoc>(A_PERSONS, id, at, next, also);
  const account = (id: string, at: string, next: (s: AccountStanding) => AccountStanding) =>
    versioned<AccountStanding, AssessedAccountDoc & { versions: Array<Version<AccountStanding>> }>(
      A_ACCOUNTS,
      id,
      at,
      next,
    );
  const group = (
    id: string,
    at: string,
    next: (s: GroupStanding) => GroupStanding,
    also?: (doc: AssessedGroupDoc) => Partial<AssessedGroupDoc>,
  ) => versioned<GroupStanding, AssessedGroupDoc>(A_GROUPS, id, at, next, also);
  const app = (
    id: string,
    at: string,
    next: (s: AppStanding) => AppStanding,
    also?: (doc: AssessedAppDoc) => Partial<AssessedAppDoc>,
  ) => versioned<AppStanding, AssessedAppDoc>(A_APPS, id, at, next, also);
  const node = (id: string, at: string, next: (s: NodeState) => NodeState) =>
    versioned<NodeState, NodeDoc>(A_NODES, id, at, next);

  /** The change's record for the timeliness measure, when a person (not a policy) made it and its lag was recorded. */
  function changeRecord(event: EventEnvelope, personId: string, personName: string, unitId: string): Change[] {
    if (
      !(ASSESSED_CHANGES as readonly string[]).includes(event.type) ||
      event.actor.role === 'SYSTEM' ||
      !event.timeliness
    )
      return [];
    const doc: ChangeDoc = {
      id: event.eventId,
      type: event.type,
      personId,
      personName,
      unitId,
      effectiveOn: effectiveLocalDate(event.effectiveAt, settings.timeZone),
      recordedAt: event.recordedAt,
      recordedOn: dayOf(event.recordedAt),
      lagWorkingDays: event.timeliness.lagWorkingDays,
      actorAccountId: event.actor.accountId,
      actorPersonId: event.actor.personId ?? null,
      actorRole: event.actor.role,
      sourceRef: event.sourceRef,
    };
    return [{ collection: A_CHANGES, id: event.eventId, apply: () => doc as unknown as Doc }];
  }

  async function personChanges(event: EventEnvelope, view: ProjectionView): Promise<Change[]> {
    const d = event.data as Data;
    const id = d.personId as string;
    const at = event.recordedAt;
    if (event.type === 'PersonRegistered') {
      const unitId = (d.primaryPost as { orgNodeId: string }).orgNodeId;
      const doc: AssessedPersonDoc = {
        id,
        name: d.name as string,
        units: [unitId],
        groups: [],
        versions: [{ at, status: 'ACTIVE', unitId, employment: (d.employment as { type: string }).type, leftOn: null }],
      };
      return [
        { collection: A_PERSONS, id, apply: () => doc as unknown as Doc },
        ...changeRecord(event, id, doc.name, unitId),
      ];
    }
    const current = (await view.get(A_PERSONS, id)) as unknown as AssessedPersonDoc | null;
    if (!current) return [];
    const standing = latest(current.versions);
    switch (event.type) {
      case 'PersonTransferred': {
        const unitId = (d.to as { orgNodeId: string }).orgNodeId;
        return [
          person(
            id,
            at,
            (s) => ({ ...s, unitId }),
            (doc) => ({ units: addTo(doc.units, [unitId]) }),
          ),
          ...changeRecord(event, id, current.name, unitId),
        ];
      }
      case 'PersonProfileUpdated': {
        const changes = d.changes as { name?: { to: string }; employment?: { to: { type: string } } };
        return [
          person(
            id,
            at,
            (s) => ({ ...s, employment: changes.employment?.to.type ?? s.employment }),
            (doc) => ({ name: changes.name?.to ?? doc.name }),
          ),
        ];
      }
      case 'PersonLeft': {
        const leftOn = effectiveLocalDate(event.effectiveAt, settings.timeZone);
        const unitId = d.primaryOrgNodeId as string;
        return [
          person(id, at, (s) => ({ ...s, status: 'LEFT', unitId, leftOn })),
          ...current.groups.map((groupId) => group(groupId, at, (s) => ({ ...s, departed: addTo(s.departed, [id]) }))),
          ...changeRecord(event, id, current.name, unitId),
        ];
      }
      case 'PersonReinstated': {
        const unitId = (d.primaryPost as { orgNodeId: string }).orgNodeId;
        return [
          person(
            id,
            at,
            (s) => ({ ...s, status: 'ACTIVE', unitId, leftOn: null }),
            (doc) => ({ units: addTo(doc.units, [unitId]) }),
          ),
          ...current.groups.map((groupId) =>
            group(groupId, at, (s) => ({ ...s, departed: without(s.departed, [id]) })),
          ),
          ...changeRecord(event, id, current.name, unitId),
        ];
      }
      default:
        return changeRecord(event, id, current.name, standing.unitId);
    }
  }

  async function accountChanges(event: EventEnvelope, view: ProjectionView): Promise<Change[]> {
    const d = event.data as Data;
    const id = d.accountId as string;
    const at = event.recordedAt;
    switch (event.type) {
      case 'AccountOpened': {
        const doc: AssessedAccountDoc = {
          id,
          type: d.type as AssessedAccountDoc['type'],
          loginName: d.loginName as string,
          personId: (d.personId as string | null) ?? null,
          sponsorOrgNodeId: (d.sponsorOrgNodeId as string | null) ?? null,
          expiresAt: (d.expiresAt as string | null) ?? null,
          openedAt: at,
          lastSignInDay: null,
          lastSignInMonth: null,
          versions: [{ at, status: 'PENDING_ACTIVATION', activated: false, passwordChangedAt: null }],
        };
        return [{ collection: A_ACCOUNTS, id, apply: () => doc as unknown as Doc }];
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
        return [account(id, at, (s) => ({ ...s, status: d.status as AccountStanding['status'] }))];
      case 'AccountClosed':
        return [account(id, at, (s) => ({ ...s, status: 'CLOSED' }))];
      case 'AccountPasswordChanged':
        return [account(id, at, (s) => ({ ...s, passwordChangedAt: iso(d.at as string) }))];
      case 'AccountSignedIn': {
        const current = (await view.get(A_ACCOUNTS, id)) as unknown as AssessedAccountDoc | null;
        if (!current || current.type !== 'USER' || !current.personId) return [];
        const owner = (await view.get(A_PERSONS, current.personId)) as unknown as AssessedPersonDoc | null;
        if (!owner) return [];
        const unitId = latest(owner.versions).unitId;
        const day = dayOf(at);
        const month = day.slice(0, 7);
        const count = (kind: 'DAY' | 'MONTH', period: string): Change => ({
          collection: A_ACTIVITY,
          id: `${kind}|${unitId}|${period}`,
          apply: (doc) => ({
            id: `${kind}|${unitId}|${period}`,
            kind,
            unitId,
            period,
            accounts: ((doc?.accounts as number | undefined) ?? 0) + 1,
          }),
        });
        // Distinct accounts: an account counts once a day and once a month.
        return [
          ...(current.lastSignInDay === day ? [] : [count('DAY', day)]),
          ...(current.lastSignInMonth === month ? [] : [count('MONTH', month)]),
          patch(A_ACCOUNTS, id, () => ({ lastSignInDay: day, lastSignInMonth: month })),
        ];
      }
      default:
        return [];
    }
  }

  function groupChanges(event: EventEnvelope): Change[] {
    const d = event.data as Data;
    const id = d.groupId as string;
    const at = event.recordedAt;
    const memberships = (personIds: readonly string[], edit: (groups: string[]) => string[]) =>
      personIds.map((p) => patch(A_PERSONS, p, (doc) => ({ groups: edit(doc.groups as string[]) })));
    switch (event.type) {
      case 'WorkGroupCreated': {
        const unitId = d.owningOrgNodeId as string;
        const doc: AssessedGroupDoc = {
          id,
          name: d.name as string,
          units: [unitId],
          createdAt: at,
          lastActivity: {},
          versions: [{ at, status: 'ACTIVE', unitId, admins: d.adminIds as string[], departed: [] }],
        };
        return [
          { collection: A_GROUPS, id, apply: () => doc as unknown as Doc },
          ...memberships(d.memberIds as string[], (g) => addTo(g, [id])),
        ];
      }
      case 'GroupMembersAdded':
        return memberships(d.personIds as string[], (g) => addTo(g, [id]));
      case 'GroupMembersRemoved': {
        const removed = d.personIds as string[];
        return [
          group(id, at, (s) => ({
            ...s,
            admins: without(s.admins, d.adminsRemoved as string[]),
            departed: without(s.departed, removed),
          })),
          ...memberships(removed, (g) => without(g, [id])),
        ];
      }
      case 'GroupAdminAssigned':
        return [group(id, at, (s) => ({ ...s, admins: addTo(s.admins, [d.personId as string]) }))];
      case 'GroupAdminRevoked':
        return [group(id, at, (s) => ({ ...s, admins: without(s.admins, [d.personId as string]) }))];
      case 'GroupActivityRecorded': {
        const month = dayOf(at).slice(0, 7);
        const when = iso(d.at as string);
        return [
          patch(A_GROUPS, id, (doc) => {
            const last = doc.lastActivity as Record<string, string>;
            return last[month] !== undefined && last[month] >= when ? {} : { lastActivity: { ...last, [month]: when } };
          }),
        ];
      }
      case 'WorkGroupRehomed': {
        const unitId = d.to as string;
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
      default:
        return [];
    }
  }

  function appChanges(event: EventEnvelope): Change[] {
    const d = event.data as Data;
    const id = d.appId as string;
    const at = event.recordedAt;
    const day = dayOf(at);
    switch (event.type) {
      case 'AppAccessRequested': {
        const unitId = d.owningOrgNodeId as string;
        const doc: AssessedAppDoc = {
          id,
          name: d.name as string,
          units: [unitId],
          requestedOn: day,
          reviewDueOn: d.reviewDueOn as string,
          versions: [{ at, status: 'REQUESTED', unitId, decidedOn: null, offlineSince: null, deregisteredOn: null }],
        };
        return [{ collection: A_APPS, id, apply: () => doc as unknown as Doc }];
      }
      case 'AppAccessApproved':
        return [app(id, at, (s) => ({ ...s, status: 'APPROVED', decidedOn: day }))];
      case 'AppAccessRejected':
        return [app(id, at, (s) => ({ ...s, status: 'REJECTED', decidedOn: day }))];
      case 'AppLaunched':
        return [app(id, at, (s) => ({ ...s, status: 'ONLINE' }))];
      case 'AppTakenOffline':
        return [app(id, at, (s) => ({ ...s, status: 'OFFLINE', offlineSince: day }))];
      case 'AppRestored':
        return [app(id, at, (s) => ({ ...s, status: 'ONLINE', offlineSince: null }))];
      case 'AppDeregistered':
        return [app(id, at, (s) => ({ ...s, status: 'DEREGISTERED', offlineSince: null, deregisteredOn: day }))];
      default:
        return [];
    }
  }

  function nodeChanges(event: EventEnvelope): Change[] {
    const d = event.data as Data;
    const id = d.orgNodeId as string;
    const at = event.recordedAt;
    switch (event.type) {
      case 'OrgNodeCreated': {
        const doc: NodeDoc = {
          id,
          versions: [
            {
              at,
              name: d.name as string,
              parentId: (d.parentId as string | null) ?? null,
              kind: d.kind as string,
              status: 'ACTIVE',
            },
          ],
        };
        return [{ collection: A_NODES, id, apply: () => doc as unknown as Doc }];
      }
      case 'OrgNodeRenamed':
        return [node(id, at, (s) => ({ ...s, name: (d.to as { name: string }).name }))];
      case 'OrgNodeMoved':
        return [node(id, at, (s) => ({ ...s, parentId: d.toParentId as string }))];
      case 'OrgNodeMergedInto':
        return [node(id, at, (s) => ({ ...s, status: 'MERGED' }))];
      case 'OrgNodeDissolved':
        return [node(id, at, (s) => ({ ...s, status: 'DISSOLVED' }))];
      default:
        return [];
    }
  }

  return {
    name: ASSESSMENT,
    version: 1,
    collections: [
      { name: A_NODES },
      { name: A_PERSONS, indexes: [{ fields: ['units'], multikey: true }] },
      { name: A_ACCOUNTS, indexes: [{ fields: ['personId'] }, { fields: ['sponsorOrgNodeId'] }] },
      { name: A_GROUPS, indexes: [{ fields: ['units'], multikey: true }] },
      { name: A_APPS, indexes: [{ fields: ['units'], multikey: true }] },
      { name: A_CHANGES, indexes: [{ fields: ['recordedAt'] }, { fields: ['unitId', 'recordedAt'] }] },
      { name: A_ACTIVITY, indexes: [{ fields: ['kind', 'period'] }, { fields: ['unitId', 'kind', 'period'] }] },
    ],
    eventTypes: [
      'OrgNodeCreated',
      'OrgNodeRenamed',
      'OrgNodeMoved',
      'OrgNodeMergedInto',
      'OrgNodeDissolved',
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
      'AccountOpened',
      'AccountActivated',
      'AccountFrozen',
      'AccountUnfrozen',
      'AccountClosed',
      'AccountPasswordChanged',
      'AccountSignedIn',
      'WorkGroupCreated',
      'GroupMembersAdded',
      'GroupMembersRemoved',
      'GroupAdminAssigned',
      'GroupAdminRevoked',
      'GroupActivityRecorded',
      'WorkGroupRehomed',
      'WorkGroupDissolved',
      'AppAccessRequested',
      'AppAccessApproved',
      'AppAccessRejected',
      'AppLaunched',
      'AppTakenOffline',
      'AppRestored',
      'AppDeregistered',
    ],
    changesOf(event, view) {
      if (event.type.startsWith('OrgNode')) return nodeChanges(event);
      if (event.type.startsWith('App')) return appChanges(event);
      if (event.type.startsWith('Account')) return accountChanges(event, view);
      if (
        event.type.startsWith('Person') ||
        event.type.endsWith('PostAssigned') ||
        event.type.endsWith('PostRelieved') ||
        event.type.startsWith('Secondment')
      )
        return personChanges(event, view);
      return groupChanges(event);
    },
  };
}
