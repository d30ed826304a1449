/**
 * Carries out a planned batch (issue 23): each row as its own command, the batch's correlation
 * and actor, caused by `BatchPlanned`, acting on the authority the plan checked row by row (as a
 * restructuring's steps do). Outcomes are recorded on the batch's stream a chunk at a time. Run
 * again — after a crash, or at the next start (`resumePending`) — it skips the rows recorded, and
 * a row whose change was made but not yet recorded is found in its stream by its cause and
 * recorded, never made twice.
 */
import {
  type BatchRow,
  batchDecider,
  BATCH_STREAM_PREFIX,
  batchStream,
  type BatchState,
  type RowOutcome,
} from '../../domain/batch/batch.decider';
import { DomainError } from '../../domain/shared/domain-error';
import { byPlatform, type CommandBus } from '../commands/command-bus';
import type { CommandMetadata, DeciderCommandRunner } from '../commands/decider-command-runner';
import { fromRecordedEvent } from '../event-store/event-envelope';
import type { EventStore, RecordedEvent } from '../ports/event-store.port';
import type { OperationLog } from '../ports/operation-log.port';
import { OPERATIONS } from './batch-rows';

/** Rows carried out at once (group commit batches their appends); their outcomes are one append. */
const CHUNK = 16;
const STEPS = byPlatform('batch');

/** Whether `event` is the change a row asked for. */
function isRowChange(event: RecordedEvent, row: BatchRow, causationId: string): boolean {
  if (event.metadata.causationId !== causationId) return false;
  const data = event.data as { personId?: unknown; accountId?: unknown; personIds?: unknown; orgNodeId?: unknown };
  return (
    data.personId === row.target ||
    data.orgNodeId === row.target ||
    data.accountId === row.target ||
    (Array.isArray(data.personIds) && data.personIds.includes(row.target))
  );
}

export class BatchProcess {
  private readonly running = new Map<string, Promise<void>>();

  constructor(
    private readonly commands: CommandBus,
    private readonly store: EventStore,
    private readonly runner: DeciderCommandRunner,
    private readonly log: Pick<OperationLog, 'error'>,
  ) {}

  /** Starts carrying out a batch in the background (once per batch at a time). */
  start(batchId: string): void {
    if (this.running.has(batchId)) return;
    const run = this.carryOut(batchId)
      .catch((error: unknown) =>
        this.log.error(
          `批量操作 ${batchId} 未能办理完毕，将在重启或再次提交时续办：${error instanceof Error ? error.message : String(error)}`,
        ),
      )
      .finally(() => this.running.delete(batchId));
    this.running.set(batchId, run);
  }

  /** Resolves when every batch started here has stopped. */
  async settled(): Promise<void> {
    await Promise.all([...this.running.values()]);
  }

  async carryOut(batchId: string): Promise<void> {
    const stream = batchStream(batchId);
    const recorded = await this.store.readStream(stream);
    const plannedEvent = recorded.find((e) => e.type === 'BatchPlanned');
    if (!plannedEvent) return;
    const planned = fromRecordedEvent(plannedEvent);
    const m: CommandMetadata = {
      actor: planned.actor,
      jurisdiction: planned.jurisdiction,
      effectiveAt: planned.effectiveAt,
      reason: planned.reason,
      sourceRef: planned.sourceRef,
      correlationId: planned.correlationId,
      causationId: planned.eventId,
    };
    const { state } = await this.runner.load(batchDecider, stream);
    if (state.status !== 'PLANNED') return;
    const spec = OPERATIONS[state.operation];
    const todo = state.rows.filter((row) => !state.outcomes[row.line]);
    // Rows of one tag or group change one stream: one at a time, or they would only contend.
    const chunk = spec.sequential ? 1 : CHUNK;
    for (let i = 0; i < todo.length; i += chunk) {
      // Only the first rows of a resumed run can have been in flight when it stopped.
      const inFlight = i < CHUNK;
      const rows = todo.slice(i, i + chunk);
      const outcomes = await Promise.all(rows.map((row) => this.rowOutcome(row, spec, m, inFlight)));
      await this.runner.run(batchDecider, stream, { type: 'RecordBatchOutcomes', data: { batchId, outcomes } }, m);
    }
    await this.runner.run(batchDecider, stream, { type: 'CompleteBatch', data: { batchId } }, m);
  }

  private async rowOutcome(
    row: BatchRow,
    spec: (typeof OPERATIONS)[keyof typeof OPERATIONS],
    m: CommandMetadata,
    inFlight: boolean,
  ): Promise<RowOutcome> {
    // Made before a crash, not yet recorded: found by its cause.
    if (inFlight) {
      const changed = await this.store.readStream(spec.streamOf(row, m.jurisdiction));
      if (changed.some((event) => isRowChange(event, row, m.causationId!))) return { line: row.line, outcome: 'DONE' };
    }
    try {
      const outcome = await this.commands.execute(spec.commandOf(row, m, STEPS));
      return { line: row.line, outcome: outcome.events.length > 0 ? 'DONE' : 'UNCHANGED' };
    } catch (error) {
      // The world changed since the plan: this row is refused now, with the rule that refuses it.
      if (!(error instanceof DomainError)) throw error;
      return { line: row.line, target: row.target, outcome: 'REFUSED', code: error.code, reason: error.message };
    }
  }

  /**
   * Finishes every batch whose plan was recorded and whose completion was not: a batch's stream
   * ends with its completion, so each one's last event tells (the store names the batch streams
   * from its stream index; scanning every event for the batches' types read the whole store).
   */
  async resumePending(): Promise<string[]> {
    const pending: string[] = [];
    for (const stream of await this.store.streamIds(BATCH_STREAM_PREFIX)) {
      const [last] = await this.store.readStream(stream, { direction: 'backwards', maxCount: 1 });
      if (last !== undefined && last.type !== 'BatchCompleted') pending.push(String(last.data.batchId));
    }
    for (const batchId of pending) await this.carryOut(batchId);
    return pending;
  }
}

export type { BatchState };
