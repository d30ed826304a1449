/**
 * Audit trail (审计): one entry per event and entity it changed, with field-level diffs (previous →
 * new), the actor, reason, source reference (文号), effective and recorded time, correlation and
 * causation. Diffs come from a snapshot of each entity kept beside the entries, folded with the
 * aggregate's own `evolve` (org nodes: the node's fields), so "what changed" is exactly what the
 * write side changed.
 */
import type { EventEnvelope } from '../../application/event-store/event-envelope';
import type { JsonValue } from '../../application/event-store/json';
import type { Change, Projection, ProjectionView } from '../../application/projections/projection';
import type { Doc } from '../../application/read-store/read-store.port';
import { accountDecider } from '../../domain/account/account.decider';
import { appRegistrationDecider } from '../../domain/app-registration/app-registration.decider';
import { contactRequestDecider } from '../../domain/contact-request/contact-request.decider';
import { directoryPolicyDecider } from '../../domain/directory-policy/directory-policy.decider';
import { personDecider } from '../../domain/person/person.decider';
import type { DomainEvent } from '../../domain/shared/decider';
import { tagDecider } from '../../domain/tag/tag.decider';
import { workGroupDecider } from '../../domain/work-group/work-group.decider';

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
  readonly actorAccountId: string;
  readonly actorPersonId: string | null;
  readonly actorRole: string;
  readonly reason: string | null;
  readonly sourceRef: string | null;
  readonly effectiveAt: string;
  readonly recordedAt: string;
  readonly correlationId: string;
  readonly causationId: string | null;
}

type Evolve = (state: unknown, event: DomainEvent) => unknown;
type StateOf = Record<string, JsonValue>;

/** Stream category → the aggregate's evolve and its empty state. */
export const AGGREGATES: Record<string, { entityType: string; evolve: Evolve; initial: () => unknown }> = {
  Person: { entityType: 'Person', evolve: personDecider.evolve as Evolve, initial: personDecider.initialState },
  Account: { entityType: 'Account', evolve: accountDecider.evolve as Evolve, initial: accountDecider.initialState },
  WorkGroup: {
    entityType: 'WorkGroup',
    evolve: workGroupDecider.evolve as Evolve,
    initial: workGroupDecider.initialState,
  },
  App: {
    entityType: 'App',
    evolve: appRegistrationDecider.evolve as Evolve,
    initial: appRegistrationDecider.initialState,
  },
  Tag: { entityType: 'Tag', evolve: tagDecider.evolve as Evolve, initial: tagDecider.initialState },
  ContactRequest: {
    entityType: 'ContactRequest',
    evolve: contactRequestDecider.evolve as Evolve,
    initial: contactRequestDecider.initialState,
  },
  DirectoryPolicy: {
    entityType: 'DirectoryPolicy',
    evolve: directoryPolicyDecider.evolve as Evolve,
    initial: directoryPolicyDecider.initialState,
  },
};

/** A node's fields after one of the tree's events (the tree decider's state is the whole tree). */
function evolveOrgNode(state: StateOf | null, event: EventEnvelope): StateOf | null {
  const d = event.data as Record<string, JsonValue>;
  switch (event.type) {
    case 'OrgNodeCreated':
      return {
        name: d.name,
        shortName: d.shortName,
        externalCode: d.externalCode,
        kind: d.kind,
        parentId: d.parentId,
        level: d.level,
        order: d.order,
        hidden: false,
        visibleTo: [],
        status: 'ACTIVE',
      };
    case 'OrgNodeRenamed': {
      const to = d.to as StateOf;
      return { ...state, name: to.name, shortName: to.shortName };
    }
    case 'OrgNodeReordered':
      return { ...state, order: d.to };
    case 'OrgNodeMoved':
      return { ...state, parentId: d.toParentId, level: d.toLevel, order: d.order };
    case 'OrgNodeHiddenChanged':
      return { ...state, hidden: (d.to as StateOf).hidden, visibleTo: (d.to as StateOf).visibleTo };
    case 'OrgNodeMergedInto':
      return { ...state, status: 'MERGED', mergedInto: d.survivorId };
    case 'OrgNodeDissolved':
      return { ...state, status: 'DISSOLVED' };
    default:
      return state;
  }
}

/** The entity an event concerns: the stream's aggregate, or for the tree stream the node named. */
export function entityOf(event: EventEnvelope): { entityType: string; entityId: string } | null {
  const dash = event.streamId.indexOf('-');
  if (dash < 0) return null;
  const category = event.streamId.slice(0, dash);
  if (category === 'OrgTree') {
    const d = event.data as Record<string, unknown>;
    const id = (d.orgNodeId ?? d.survivorId) as string | undefined;
    return id ? { entityType: 'OrgNode', entityId: id } : null;
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

async function changesOf(event: EventEnvelope, view: ProjectionView): Promise<Change[]> {
  const entity = entityOf(event);
  if (!entity) return [];
  const key = `${entity.entityType}:${entity.entityId}`;
  // The snapshot holds the aggregate's own state (org nodes: the node's fields); diffs compare normalized forms.
  const snapshot = await view.get(SNAPSHOTS, key);
  let after: JsonValue;
  let changes: FieldChange[];
  if (entity.entityType === 'OrgNode') {
    const before = (snapshot?.state as StateOf | undefined) ?? null;
    const next = evolveOrgNode(before, event);
    after = next;
    changes = diff(before ?? {}, next ?? {});
  } else {
    const aggregate = AGGREGATES[event.streamId.slice(0, event.streamId.indexOf('-'))];
    const raw = (snapshot?.state as unknown) ?? aggregate.initial();
    const next = aggregate.evolve(raw, { type: event.type, data: event.data } as DomainEvent);
    after = next as JsonValue;
    changes = diff(snapshot ? normalize(raw) : {}, normalize(next));
  }
  const entry = toEntry(event, entity, changes);
  return [
    { collection: SNAPSHOTS, id: key, apply: () => ({ id: key, state: after }) },
    { collection: ENTRIES, id: entry.id, apply: () => entry },
  ];
}

function toEntry(
  event: EventEnvelope,
  entity: { entityType: string; entityId: string },
  changes: FieldChange[],
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
    actorAccountId: event.actor.accountId,
    actorPersonId: event.actor.personId ?? null,
    actorRole: event.actor.role,
    reason: event.reason,
    sourceRef: event.sourceRef,
    effectiveAt: event.effectiveAt,
    recordedAt: event.recordedAt,
    correlationId: event.correlationId,
    causationId: event.causationId,
  };
}

/** Everything a stream of an audited aggregate records. */
export const AUDITED_EVENT_TYPES = [
  'OrgNodeCreated',
  'OrgNodeRenamed',
  'OrgNodeReordered',
  'OrgNodeMoved',
  'OrgNodeHiddenChanged',
  'OrgNodesMerged',
  'OrgNodeMergedInto',
  'OrgNodeDissolved',
  'PersonRegistered',
  'PersonProfileUpdated',
  'PersonPostChanged',
  'PersonTransferred',
  'SecondmentStarted',
  'SecondmentEnded',
  'ConcurrentPostAssigned',
  'ConcurrentPostRelieved',
  'PersonLeft',
  'PersonReinstated',
  'PersonDirectoryClassChanged',
  'PersonContactModeChanged',
  'AccountOpened',
  'AccountActivated',
  'AccountFrozen',
  'AccountUnfrozen',
  'AccountClosed',
  'AdminScopeGranted',
  'AdminScopeRevoked',
  'AccountSignedIn',
  'AccountPasswordChanged',
  'WorkGroupCreated',
  'GroupMembersAdded',
  'GroupMembersRemoved',
  'GroupAdminAssigned',
  'GroupAdminRevoked',
  'GroupOwnershipTransferred',
  'GroupActivityRecorded',
  'WorkGroupRehomed',
  'WorkGroupDissolved',
  'AppAccessRequested',
  'AppReportsAttached',
  'AppAccessApproved',
  'AppAccessRejected',
  'AppLaunched',
  'AppTakenOffline',
  'AppRestored',
  'AppAuthorized',
  'AppAuthorizationRevoked',
  'AppDeregistered',
  'TagCreated',
  'TagEdited',
  'TagDeleted',
  'TagMembersAdded',
  'TagMembersRemoved',
  'TagSharedOrgsChanged',
  'ContactRequested',
  'ContactAccepted',
  'ContactDeclined',
  'DirectoryMatrixChanged',
];

export const auditTrailProjection: Projection = {
  name: AUDIT_TRAIL,
  version: 1,
  collections: [
    {
      name: ENTRIES,
      indexes: [
        { fields: ['entityKey', 'position'] },
        { fields: ['actorAccountId', 'position'] },
        { fields: ['recordedAt'] },
        { fields: ['effectiveAt'] },
        { fields: ['position'] },
      ],
    },
    { name: SNAPSHOTS },
  ],
  eventTypes: AUDITED_EVENT_TYPES,
  changesOf,
};
