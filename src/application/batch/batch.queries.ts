/**
 * A batch as it stands, and its result sheet: every row with what became of it (done, unchanged,
 * refused with the rule, or still waiting). For the one who submitted it and for system admins.
 */
import { AccessDenied, type Principal } from '../../domain/access/access-policy';
import { batchDecider, batchStream, type BatchState, type RowOutcome } from '../../domain/batch/batch.decider';
import { RuleViolation } from '../../domain/shared/domain-error';
import type { FoldedStreams } from '../commands/folded-streams';
import type { EventStore } from '../ports/event-store.port';
import { type BusQueryHandler, PrincipalQuery } from '../queries/query-bus';

export interface BatchResultRow {
  readonly line: number;
  readonly target: string;
  readonly result: 'DONE' | 'UNCHANGED' | 'REFUSED' | 'PENDING';
  readonly code: string | null;
  readonly reason: string | null;
}

export interface BatchReport {
  readonly batchId: string;
  readonly operation: string;
  readonly status: 'PLANNED' | 'COMPLETED';
  readonly counts: Readonly<Record<BatchResultRow['result'], number>>;
  readonly rows: readonly BatchResultRow[];
}

export class GetBatch extends PrincipalQuery<BatchReport> {
  constructor(
    principal: Principal,
    readonly batchId: string,
  ) {
    super(principal);
  }
}

function reportOf(state: Exclude<BatchState, { status: 'NONE' }>): BatchReport {
  const result = (line: number, target: string, outcome: RowOutcome | undefined): BatchResultRow => {
    if (!outcome) return { line, target, result: 'PENDING', code: null, reason: null };
    if (outcome.outcome === 'REFUSED')
      return { line, target, result: 'REFUSED', code: outcome.code, reason: outcome.reason };
    return { line, target, result: outcome.outcome, code: null, reason: null };
  };
  const rows = [
    ...state.rows.map((row) => result(row.line, row.target, state.outcomes[row.line])),
    ...state.refused.map((r) => ({
      line: r.line,
      target: r.target,
      result: 'REFUSED' as const,
      code: r.code,
      reason: r.reason,
    })),
  ].sort((a, b) => a.line - b.line);
  const counts = { DONE: 0, UNCHANGED: 0, REFUSED: 0, PENDING: 0 };
  for (const row of rows) counts[row.result] += 1;
  return { batchId: state.batchId, operation: state.operation, status: state.status, counts, rows };
}

export class GetBatchHandler implements BusQueryHandler<GetBatch> {
  constructor(
    private readonly store: EventStore,
    private readonly folded: FoldedStreams,
  ) {}

  async execute({ principal, batchId }: GetBatch): Promise<BatchReport> {
    const missing = new RuleViolation('BATCH_NOT_FOUND', 'unprocessable', `批量操作 ${batchId} 不存在`, { batchId });
    if (principal.kind !== 'ACCOUNT')
      throw new AccessDenied('NOT_PERMITTED', '批量操作只向提交人和系统管理员提供', {}, true);
    const { state } = await this.folded.load(batchDecider, batchStream(batchId));
    if (state.status === 'NONE') throw missing;
    const [planned] = await this.store.readStream(batchStream(batchId), { maxCount: 1 });
    const submitter = (planned?.metadata.actor as { accountId?: string } | undefined)?.accountId;
    // Someone else's batch does not exist for them.
    if (principal.account.type !== 'SYSTEM_ADMIN' && submitter !== principal.account.accountId) throw missing;
    return reportOf(state);
  }
}
