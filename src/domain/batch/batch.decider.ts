/**
 * A batch operation (批量操作, issue 23), stream `Batch-<batchId>`: many items acted on at once —
 * transfers, departures, freezing or closing accounts, adding people to a tag or a group. Every
 * row is checked first (by the decider that will carry it out) and the batch is decided whole:
 * `BatchPlanned` holds the rows that will be carried out and those refused with their reasons,
 * and is the commit point. A process then issues each row as its own command (its own events,
 * the batch's correlation, caused by the plan) and records each row's outcome here; run again
 * after a crash it does only the rows not yet recorded.
 */
import { eventTypes, type Decider } from '../shared/decider';
import { RuleViolation } from '../shared/domain-error';

export const BATCH_OPERATIONS = [
  'TRANSFER',
  'DEPARTURE',
  'FREEZE',
  'CLOSE',
  'ADD_TO_TAG',
  'ADD_TO_GROUP',
  // A re-imported workbook's differences (each row names its own change): see directory-update.ts.
  'DIRECTORY_UPDATE',
] as const;
export type BatchOperation = (typeof BATCH_OPERATIONS)[number];

/** One row: its line in the sheet (or place in the list), what it acts on, and the operation's fields. */
export interface BatchRow {
  readonly line: number;
  readonly target: string;
  readonly fields: Readonly<Record<string, string>>;
}

export interface RefusedRow {
  readonly line: number;
  readonly target: string;
  readonly code: string;
  readonly reason: string;
}

export type RowOutcome =
  { readonly line: number; readonly outcome: 'DONE' | 'UNCHANGED' } | (RefusedRow & { readonly outcome: 'REFUSED' });

export type BatchState =
  | { readonly status: 'NONE' }
  | {
      readonly status: 'PLANNED' | 'COMPLETED';
      readonly batchId: string;
      readonly operation: BatchOperation;
      readonly rows: readonly BatchRow[];
      readonly refused: readonly RefusedRow[];
      /** Outcomes by line, of the rows carried out so far. */
      readonly outcomes: Readonly<Record<number, RowOutcome>>;
    };

export type BatchCommand =
  | {
      type: 'PlanBatch';
      data: { batchId: string; operation: BatchOperation; rows: readonly BatchRow[]; refused: readonly RefusedRow[] };
    }
  | { type: 'RecordBatchOutcomes'; data: { batchId: string; outcomes: readonly RowOutcome[] } }
  | { type: 'CompleteBatch'; data: { batchId: string } };

export type BatchEvent =
  | {
      type: 'BatchPlanned';
      data: { batchId: string; operation: BatchOperation; rows: BatchRow[]; refused: RefusedRow[] };
    }
  | { type: 'BatchRowCarriedOut'; data: { batchId: string; line: number; outcome: 'DONE' | 'UNCHANGED' } }
  | { type: 'BatchRowRefused'; data: RefusedRow & { batchId: string } }
  | { type: 'BatchCompleted'; data: { batchId: string; done: number; unchanged: number; refused: number } };

export const BATCH_EVENT_TYPES = eventTypes<BatchEvent>({
  BatchPlanned: true,
  BatchRowCarriedOut: true,
  BatchRowRefused: true,
  BatchCompleted: true,
});

export const BATCH_STREAM_PREFIX = 'Batch-';

export function batchStream(batchId: string): string {
  return `${BATCH_STREAM_PREFIX}${batchId}`;
}

/** Rows a batch holds at most. */
export const BATCH_MAX_ROWS = 20_000;

function planned(state: BatchState, batchId: string) {
  if (state.status === 'NONE')
    throw new RuleViolation('BATCH_NOT_FOUND', 'unprocessable', `批量操作 ${batchId} 不存在`, { batchId });
  return state;
}

function decide(command: BatchCommand, state: BatchState): BatchEvent[] {
  switch (command.type) {
    case 'PlanBatch': {
      const { batchId, operation, rows, refused } = command.data;
      // The same batch asked again: it was decided then.
      if (state.status !== 'NONE') return [];
      if (!BATCH_OPERATIONS.includes(operation))
        throw new RuleViolation('BATCH_OPERATION_UNKNOWN', 'unprocessable', `不支持的批量操作 ${String(operation)}`);
      if (rows.length + refused.length === 0)
        throw new RuleViolation('BATCH_EMPTY', 'unprocessable', '批量操作没有任何行');
      if (rows.length + refused.length > BATCH_MAX_ROWS)
        throw new RuleViolation('BATCH_TOO_LARGE', 'unprocessable', `批量操作最多 ${BATCH_MAX_ROWS} 行，请分批提交`);
      return [{ type: 'BatchPlanned', data: { batchId, operation, rows: [...rows], refused: [...refused] } }];
    }
    case 'RecordBatchOutcomes': {
      const batch = planned(state, command.data.batchId);
      const lines = new Set(batch.rows.map((row) => row.line));
      const events: BatchEvent[] = [];
      for (const outcome of command.data.outcomes) {
        if (!lines.has(outcome.line))
          throw new RuleViolation('BATCH_ROW_UNKNOWN', 'unprocessable', `批量操作中没有第 ${outcome.line} 行`);
        // Recorded already (the process was run again): it stays as first recorded.
        if (batch.outcomes[outcome.line] || events.some((e) => 'line' in e.data && e.data.line === outcome.line))
          continue;
        const { batchId } = batch;
        events.push(
          outcome.outcome === 'REFUSED'
            ? {
                type: 'BatchRowRefused',
                data: {
                  batchId,
                  line: outcome.line,
                  target: outcome.target,
                  code: outcome.code,
                  reason: outcome.reason,
                },
              }
            : { type: 'BatchRowCarriedOut', data: { batchId, line: outcome.line, outcome: outcome.outcome } },
        );
      }
      return events;
    }
    case 'CompleteBatch': {
      const batch = planned(state, command.data.batchId);
      if (batch.status === 'COMPLETED') return [];
      const outcomes = Object.values(batch.outcomes);
      if (outcomes.length < batch.rows.length)
        throw new RuleViolation(
          'BATCH_NOT_FINISHED',
          'conflict',
          `批量操作还有 ${batch.rows.length - outcomes.length} 行未办理`,
        );
      const count = (o: RowOutcome['outcome']) => outcomes.filter((x) => x.outcome === o).length;
      return [
        {
          type: 'BatchCompleted',
          data: {
            batchId: batch.batchId,
            done: count('DONE'),
            unchanged: count('UNCHANGED'),
            refused: batch.refused.length + count('REFUSED'),
          },
        },
      ];
    }
  }
}

function evolve(state: BatchState, event: BatchEvent): BatchState {
  switch (event.type) {
    case 'BatchPlanned':
      return { status: 'PLANNED', ...event.data, outcomes: {} };
    case 'BatchRowCarriedOut':
    case 'BatchRowRefused': {
      if (state.status === 'NONE') return state;
      const outcome: RowOutcome =
        event.type === 'BatchRowRefused'
          ? { ...event.data, outcome: 'REFUSED' }
          : { line: event.data.line, outcome: event.data.outcome };
      return { ...state, outcomes: { ...state.outcomes, [event.data.line]: outcome } };
    }
    case 'BatchCompleted':
      return state.status === 'NONE' ? state : { ...state, status: 'COMPLETED' };
  }
}

export const batchDecider: Decider<BatchCommand, BatchEvent, BatchState> = {
  initialState: () => ({ status: 'NONE' }),
  decide,
  evolve,
};
