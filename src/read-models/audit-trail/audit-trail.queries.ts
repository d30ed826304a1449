/**
 * Audit queries: an entity's history, entries by actor and by time range (recorded or effective),
 * and the state of an entity, or of the whole tree and directory, as of a past recorded time or
 * effective date. The as-of answers are folded from the event store itself (the authority), the
 * whole-tree ones by running the tree and directory projections into a throwaway store.
 */
import { domainEventsOf, type EventEnvelope } from '../../application/event-store/event-envelope';
import type { EventStore } from '../../application/event-store/event-store.port';
import { pagesOfAll, projectInto } from '../../application/projections/projection-engine';
import type { ReadModels } from '../../application/projections/read-models';
import { effectiveLocalDate } from '../../application/ports/working-day-calendar';
import { physicalName, type Filter, type ReadStore } from '../../application/read-store/read-store.port';
import { orgNodeDecider, type OrgNodeEvent } from '../../domain/org-node/org-node.decider';
import { fold, type DomainEvent } from '../../domain/shared/decider';
import { DIRECTORY, directoryProjection, PERSONS, type PersonDoc } from '../directory/directory.projection';
import { NODES, ORG_TREE, orgTreeProjection, type OrgNodeDoc } from '../org-tree/org-tree.projection';
import { AGGREGATES, AUDIT_TRAIL, type AuditEntryDoc, ENTRIES, normalize } from './audit-trail.projection';

export class AuditQueryError extends Error {
  constructor(
    readonly code: 'INVALID_AUDIT_QUERY' | 'ENTITY_NOT_FOUND',
    message: string,
  ) {
    super(message);
  }
}

export interface AuditSearch {
  readonly entityType?: string;
  readonly entityId?: string;
  readonly actorAccountId?: string;
  /** Range on the recorded time (ISO 8601 instants), `from` inclusive, `to` exclusive. */
  readonly recordedFrom?: string;
  readonly recordedTo?: string;
  /** Range on the effective date (YYYY-MM-DD, both inclusive). */
  readonly effectiveFrom?: string;
  readonly effectiveTo?: string;
  readonly limit?: number;
  /** Paging: entries after this position. */
  readonly after?: string;
}

/** A point in the past: what had been recorded by an instant, or what was in effect on a date. */
export type AsOf = { readonly recordedAt: string } | { readonly effectiveOn: string };

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const ENTITY_TYPES = ['OrgNode', ...Object.keys(AGGREGATES)];

function instant(value: string, name: string): string {
  const time = Date.parse(value);
  if (typeof value !== 'string' || Number.isNaN(time))
    throw new AuditQueryError('INVALID_AUDIT_QUERY', `${name} 应为 ISO 8601 时间，实为 ${JSON.stringify(value)}`);
  return new Date(time).toISOString();
}

function date(value: string, name: string): string {
  if (typeof value !== 'string' || !DATE.test(value) || Number.isNaN(Date.parse(value)))
    throw new AuditQueryError('INVALID_AUDIT_QUERY', `${name} 应为日期 YYYY-MM-DD，实为 ${JSON.stringify(value)}`);
  return value;
}

export class AuditQueries {
  constructor(
    private readonly models: ReadModels,
    private readonly events: EventStore,
    private readonly scratch: () => ReadStore,
    private readonly jurisdiction: string,
    private readonly timeZone: string,
  ) {}

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
    const limit = Math.max(1, Math.min(query.limit ?? 1000, 50_000));
    return (await this.models.find(AUDIT_TRAIL, ENTRIES, filter, {
      sort: [['position', 1]],
      limit,
    })) as AuditEntryDoc[];
  }

  private keep(asOf: AsOf): (envelope: EventEnvelope) => boolean {
    if ('recordedAt' in asOf) {
      const bound = instant(asOf.recordedAt, 'recordedAt');
      return (e) => new Date(Date.parse(e.recordedAt)).toISOString() <= bound;
    }
    const day = date(asOf.effectiveOn, 'effectiveOn');
    return (e) => effectiveLocalDate(e.effectiveAt, this.timeZone) <= day;
  }

  /** One entity's state as of a past time, folded by its own aggregate. */
  async entityAsOf(entityType: string, entityId: string, asOf: AsOf): Promise<Record<string, unknown>> {
    const keep = this.keep(asOf);
    if (entityType === 'OrgNode') {
      const recorded = await this.events.readStream(`OrgTree-${this.jurisdiction}`);
      const tree = fold(orgNodeDecider, domainEventsOf<OrgNodeEvent>(recorded, keep));
      const node = tree.nodes.get(entityId);
      if (!node) throw new AuditQueryError('ENTITY_NOT_FOUND', `组织节点 ${entityId} 在该时点不存在`);
      return { ...node };
    }
    const aggregate = AGGREGATES[entityType];
    if (!aggregate) throw new AuditQueryError('INVALID_AUDIT_QUERY', `entityType 应为 ${ENTITY_TYPES.join('、')} 之一`);
    const recorded = await this.events.readStream(`${entityType}-${entityId}`);
    const state = domainEventsOf<DomainEvent>(recorded, keep).reduce<unknown>(
      (s, e) => aggregate.evolve(s, e),
      aggregate.initial(),
    );
    const plain = normalize(state);
    if (plain.status === 'NONE' || plain.status === undefined)
      throw new AuditQueryError('ENTITY_NOT_FOUND', `${entityType} ${entityId} 在该时点不存在`);
    return plain;
  }

  /** The whole tree and directory as they stood (administrator's view: nothing hidden, ID numbers left out). */
  async treeAndDirectoryAsOf(
    asOf: AsOf,
  ): Promise<{ nodes: OrgNodeDoc[]; persons: Array<Omit<PersonDoc, 'idNumber' | 'searchKeys'>> }> {
    const keep = this.keep(asOf);
    const store = this.scratch();
    try {
      await projectInto(
        store,
        [orgTreeProjection, directoryProjection],
        pagesOfAll(this.events, { streamPrefixes: ['OrgTree-', 'Person-', 'DirectoryPolicy-'] }),
        keep,
      );
      const nodes = (await store.find(physicalName(ORG_TREE, 1, NODES), {}, { sort: [['path', 1]] })) as OrgNodeDoc[];
      const persons = (
        (await store.find(physicalName(DIRECTORY, 1, PERSONS), {}, { sort: [['name', 1]] })) as PersonDoc[]
      ).map(({ idNumber: _i, searchKeys: _s, ...rest }) => rest);
      return { nodes, persons };
    } finally {
      await store.close();
    }
  }
}
