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
import { ExecuteOrgNodeCommand } from '../org-node/org-node.commands';
import { RuleViolation } from '../../domain/shared/domain-error';
import { type DepartureReason, personStream } from '../../domain/person/person.decider';
import { accountStream, type CloseReason, type FreezeReason } from '../../domain/account/account.decider';
import { orgTreeStream } from '../../domain/org-node/org-node.decider';
import { tagStream } from '../../domain/tag/tag.decider';
import { workGroupStream } from '../../domain/work-group/work-group.decider';

export interface OperationSpec {
  /** The column of the target, and of each field, in an uploaded sheet. */
  readonly targetColumn: string;
  readonly fieldColumns: Readonly<Record<string, string>>;
  readonly required: readonly string[];
  readonly streamOf: (row: BatchRow, jurisdiction: string) => string;
  readonly commandOf: (row: BatchRow, m: CommandMetadata, issuer: Issuer) => BusCommand<CommandOutcome>;
  /** Whether a row can only be checked once earlier rows are carried out (it names a node they create). */
  readonly dependsOn?: (row: BatchRow, created: ReadonlySet<string>) => boolean;
  /** Rows carried out one at a time, in line order (they change one stream, or depend on each other). */
  readonly sequential?: boolean;
}

const dataOf = (row: BatchRow) => JSON.parse(row.fields.data ?? '{}') as Record<string, unknown>;

/** The command of one DIRECTORY_UPDATE row, by its action. */
function updateCommand(row: BatchRow, m: CommandMetadata, issuer: Issuer): BusCommand<CommandOutcome> {
  const data = dataOf(row) as never;
  switch (row.fields.action) {
    case 'CREATE_NODE':
      return new ExecuteOrgNodeCommand({ type: 'CreateOrgNode', data }, m, issuer);
    case 'RENAME_NODE':
      return new ExecuteOrgNodeCommand({ type: 'RenameOrgNode', data }, m, issuer);
    case 'MOVE_NODE':
      return new ExecuteOrgNodeCommand({ type: 'MoveOrgNode', data }, m, issuer);
    case 'REGISTER_PERSON':
      return new ExecutePersonCommand({ type: 'RegisterPerson', data }, m, issuer);
    case 'UPDATE_PROFILE':
      return new ExecutePersonCommand({ type: 'UpdatePersonProfile', data }, m, issuer);
    case 'TRANSFER':
      return new ExecutePersonCommand({ type: 'TransferPerson', data }, m, issuer);
    case 'CHANGE_POST':
      return new ExecutePersonCommand({ type: 'ChangePost', data }, m, issuer);
    case 'DEPARTURE':
      return new ExecutePersonCommand({ type: 'RecordDeparture', data }, m, issuer);
    default:
      throw new RuleViolation('BATCH_ROW_INVALID', 'unprocessable', `不支持的变更 ${String(row.fields.action)}`);
  }
}

const NODE_ACTIONS = new Set(['CREATE_NODE', 'RENAME_NODE', 'MOVE_NODE']);

export const OPERATIONS: Readonly<Record<BatchOperation, OperationSpec>> = {
  DIRECTORY_UPDATE: {
    targetColumn: '对象',
    fieldColumns: { action: '变更', data: '内容' },
    required: ['action', 'data'],
    streamOf: (row, jurisdiction) =>
      NODE_ACTIONS.has(row.fields.action) ? orgTreeStream(jurisdiction) : personStream(row.target),
    commandOf: updateCommand,
    dependsOn: (row, created) => {
      const data = dataOf(row) as {
        parentId?: string;
        toParentId?: string;
        primaryPost?: { orgNodeId?: string };
        to?: { orgNodeId?: string };
        orgNodeId?: string;
      };
      return [
        data.parentId,
        data.toParentId,
        data.primaryPost?.orgNodeId,
        data.to?.orgNodeId,
        row.fields.action === 'CREATE_NODE' ? undefined : data.orgNodeId,
      ].some((id) => id !== undefined && created.has(id));
    },
    sequential: true,
  },
  TRANSFER: {
    targetColumn: '人员编号',
    fieldColumns: { toOrgNodeId: '调入节点编号', title: '职务' },
    required: ['toOrgNodeId'],
    streamOf: (row) => personStream(row.target),
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
    streamOf: (row) => personStream(row.target),
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
    streamOf: (row) => accountStream(row.target),
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
    streamOf: (row) => accountStream(row.target),
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
    streamOf: (row) => tagStream(row.fields.tagId),
    sequential: true,
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
    streamOf: (row) => workGroupStream(row.fields.groupId),
    sequential: true,
    commandOf: (row, m, issuer) =>
      new ExecuteWorkGroupCommand(
        { type: 'AddGroupMembers', data: { groupId: row.fields.groupId, personIds: [row.target] } },
        m,
        issuer,
      ),
  },
};
