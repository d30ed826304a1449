import { type NodeFacts } from '../../domain/person/person.decider';
import { batchOf, fold } from '../../domain/shared/decider';
import {
  type OrgNodeCommand,
  type OrgNodeEvent,
  type OrgTreeState,
  orgNodeDecider,
  orgTreeStream,
} from '../../domain/org-node/org-node.decider';
import type { CommandMetadata, CommandOutcome, DeciderCommandRunner } from '../commands/decider-command-runner';
import { domainEventsOf } from '../event-store/event-envelope';
import type { EventStore } from '../event-store/event-store.port';
import { effectiveLocalDate } from '../ports/working-day-calendar';

const batchDecider = batchOf(orgNodeDecider);

/**
 * The jurisdiction's org tree: one stream, decided on as a whole (see org-node.decider.ts).
 * The folded state is kept with its revision and brought up to date by reading only newer
 * events; states are immutable, so sharing one is safe.
 */
export class OrgTreeService {
  private cached: { state: OrgTreeState; revision: bigint | null } = {
    state: orgNodeDecider.initialState(),
    revision: null,
  };

  constructor(
    private readonly runner: DeciderCommandRunner,
    private readonly store: EventStore,
    readonly jurisdiction: string,
  ) {}

  get streamId(): string {
    return orgTreeStream(this.jurisdiction);
  }

  execute(command: OrgNodeCommand, metadata: CommandMetadata): Promise<CommandOutcome<OrgNodeEvent>> {
    return this.runner.run(orgNodeDecider, this.streamId, command, metadata);
  }

  /** Several commands decided in order and appended together, or none of them. */
  executeAll(commands: readonly OrgNodeCommand[], metadata: CommandMetadata): Promise<CommandOutcome<OrgNodeEvent>> {
    return this.runner.run(batchDecider, this.streamId, { type: 'Batch', data: { commands } }, metadata);
  }

  async load(): Promise<{ state: OrgTreeState; revision: bigint | null }> {
    const base = this.cached;
    const newer = await this.store.readStream(this.streamId, {
      from: base.revision === null ? 'start' : base.revision + 1n,
    });
    if (newer.length === 0) return base;
    const state = domainEventsOf<OrgNodeEvent>(newer).reduce(orgNodeDecider.evolve, base.state);
    const loaded = { state, revision: newer[newer.length - 1].revision };
    // Concurrent loads may finish out of order: keep the newest.
    if (this.cached.revision === null || loaded.revision > this.cached.revision) this.cached = loaded;
    return loaded;
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
    const facts: Record<string, 'ACTIVE' | 'DISSOLVED' | 'MERGED'> = {};
    for (const id of orgNodeIds) {
      const node = state.nodes.get(id);
      if (node) facts[id] = node.status;
    }
    return facts;
  }
}
