/**
 * The restructuring process: carries out a planned restructuring (RestructuringPlanned, the commit
 * point on the tree's stream) person by person, then records it completed. Each step is derived
 * from the person's current state (`stepsFor`), so running it again after a crash does only what
 * is left; every step carries the operation's correlationId and is caused by the plan's event.
 * A restructuring still pending when the service starts is finished then (`resumePending`).
 */
import {
  dispositionsOf,
  type PostDisposition,
  type RestructuringPlan,
  stepsFor,
} from '../../domain/org-node/restructuring-plan';
import { byPlatform, type CommandBus } from '../commands/command-bus';
import type { CommandMetadata } from '../commands/decider-command-runner';
import { fromRecordedEvent } from '../event-store/event-envelope';
import type { EventStore } from '../ports/event-store.port';
import { ExecutePersonCommand } from '../person/person.commands';
import { loadPerson } from '../person/person.load';
import { ExecuteOrgNodeCommand } from './org-node.commands';
import type { OrgTree } from './org-tree';

/** People of one operation are moved this many at a time (group commit batches their appends). */
const PARALLEL = 16;
const STEPS = byPlatform('restructuring');
const rank = (kind: PostDisposition['action']) => (kind === 'DEPART' ? 2 : kind === 'END' ? 1 : 0);

export class RestructuringProcess {
  constructor(
    private readonly commands: CommandBus,
    private readonly store: EventStore,
    private readonly tree: OrgTree,
  ) {}

  /** Carries out the plan of `operationId` and records it completed; what was already done is skipped. */
  async carryOut(operationId: string): Promise<void> {
    const planned = await this.plannedEvent(operationId);
    const plan = planned.data as RestructuringPlan;
    const m: CommandMetadata = {
      actor: planned.actor,
      jurisdiction: planned.jurisdiction,
      effectiveAt: planned.effectiveAt,
      reason: planned.reason,
      sourceRef: planned.sourceRef,
      correlationId: planned.correlationId,
      causationId: planned.eventId,
    };
    const byPerson = new Map<string, PostDisposition[]>();
    for (const d of dispositionsOf(plan)) byPerson.set(d.personId, [...(byPerson.get(d.personId) ?? []), d]);
    const people = [...byPerson.entries()];
    for (let i = 0; i < people.length; i += PARALLEL) {
      // Every step of a batch has ended before a failure is reported: none is left running behind it.
      const settled = await Promise.allSettled(
        people.slice(i, i + PARALLEL).map(([personId, ds]) => this.dispose(personId, ds, m)),
      );
      const failed = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
      if (failed) throw failed.reason;
    }
    await this.commands.execute(
      new ExecuteOrgNodeCommand({ type: 'CompleteRestructuring', data: { operationId } }, m, STEPS),
    );
  }

  /** Finishes every restructuring whose plan was recorded and whose completion was not. */
  async resumePending(): Promise<string[]> {
    const { state } = await this.tree.load();
    const pending = (state.pendingOperations ?? []).map((op) => op.operationId);
    for (const operationId of pending) await this.carryOut(operationId);
    return pending;
  }

  /** One person's dispositions, one after the other: moves first, so a primary post lands before the rest ends. */
  private async dispose(personId: string, dispositions: PostDisposition[], m: CommandMetadata): Promise<void> {
    for (const disposition of [...dispositions].sort((a, b) => rank(a.action) - rank(b.action))) {
      const { state } = await loadPerson(this.store, personId);
      for (const step of stepsFor(state, disposition))
        await this.commands.execute(new ExecutePersonCommand(step, m, STEPS));
    }
  }

  private async plannedEvent(operationId: string) {
    const recorded = await this.store.readStream(this.tree.streamId);
    for (let i = recorded.length - 1; i >= 0; i--) {
      if (recorded[i].type !== 'RestructuringPlanned') continue;
      const envelope = fromRecordedEvent(recorded[i]);
      if ((envelope.data as RestructuringPlan).operationId === operationId) return envelope;
    }
    throw new Error(`restructuring ${operationId} has no recorded plan`);
  }
}
