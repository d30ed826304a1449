/**
 * Audit queries over the audit trail: entries by entity, by actor and by time range (recorded or
 * effective). What time travel folds (an entity, or the whole tree and directory, as of a past
 * time) is stated here as AUDIT_TIME_TRAVEL; application/audit/time-travel.ts reads the events.
 */
import { type AsOf, AuditQueryError, date, instant } from '../../application/audit/as-of';
import type { TimeTravelModels } from '../../application/audit/time-travel';
import { type ReadModels, ReadModelNotReady } from '../../application/projections/read-models';
import { physicalName, type Filter, type ReadStore } from '../../application/ports/read-store.port';
import { DIRECTORY, directoryProjection, PERSONS, type PersonDoc } from '../directory/directory.projection';
import { NODES, ORG_TREE, orgTreeProjection, type OrgNodeDoc, treeEventsFor } from '../org-tree/org-tree.projection';
import { orgTreeStream } from '../../domain/org-node/org-node.decider';
import { PLACEMENTS, type PlacementDoc, POST_HISTORY } from '../post-history/post-history.projection';
import { directoryPolicyStream } from '../../domain/directory-policy/directory-policy.decider';
import { AGGREGATES, AUDIT_TRAIL, type AuditEntryDoc, ENTRIES, normalize } from './audit-trail.projection';

export { type AsOf, AuditQueryError };

export interface AuditSearch {
  readonly entityType?: string;
  readonly entityId?: string;
  readonly actorAccountId?: string;
  /** The entries of one operation (its correlation id), or of one event (a causation's target). */
  readonly correlationId?: string;
  readonly eventId?: string;
  /** Event types (the kind of change): entries of any of them. */
  readonly types?: readonly string[];
  /** Range on the recorded time (ISO 8601 instants), `from` inclusive, `to` exclusive. */
  readonly recordedFrom?: string;
  readonly recordedTo?: string;
  /** Range on the effective date (YYYY-MM-DD, both inclusive). */
  readonly effectiveFrom?: string;
  readonly effectiveTo?: string;
  readonly limit?: number;
  /** Paging: entries after this position. */
  readonly after?: string;
  /** A scoped auditor's subtrees: entries placed in one of them (null or absent: every entry). */
  readonly within?: readonly string[] | null;
}

const ENTITY_TYPES = ['OrgNode', 'Restructuring', ...Object.keys(AGGREGATES)];

/** The whole tree and directory as they stood (administrator's view: nothing hidden, ID numbers left out). */
export interface TreeAndDirectory {
  readonly nodes: OrgNodeDoc[];
  readonly persons: Array<Omit<PersonDoc, 'idNumber' | 'searchKeys'>>;
}

/** What time travel folds: each audited aggregate, and the tree and directory projections for the whole view. */
export const AUDIT_TIME_TRAVEL: TimeTravelModels<TreeAndDirectory> = {
  aggregates: AGGREGATES,
  normalize,
  snapshot: {
    projections: [orgTreeProjection, directoryProjection],
    streamPrefixes: ['OrgTree-', 'Person-', 'DirectoryPolicy-'],
    read: async (store: ReadStore) => {
      const nodes = (await store.find(physicalName(ORG_TREE, 1, NODES), {}, { sort: [['path', 1]] })) as OrgNodeDoc[];
      const persons = (
        (await store.find(physicalName(DIRECTORY, 1, PERSONS), {}, { sort: [['name', 1]] })) as PersonDoc[]
      ).map(({ idNumber: _i, searchKeys: _s, ...rest }) => rest);
      return { nodes, persons };
    },
    streamsOf: (jurisdiction, personIds) => [
      orgTreeStream(jurisdiction),
      directoryPolicyStream(jurisdiction),
      ...personIds.map((id) => `Person-${id}`),
    ],
    partOf: (jurisdiction, stream, nodeIds) =>
      stream[0]?.streamId === orgTreeStream(jurisdiction) ? treeEventsFor(stream, nodeIds) : stream,
  },
};

/** Beyond this many people, a part of the tree is asked for as the whole snapshot is. */
export const PART_MAX_PERSONS = 50_000;
const PAGE = 10_000;

export class AuditQueries {
  constructor(private readonly models: ReadModels) {}

  /**
   * The people ever posted at one of `nodeIds`, from the post history in keyset pages (memory holds
   * ids, not documents); null beyond `max` people. While the post history is first built, from the
   * audit trail's entries placed there instead (the same people, read more slowly).
   */
  async personsPlacedIn(nodeIds: readonly string[], max = PART_MAX_PERSONS): Promise<string[] | null> {
    try {
      return await this.personsPostedAt(nodeIds, max);
    } catch (error) {
      if (!(error instanceof ReadModelNotReady)) throw error;
      return this.personsWithEntriesPlacedIn(nodeIds, max);
    }
  }

  private async personsPostedAt(nodeIds: readonly string[], max: number): Promise<string[] | null> {
    const persons = new Set<string>();
    const filter: Filter = { orgNodeId: { $in: [...nodeIds] } };
    for (let after: string | undefined; ;) {
      const page = (await this.models.find(POST_HISTORY, PLACEMENTS, filter, {
        limit: PAGE,
        ...(after === undefined ? {} : { after }),
      })) as PlacementDoc[];
      for (const placement of page) persons.add(placement.personId);
      if (persons.size > max) return null;
      if (page.length < PAGE) return [...persons];
      after = page[page.length - 1].id;
    }
  }

  private async personsWithEntriesPlacedIn(nodeIds: readonly string[], max: number): Promise<string[] | null> {
    const persons = new Set<string>();
    for (let after: string | null = null; ;) {
      const filter: Filter = {
        places: { $in: [...nodeIds] },
        entityKey: { $prefix: 'Person:' },
        ...(after === null ? {} : { position: { $gt: after } }),
      };
      const page = (await this.models.find(AUDIT_TRAIL, ENTRIES, filter, {
        sort: [['position', 1]],
        limit: PAGE,
      })) as AuditEntryDoc[];
      for (const entry of page) persons.add(entry.entityKey.slice('Person:'.length));
      if (persons.size > max) return null;
      if (page.length < PAGE) return [...persons];
      after = page[page.length - 1].position;
    }
  }

  /** Entries matching every given criterion, oldest first. */
  async search(query: AuditSearch): Promise<AuditEntryDoc[]> {
    const filter: Record<string, Filter[string]> = {};
    if (query.entityType !== undefined || query.entityId !== undefined) {
      if (!query.entityType || !query.entityId || !ENTITY_TYPES.includes(query.entityType)) {
        throw new AuditQueryError(
          'INVALID_AUDIT_QUERY',
          `按对象查询须同时给出 entityType（${ENTITY_TYPES.join('、')}）和 entityId`,
        );
      }
      filter.entityKey = `${query.entityType}:${query.entityId}`;
    }
    if (query.actorAccountId) filter.actorAccountId = query.actorAccountId;
    if (query.types?.length) filter.type = { $in: query.types };
    if (query.correlationId) filter.correlationId = query.correlationId;
    if (query.eventId) filter.eventId = query.eventId;
    if (query.recordedFrom || query.recordedTo) {
      filter.recordedAt = {
        ...(query.recordedFrom ? { $gte: instant(query.recordedFrom, 'recordedFrom') } : {}),
        ...(query.recordedTo ? { $lt: instant(query.recordedTo, 'recordedTo') } : {}),
      };
    }
    if (query.effectiveFrom || query.effectiveTo) {
      // Effective times are instants; a date range covers whole days (an upper bound past the day's last instant).
      filter.effectiveAt = {
        ...(query.effectiveFrom ? { $gte: date(query.effectiveFrom, 'effectiveFrom') } : {}),
        ...(query.effectiveTo ? { $lt: `${date(query.effectiveTo, 'effectiveTo')}\u{10FFFF}` } : {}),
      };
    }
    if (query.after) filter.position = { $gt: query.after };
    if (query.within) filter.places = { $in: query.within };
    const limit = Math.max(1, Math.min(query.limit ?? 1000, 50_000));
    return (await this.models.find(AUDIT_TRAIL, ENTRIES, filter, {
      sort: [['position', 1]],
      limit,
    })) as AuditEntryDoc[];
  }
}
