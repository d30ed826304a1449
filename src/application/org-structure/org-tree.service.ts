import {
  type NodeFacts,
} from '../../domain/person/person.decider';
import { fold } from '../../domain/shared/decider';
import {
  type OrgNodeCommand,
  type OrgNodeEvent,
  type OrgTreeState,
  orgNodeDecider,
  orgTreeStream,
} from '../../domain/org-node/org-node.decider';
import type { CommandMetadata, CommandOutcome, DeciderCommandRunner } from '../decider/decider-command-runner';
import { fromRecordedEvent } from '../event-store/event-envelope';
import type { EventStore } from '../event-store/event-store.port';

/** The jurisdiction's org tree: one stream, decided on as a whole (see org-node.decider.ts). */
export class OrgTreeService {
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

  async load(): Promise<{ state: OrgTreeState; revision: bigint | null }> {
    const recorded = await this.store.readStream(this.streamId);
    const events = recorded.map((event) => {
      const { type, data } = fromRecordedEvent<OrgNodeEvent>(event);
      return { type, data } as OrgNodeEvent;
    });
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
