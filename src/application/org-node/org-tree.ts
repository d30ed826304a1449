/**
 * The jurisdiction's org tree as the write side reads it: one stream, folded once and brought up to
 * date by reading only newer events; states are immutable, so sharing one is safe.
 */
import type { NodeFacts } from '../../domain/person/person.decider';
import { fold } from '../../domain/shared/decider';
import {
  type OrgNodeEvent,
  type OrgTreeState,
  orgNodeDecider,
  orgTreeStream,
} from '../../domain/org-node/org-node.decider';
import { FoldedStreams, type LoadedStream } from '../commands/folded-streams';
import { domainEventsOf } from '../event-store/event-envelope';
import type { EventStore } from '../ports/event-store.port';
import { effectiveLocalDate } from '../calendar/working-days';

export class OrgTree {
  private readonly folded: FoldedStreams;

  constructor(
    private readonly store: EventStore,
    readonly jurisdiction: string,
  ) {
    this.folded = new FoldedStreams(store);
  }

  get streamId(): string {
    return orgTreeStream(this.jurisdiction);
  }

  load(): Promise<LoadedStream<OrgTreeState>> {
    return this.folded.load(orgNodeDecider, this.streamId);
  }

  /** The tree with only the changes in effect on `date` (a future-dated change takes effect on its date). */
  async loadEffectiveOn(date: string, timeZone: string): Promise<{ state: OrgTreeState; revision: bigint | null }> {
    const recorded = await this.store.readStream(this.streamId);
    const events = domainEventsOf<OrgNodeEvent>(recorded, (e) => effectiveLocalDate(e.effectiveAt, timeZone) <= date);
    return { state: fold(orgNodeDecider, events), revision: recorded.at(-1)?.revision ?? null };
  }

  /** The status of each named node, as a person command needs to know it. */
  async nodeFacts(orgNodeIds: readonly string[]): Promise<NodeFacts> {
    const { state } = await this.load();
    return nodeFactsIn(state, orgNodeIds);
  }
}

export function nodeFactsIn(state: OrgTreeState, orgNodeIds: readonly string[]): NodeFacts {
  const facts: Record<string, 'ACTIVE' | 'DISSOLVED' | 'MERGED'> = {};
  for (const id of orgNodeIds) {
    const node = state.nodes.get(id);
    if (node) facts[id] = node.status;
  }
  return facts;
}
