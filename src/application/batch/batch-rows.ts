/**
 * What each batch operation does with one row: the fields it needs, the bus command it issues (the
 * same command a single change goes through, so the same rules and authorization apply) and the
 * stream that command changes. Sheets name the fields in Chinese; the JSON API in English.
 */
import type { BatchOperation, BatchRow } from '../../domain/batch/batch.decider';
import { ExecuteAccountCommand } from '../account/account.commands';
import type { BusCommand, Issuer } from '../commands/command-bus';
import type { CommandMetadata, CommandOutcome } from '../commands/decider-command-runner';
import { ExecuteTagCommand } from '../directory/directory.commands';
import { ExecutePersonCommand } from '../person/person.commands';
import { ExecuteWorkGroupCommand } from '../work-group/work-group.commands';
import type { DepartureReason } from '../../domain/person/person.decider';
import type { CloseReason, FreezeReason } from '../../domain/account/account.decider';

export interface OperationSpec {
  /** The column of the target, and of each field, in an uploaded sheet. */
  readonly targetColumn: string;
  readonly fieldColumns: Readonly<Record<string, string>>;
  readonly required: readonly string[];
  readonly streamOf: (row: BatchRow) => string;
  readonly commandOf: (row: BatchRow, m: CommandMetadata, issuer: Issuer) => BusCommand<CommandOutcome>;
}

export const OPERATIONS: Readonly<Record<BatchOperation, OperationSpec>> = {
  TRANSFER: {
    targetColumn: '人员编号',
    fieldColumns: { toOrgNodeId: '调入节点编号', title: '职务' },
    required: ['toOrgNodeId'],
    streamOf: (row) => `Person-${row.target}`,
    commandOf: (row, m, issuer) =>
      new ExecutePersonCommand(
        {
          type: 'TransferPerson',
          data: { personId: row.target, to: { orgNodeId: row.fields.toOrgNodeId, title: row.fields.title || null } },
        },
        m,
        issuer,
      ),
  },
  DEPARTURE: {
    targetColumn: '人员编号',
    fieldColumns: { reason: '离岗原因' },
    required: ['reason'],
    streamOf: (row) => `Person-${row.target}`,
    commandOf: (row, m, issuer) =>
      new ExecutePersonCommand(
        { type: 'RecordDeparture', data: { personId: row.target, reason: row.fields.reason as DepartureReason } },
        m,
        issuer,
      ),
  },
  FREEZE: {
    targetColumn: '账号',
    fieldColumns: { reason: '原因' },
    required: ['reason'],
    streamOf: (row) => `Account-${row.target}`,
    commandOf: (row, m, issuer) =>
      new ExecuteAccountCommand(
        { type: 'FreezeAccount', data: { accountId: row.target, reason: row.fields.reason as FreezeReason } },
        m,
        issuer,
      ),
  },
  CLOSE: {
    targetColumn: '账号',
    fieldColumns: { reason: '原因' },
    required: ['reason'],
    streamOf: (row) => `Account-${row.target}`,
    commandOf: (row, m, issuer) =>
      new ExecuteAccountCommand(
        { type: 'CloseAccount', data: { accountId: row.target, reason: row.fields.reason as CloseReason } },
        m,
        issuer,
      ),
  },
  ADD_TO_TAG: {
    targetColumn: '人员编号',
    fieldColumns: { tagId: '标签编号' },
    required: ['tagId'],
    streamOf: (row) => `Tag-${row.fields.tagId}`,
    commandOf: (row, m, issuer) =>
      new ExecuteTagCommand(
        { type: 'AddTagMembers', data: { tagId: row.fields.tagId, personIds: [row.target] } },
        m,
        issuer,
      ),
  },
  ADD_TO_GROUP: {
    targetColumn: '人员编号',
    fieldColumns: { groupId: '群编号' },
    required: ['groupId'],
    streamOf: (row) => `WorkGroup-${row.fields.groupId}`,
    commandOf: (row, m, issuer) =>
      new ExecuteWorkGroupCommand(
        { type: 'AddGroupMembers', data: { groupId: row.fields.groupId, personIds: [row.target] } },
        m,
        issuer,
      ),
  },
};
