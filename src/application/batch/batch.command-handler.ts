/**
 * Planning a batch: every row checked first, by the very command that will carry it out, sent
 * under the asking principal with `validateOnly` (decided and authorized, nothing written), so a
 * preview names exactly the rows that would be refused, by line, with the rule. Applying records
 * the plan — the commit point — and starts the process that carries it out.
 */
import {
  type BatchOperation,
  BATCH_OPERATIONS,
  type BatchRow,
  batchDecider,
  batchStream,
  type RefusedRow,
} from '../../domain/batch/batch.decider';
import { DomainError, RuleViolation } from '../../domain/shared/domain-error';
import { AccessDenied } from '../../domain/access/access-policy';
import type { AccessControl } from '../access/access-control';
import type { BusCommandHandler, CommandBus } from '../commands/command-bus';
import type { DeciderCommandRunner } from '../commands/decider-command-runner';
import { OPERATIONS } from './batch-rows';
import type { BatchProcess } from './batch.process';
import { type BatchPlan, type PlanBatch, type SubmittedRow } from './batch.commands';

/** Rows checked at once. */
const CHECKING = 32;

export class PlanBatchHandler implements BusCommandHandler<PlanBatch> {
  constructor(
    private readonly runner: DeciderCommandRunner,
    private readonly commands: CommandBus,
    private readonly process: BatchProcess,
    private readonly access: AccessControl,
  ) {}

  async execute({ batchId, operation, rows, dryRun, metadata, issuer }: PlanBatch): Promise<BatchPlan> {
    if (issuer.kind === 'PRINCIPAL') {
      const { principal } = issuer;
      this.access.authorize(principal, { kind: 'AUTHENTICATED' });
      // Administrators send batches; each row is then authorized as if it were sent alone.
      if (principal.kind !== 'ACCOUNT' || !['SYSTEM_ADMIN', 'TIERED_ADMIN'].includes(principal.account.type))
        throw new AccessDenied('ADMINISTRATORS_ONLY', '批量操作只能由系统管理员或分级管理员提交', {}, true);
    }
    if (!(BATCH_OPERATIONS as readonly string[]).includes(operation))
      throw new RuleViolation(
        'BATCH_OPERATION_UNKNOWN',
        'unprocessable',
        `批量操作应为 ${BATCH_OPERATIONS.join('、')} 之一`,
      );
    const existing = await this.runner.load(batchDecider, batchStream(batchId));
    if (existing.state.status !== 'NONE') {
      const { state } = existing;
      // Asked again (a retried upload): the plan stands, and is carried on if it was cut short.
      if (!dryRun && state.status === 'PLANNED') this.process.start(batchId);
      return {
        batchId,
        operation: state.operation,
        dryRun,
        accepted: state.rows.length,
        refused: state.refused,
        planned: false,
      };
    }
    const { accepted, refused } = await this.check(operation, rows, metadata, issuer);
    if (dryRun) return { batchId, operation, dryRun, accepted: accepted.length, refused, planned: false };
    await this.runner.run(
      batchDecider,
      batchStream(batchId),
      { type: 'PlanBatch', data: { batchId, operation, rows: accepted, refused } },
      { ...metadata, correlationId: metadata.correlationId ?? batchId },
      existing,
    );
    this.process.start(batchId);
    return { batchId, operation, dryRun, accepted: accepted.length, refused, planned: true };
  }

  private async check(
    operation: BatchOperation,
    rows: readonly SubmittedRow[],
    metadata: PlanBatch['metadata'],
    issuer: PlanBatch['issuer'],
  ): Promise<{ accepted: BatchRow[]; refused: RefusedRow[] }> {
    const spec = OPERATIONS[operation];
    const refused: RefusedRow[] = [];
    const accepted: BatchRow[] = [];
    const seen = new Map<string, number>();
    const candidates: BatchRow[] = [];
    for (const row of rows) {
      const refuse = (code: string, reason: string) =>
        refused.push({ line: row.line, target: row.target, code, reason });
      const missing = [
        ...(row.target ? [] : [spec.targetColumn]),
        ...spec.required.filter((f) => !row.fields[f]).map((f) => spec.fieldColumns[f]),
      ];
      if (missing.length > 0) {
        refuse('BATCH_ROW_INCOMPLETE', `缺少${missing.join('、')}`);
        continue;
      }
      const key = `${row.target}\u0000${spec.streamOf(row, metadata.jurisdiction)}\u0000${row.fields.action ?? ''}`;
      if (seen.has(key)) {
        refuse('BATCH_DUPLICATE_TARGET', `与第 ${seen.get(key)} 行是同一对象`);
        continue;
      }
      seen.set(key, row.line);
      candidates.push({ line: row.line, target: row.target, fields: row.fields });
    }
    const checking = { ...metadata, validateOnly: true };
    // Rows naming a node an earlier row creates are checked when they are carried out.
    const created = new Set<string>();
    const checkable: BatchRow[] = [];
    for (const row of candidates) {
      if (spec.dependsOn?.(row, created)) accepted.push(row);
      else checkable.push(row);
      if (row.fields.action === 'CREATE_NODE') created.add(row.target);
    }
    for (let i = 0; i < checkable.length; i += CHECKING) {
      await Promise.all(
        checkable.slice(i, i + CHECKING).map(async (row) => {
          try {
            await this.commands.execute(spec.commandOf(row, checking, issuer));
            accepted.push(row);
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
            refused.push({ line: row.line, target: row.target, code: error.code, reason: error.message });
          }
        }),
      );
    }
    accepted.sort((a, b) => a.line - b.line);
    refused.sort((a, b) => a.line - b.line);
    return { accepted, refused };
  }
}
