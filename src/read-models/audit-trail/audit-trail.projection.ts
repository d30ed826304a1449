/**
 * Audit trail (审计): one entry per event and entity it changed, with field-level diffs (previous →
 * new), the actor, reason, source reference (文号), effective and recorded time, correlation and
 * causation. Diffs come from a snapshot of each entity kept beside the entries, folded with the
 * aggregate's own `evolve` (org nodes: the node's fields), so "what changed" is exactly what the
 * write side changed.
 */
import type { FoldableAggregate } from '../../application/audit/time-travel';
import { type UnitResponsibilities, withHolder, withoutHolder } from '../../domain/org-node/unit-responsibilities';
import type { TypedEnvelope } from '../../application/event-store/event-envelope';
import type { JsonValue } from '../../application/event-store/json';
import type { Change, Projection, ProjectionView } from '../../application/projections/projection';
import type { Doc } from '../../application/ports/read-store.port';
import { ACCOUNT_EVENT_TYPES, accountDecider } from '../../domain/account/account.decider';
import { APP_EVENT_TYPES, appRegistrationDecider } from '../../domain/app-registration/app-registration.decider';
import {
  CONTACT_REQUEST_EVENT_TYPES,
  contactRequestDecider,
} from '../../domain/contact-request/contact-request.decider';
import {
  DIRECTORY_POLICY_EVENT_TYPES,
  directoryPolicyDecider,
} from '../../domain/directory-policy/directory-policy.decider';
import type { PlatformEvent } from '../../domain/events';
import { ORG_NODE_EVENT_TYPES, type OrgNodeEvent } from '../../domain/org-node/org-node.decider';
import { PERSON_EVENT_TYPES, personDecider } from '../../domain/person/person.decider';
import { REQUEST_EVENT_TYPES, requestDecider } from '../../domain/request/request.decider';
import type { Decider, DomainEvent } from '../../domain/shared/decider';
import type { SubscriptionEvent } from '../../domain/subscription/subscription.decider';
import { TAG_EVENT_TYPES, tagDecider } from '../../domain/tag/tag.decider';
import { WORK_GROUP_EVENT_TYPES, workGroupDecider } from '../../domain/work-group/work-group.decider';
import { CORRECTION_EVENT_TYPES } from '../../domain/person/corrections';
import { placesOf } from './audit-places';

export const AUDIT_TRAIL = 'audit_trail';
export const ENTRIES = 'entries';
export const SNAPSHOTS = 'snapshots';

export type FieldChange = { field: string; from: JsonValue; to: JsonValue };

export interface AuditEntryDoc extends Doc {
  readonly position: string;
  readonly eventId: string;
  readonly type: string;
  readonly entityType: string;
  readonly entityId: string;
  /** `${entityType}:${entityId}`, the key of an entity's history. */
  readonly entityKey: string;
  readonly streamId: string;
  readonly revision: string;
  readonly changes: FieldChange[];
  /** The nodes the entity sat at, with their ancestors (audit-places.ts): what a scoped auditor reads. */
  readonly places: string[];
  /** A correction (issue 18): the id of the event it retracts or whose effective date it corrects. */
  readonly corrects: string | null;
  readonly actorAccountId: string;
  readonly actorPersonId: string | null;
  readonly actorRole: string;
  readonly reason: string | null;
  readonly sourceRef: string | null;
  readonly effectiveAt: string;
  readonly recordedAt: string;
  readonly correlationId: string;
  readonly causationId: string | null;
  /** A person change's lag from its effective date to its recording, in working days, against the deadline (000:9). */
  readonly timeliness: { lagWorkingDays: number; deadlineWorkingDays: number; onTime: boolean } | null;
}

type StateOf = Record<string, JsonValue>;

/** An aggregate the audit trail folds by stream category: its own `evolve`, over any of its events. */
function foldable<Event extends DomainEvent, State>(
  entityType: string,
  decider: Pick<Decider<never, Event, State>, 'evolve' | 'initialState'>,
): { entityType: string } & FoldableAggregate {
  // The stream category guarantees the event is one of this aggregate's.
  return {
    entityType,
    evolve: (state, event) => decider.evolve(state as State, event as Event),
    initial: decider.initialState,
  };
}

/** Stream category → the aggregate's evolve and its empty state. */
export const AGGREGATES: Record<string, { entityType: string } & FoldableAggregate> = {
  Person: foldable('Person', personDecider),
  Account: foldable('Account', accountDecider),
  WorkGroup: foldable('WorkGroup', workGroupDecider),
  App: foldable('App', appRegistrationDecider),
  Tag: foldable('Tag', tagDecider),
  ContactRequest: foldable('ContactRequest', contactRequestDecider),
  Request: foldable('Request', requestDecider),
  DirectoryPolicy: foldable('DirectoryPolicy', directoryPolicyDecider),
};

/** Every event of an audited aggregate's stream (subscriptions are the platform's own configuration). */
type Audited = Exclude<PlatformEvent, SubscriptionEvent>;

/** A node's fields after one of the tree's events (the tree decider's state is the whole tree). */
function evolveOrgNode(state: StateOf | null, event: OrgNodeEvent): StateOf | null {
  switch (event.type) {
    case 'OrgNodeCreated': {
      const { name, shortName, externalCode, kind, parentId, level, order } = event.data;
      const hidden = false;
      return { name, shortName, externalCode, kind, parentId, level, order, hidden, visibleTo: [], status: 'ACTIVE' };
    }
    case 'OrgNodeRenamed':
      return { ...state, name: event.data.to.name, shortName: event.data.to.shortName };
    case 'OrgNodeReordered':
      return { ...state, order: event.data.to };
    case 'OrgNodeMoved':
      return { ...state, parentId: event.data.toParentId, level: event.data.toLevel, order: event.data.order };
    case 'OrgNodeHiddenChanged':
      return { ...state, hidden: event.data.to.hidden, visibleTo: [...event.data.to.visibleTo] };
    case 'OrgNodeMergedInto':
      return { ...state, status: 'MERGED', mergedInto: event.data.survivorId };
    case 'OrgNodeDissolved':
      return { ...state, status: 'DISSOLVED' };
    case 'OrgNodesMerged':
      return state;
    // A restructuring is its own entity (below): its plan, then its completion.
    case 'RestructuringPlanned': {
      const { kind, removedIds, survivorId, people, dispositionRef } = event.data;
      return {
        kind,
        removedIds: [...removedIds],
        survivorId,
        postsDisposed: people.reduce((sum, group) => sum + group.personIds.length, 0),
        dispositionRef,
        status: 'PLANNED',
      };
    }
    case 'RestructuringCompleted':
      return { ...state, status: 'COMPLETED' };
    case 'UnitResponsibilityAssigned':
    case 'UnitResponsibilityReleased': {
      const { role, personId } = event.data;
      const current = state?.responsibilities as UnitResponsibilities | undefined;
      const next =
        event.type === 'UnitResponsibilityAssigned'
          ? withHolder(current, role, personId)
          : withoutHolder(current, role, personId);
      return { ...state, responsibilities: next as JsonValue };
    }
  }
}

function isOrgNodeEvent(event: TypedEnvelope<Audited>): event is TypedEnvelope<OrgNodeEvent> {
  return event.streamId.startsWith('OrgTree-');
}

/** The entity an event concerns: the stream's aggregate, or for the tree stream the node named. */
export function entityOf(event: TypedEnvelope<Audited>): { entityType: string; entityId: string } | null {
  const dash = event.streamId.indexOf('-');
  if (dash < 0) return null;
  const category = event.streamId.slice(0, dash);
  if (isOrgNodeEvent(event)) {
    if (event.type === 'RestructuringPlanned' || event.type === 'RestructuringCompleted')
      return { entityType: 'Restructuring', entityId: event.data.operationId };
    const id = event.type === 'OrgNodesMerged' ? event.data.survivorId : event.data.orgNodeId;
    return { entityType: 'OrgNode', entityId: id };
  }
  const aggregate = AGGREGATES[category];
  return aggregate ? { entityType: aggregate.entityType, entityId: event.streamId.slice(dash + 1) } : null;
}

/** Plain JSON, with the usage-signal bookkeeping (ids of recent signals) reduced to its latest time. */
export function normalize(state: unknown): StateOf {
  if (state === null || typeof state !== 'object') return {};
  const out: StateOf = {};
  for (const [key, value] of Object.entries(state as Record<string, unknown>)) {
    if (
      value !== null &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      'seen' in value &&
      'latestAt' in value
    ) {
      out[`${key}LatestAt`] = (value as { latestAt: JsonValue }).latestAt;
    } else if (value !== undefined) out[key] = value as JsonValue;
  }
  return out;
}

export function diff(before: StateOf, after: StateOf): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const from = before[field] ?? null;
    const to = after[field] ?? null;
    if (JSON.stringify(from) !== JSON.stringify(to)) changes.push({ field, from, to });
  }
  return changes;
}

async function changesOf(event: TypedEnvelope<Audited>, view: ProjectionView): Promise<Change[]> {
  const entity = entityOf(event);
  if (!entity) return [];
  const key = `${entity.entityType}:${entity.entityId}`;
  // The snapshot holds the aggregate's own state (org nodes: the node's fields); diffs compare normalized forms.
  const snapshot = await view.get(SNAPSHOTS, key);
  let after: JsonValue;
  let before: unknown;
  let changes: FieldChange[];
  if (isOrgNodeEvent(event)) {
    before = (snapshot?.state as StateOf | undefined) ?? null;
    const next = evolveOrgNode(before as StateOf | null, event);
    after = next;
    changes = diff((before as StateOf | null) ?? {}, next ?? {});
  } else {
    const aggregate = AGGREGATES[event.streamId.slice(0, event.streamId.indexOf('-'))];
    before = (snapshot?.state as unknown) ?? aggregate.initial();
    const next = aggregate.evolve(before, event);
    after = next as JsonValue;
    changes = diff(snapshot ? normalize(before) : {}, normalize(next));
  }
  const states = [before, after].filter((s): s is StateOf => s !== null && typeof s === 'object');
  const places = await placesOf(entity.entityType, entity.entityId, states, view, SNAPSHOTS);
  const entry = toEntry(event, entity, changes, places);
  return [
    { collection: SNAPSHOTS, id: key, apply: () => ({ id: key, state: after }) },
    { collection: ENTRIES, id: entry.id, apply: () => entry },
  ];
}

function toEntry(
  event: TypedEnvelope<Audited>,
  entity: { entityType: string; entityId: string },
  changes: FieldChange[],
  places: string[],
): AuditEntryDoc {
  return {
    id: `${event.eventId}:${entity.entityId}`,
    position: event.position,
    eventId: event.eventId,
    type: event.type,
    entityType: entity.entityType,
    entityId: entity.entityId,
    entityKey: `${entity.entityType}:${entity.entityId}`,
    streamId: event.streamId,
    revision: event.revision.toString(),
    changes,
    places,
    corrects: CORRECTION_EVENT_TYPES.includes(event.type) ? (event.data as { eventId: string }).eventId : null,
    actorAccountId: event.actor.accountId,
    actorPersonId: event.actor.personId ?? null,
    actorRole: event.actor.role,
    reason: event.reason,
    sourceRef: event.sourceRef,
    effectiveAt: event.effectiveAt,
    recordedAt: event.recordedAt,
    correlationId: event.correlationId,
    causationId: event.causationId,
    timeliness: event.timeliness ?? null,
  };
}

/** Everything a stream of an audited aggregate records. */
export const AUDITED_EVENT_TYPES: ReadonlyArray<Audited['type']> = [
  ...ORG_NODE_EVENT_TYPES,
  ...PERSON_EVENT_TYPES,
  ...ACCOUNT_EVENT_TYPES,
  ...WORK_GROUP_EVENT_TYPES,
  ...APP_EVENT_TYPES,
  ...TAG_EVENT_TYPES,
  ...CONTACT_REQUEST_EVENT_TYPES,
  ...REQUEST_EVENT_TYPES,
  ...DIRECTORY_POLICY_EVENT_TYPES,
];

export const auditTrailProjection: Projection<Audited> = {
  name: AUDIT_TRAIL,
  // 2: entries carry their places; 3: requests (申请与审批) are audited; 4: entries carry their timeliness, and are found by operation (correlation) and by event.
  version: 4,
  collections: [
    {
      name: ENTRIES,
      indexes: [
        { fields: ['entityKey', 'position'] },
        { fields: ['actorAccountId', 'position'] },
        { fields: ['correlationId', 'position'] },
        { fields: ['eventId'] },
        { fields: ['recordedAt'] },
        { fields: ['effectiveAt'] },
        { fields: ['position'] },
        { fields: ['places'], multikey: true },
      ],
    },
    { name: SNAPSHOTS },
  ],
  eventTypes: AUDITED_EVENT_TYPES,
  changesOf,
};
