/**
 * Time travel (时点回溯): an entity, or the whole tree and directory, as of a past recorded time or
 * effective date. Folded from the event store itself (the authority): an entity by its own
 * aggregate, the whole tree by running the read side's projections into a throwaway store.
 * The read models say what to fold (TimeTravelModels); this reads the events.
 */
import { CORRECTION_EVENT_TYPES } from '../../domain/person/corrections';
import type { DomainEvent } from '../../domain/shared/decider';
import {
  orgNodeDecider,
  type OrgNodeEvent,
  type OrgTreeState,
  orgTreeStream,
} from '../../domain/org-node/org-node.decider';
import { comparePositions } from '../event-store/position';
import { fold } from '../../domain/shared/decider';
import { domainEventsOf } from '../event-store/event-envelope';
import { RecordedStreamCache } from '../event-store/recorded-stream-cache';
import type { EventStore, RecordedEvent } from '../ports/event-store.port';
import type { Projection } from '../projections/projection';
import { pagesOfAll, projectInto } from '../projections/projection-engine';
import type { ReadStore } from '../ports/read-store.port';
import { type AsOf, AuditQueryError, keptAsOf } from './as-of';

export interface FoldableAggregate {
  readonly evolve: (state: unknown, event: DomainEvent) => unknown;
  readonly initial: () => unknown;
}

export interface TimeTravelModels<Snapshot> {
  /** Entity types (stream categories) whose state can be folded, the org tree's nodes aside. */
  readonly aggregates: Readonly<Record<string, FoldableAggregate>>;
  /** A folded state as plain JSON fields. */
  readonly normalize: (state: unknown) => Record<string, unknown>;
  /** The projections of the whole-tree view, the streams they read, and how to read their answer. */
  readonly snapshot: {
    readonly projections: readonly Projection[];
    readonly streamPrefixes: readonly string[];
    readonly read: (store: ReadStore) => Promise<Snapshot>;
    /** The streams of one subtree's view: the shared ones (the tree's) and those of the people ever placed in it. */
    readonly streamsOf: (jurisdiction: string, personIds: readonly string[]) => string[];
    /** Of one of those streams, the events the subtree's view needs (the tree's: only those about its nodes and above). */
    readonly partOf: (
      jurisdiction: string,
      stream: readonly RecordedEvent[],
      nodeIds: readonly string[],
    ) => readonly RecordedEvent[];
  };
}

/**
 * The record as corrected (issue 18): retracted events and their retractions left out, corrected
 * effective dates put in the place of the recorded ones.
 */
export function asCorrected(recorded: readonly RecordedEvent[]): RecordedEvent[] {
  const retracted = new Set<string>();
  const dates = new Map<string, string>();
  for (const event of recorded) {
    if (event.type === 'PersonRecordRetracted') retracted.add(String(event.data.eventId));
    if (event.type === 'PersonEffectiveDateCorrected') dates.set(String(event.data.eventId), String(event.data.to));
  }
  return recorded
    .filter((e) => !retracted.has(e.eventId) && !CORRECTION_EVENT_TYPES.includes(e.type))
    .map((e) => (dates.has(e.eventId) ? { ...e, metadata: { ...e.metadata, effectiveAt: dates.get(e.eventId)! } } : e));
}

export class TimeTravel<Snapshot> {
  constructor(
    private readonly events: EventStore,
    private readonly scratch: () => ReadStore,
    private readonly models: TimeTravelModels<Snapshot>,
    private readonly jurisdiction: string,
    private readonly timeZone: string,
    /** The tree's stream as read so far: shared by the instances of one service. */
    private readonly tree = new RecordedStreamCache(events, orgTreeStream(jurisdiction)),
  ) {}

  get entityTypes(): string[] {
    return ['OrgNode', ...Object.keys(this.models.aggregates)];
  }

  /** One entity's state as of a past time, folded by its own aggregate. */
  async entityAsOf(entityType: string, entityId: string, asOf: AsOf): Promise<Record<string, unknown>> {
    const keep = keptAsOf(asOf, this.timeZone);
    if (entityType === 'OrgNode') {
      const tree = await this.treeAsOf(asOf);
      const node = tree.nodes.get(entityId);
      if (!node) throw new AuditQueryError('ENTITY_NOT_FOUND', `组织节点 ${entityId} 在该时点不存在`);
      return { ...node };
    }
    const aggregate = this.models.aggregates[entityType];
    if (!aggregate)
      throw new AuditQueryError('INVALID_AUDIT_QUERY', `entityType 应为 ${this.entityTypes.join('、')} 之一`);
    const stored = await this.events.readStream(`${entityType}-${entityId}`);
    // As of a recorded time: the record as it was believed then. As of an effective date: as corrected.
    const recorded = 'effectiveOn' in asOf ? asCorrected(stored) : stored;
    const events = domainEventsOf<DomainEvent>(recorded, keep);
    const plain = this.models.normalize(events.reduce(aggregate.evolve, aggregate.initial()));
    if (plain.status === 'NONE' || plain.status === undefined)
      throw new AuditQueryError('ENTITY_NOT_FOUND', `${entityType} ${entityId} 在该时点不存在`);
    return plain;
  }

  /** The org tree as it stood, folded by its own aggregate. */
  async treeAsOf(asOf: AsOf): Promise<OrgTreeState> {
    const recorded = await this.tree.read();
    return fold(orgNodeDecider, domainEventsOf<OrgNodeEvent>(recorded, keptAsOf(asOf, this.timeZone)));
  }

  /**
   * One part of the tree and directory as it stood: the same projections as the whole view, fed only
   * what they need of the tree's streams for `nodeIds` (the part's nodes) and the streams of
   * `personIds` (the people ever placed in the part), in store order.
   */
  async partAsOf(part: { nodeIds: readonly string[]; personIds: readonly string[] }, asOf: AsOf): Promise<Snapshot> {
    const keep = keptAsOf(asOf, this.timeZone);
    const { streamsOf, partOf } = this.models.snapshot;
    const streams = streamsOf(this.jurisdiction, part.personIds);
    const read = await Promise.all(
      streams.map((id) => (id === this.tree.streamId ? this.tree.read() : this.events.readStream(id))),
    );
    const events = read.flatMap((stream) => partOf(this.jurisdiction, stream, part.nodeIds));
    events.sort((a, b) => comparePositions(a.position, b.position));
    const store = this.scratch();
    try {
      // One page: the events are in memory already, and each document is then written once.
      await projectInto(store, this.models.snapshot.projections, onePage(events), keep);
      return await this.models.snapshot.read(store);
    } finally {
      await store.close();
    }
  }

  /** The whole tree and directory as they stood. */
  async snapshotAsOf(asOf: AsOf): Promise<Snapshot> {
    const keep = keptAsOf(asOf, this.timeZone);
    const store = this.scratch();
    const { projections, streamPrefixes, read } = this.models.snapshot;
    try {
      await projectInto(store, projections, pagesOfAll(this.events, { streamPrefixes: [...streamPrefixes] }), keep);
      return await read(store);
    } finally {
      await store.close();
    }
  }
}

async function* onePage(events: readonly RecordedEvent[]): AsyncGenerator<readonly RecordedEvent[]> {
  yield events;
}
