/** Batch operations on the bus: plan one (or only check it), and carry out one left unfinished. */
import type { BatchOperation, RefusedRow } from '../../domain/batch/batch.decider';
import { BusCommand, type Issuer } from '../commands/command-bus';
import type { CommandMetadata } from '../commands/decider-command-runner';

/** A row as submitted: its line (sheet row, or 1-based place in the list), target and fields. */
export interface SubmittedRow {
  readonly line: number;
  readonly target: string;
  readonly fields: Readonly<Record<string, string>>;
}

export interface BatchPlan {
  readonly batchId: string;
  readonly operation: BatchOperation;
  /** Only checked, nothing written. */
  readonly dryRun: boolean;
  readonly accepted: number;
  /** The rows that will not be carried out, each with the rule that refuses it. */
  readonly refused: readonly RefusedRow[];
  /** False when this batch id had been planned before (the earlier plan stands). */
  readonly planned: boolean;
}

export class PlanBatch extends BusCommand<BatchPlan> {
  constructor(
    readonly batchId: string,
    readonly operation: BatchOperation,
    readonly rows: readonly SubmittedRow[],
    readonly dryRun: boolean,
    readonly metadata: CommandMetadata,
    readonly issuer: Issuer,
  ) {
    super();
  }
}
