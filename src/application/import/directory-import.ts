/**
 * Bulk import of an org tree and its people (template: docs/import-template.md; columns of 000:9
 * and 001b:9). The whole file is validated before anything is written, with the deciders
 * themselves, so an import accepts exactly what the commands accept. Every bad row is reported
 * with its line number. Rows already recorded with the same content are skipped, so importing
 * the same file twice changes nothing the second time.
 */
import {
  type NewOrgNode,
  ORG_NODE_KINDS,
  type OrgNodeCommand,
  type OrgTreeState,
  orgNodeDecider,
} from '../../domain/org-node/org-node.decider';
import { assertIdNumber, assertMobile, POLITICAL_STATUS_CODES } from '../../domain/person/identity';
import {
  DEFAULT_DIRECTORY_CLASS,
  DIRECTORY_CLASSES,
  type DirectoryClass,
  type Employment,
  type NodeFacts,
  personDecider,
} from '../../domain/person/person.decider';
import type { Actor } from '../../domain/shared/actor';
import { DomainError } from '../../domain/shared/domain-error';
import type { Principal } from '../../domain/access/access-policy';
import { AccessControl } from '../access/access-control';
import { BusCommand, type BusCommandHandler, byPlatform, type CommandBus } from '../commands/command-bus';
import type { CommandMetadata } from '../commands/decider-command-runner';
import type { EventStore } from '../ports/event-store.port';
import type { OrgTree } from '../org-node/org-tree';
import { ExecuteOrgNodeBatch } from '../org-node/org-node.commands';
import { type PersonRequestData, RegisterNewPeople } from '../person/person.commands';
import { loadPerson } from '../person/person.load';
import type { Clock } from '../ports/clock.port';
import type { UniqueValueReservations } from '../uniqueness/unique-value-reservations';

export interface ImportRow {
  /** The row's line in the file (header = line 1). */
  readonly line: number;
  readonly values: Readonly<Record<string, string>>;
}

export type ImportSheetKind = 'ORG' | 'PERSON';

/**
 * Where an import's rows come from, as a stream read anew on every call: the plan reads the
 * people once to validate them and the apply once more to write them, so that no pass holds
 * a whole file's rows.
 */
export interface ImportSource {
  rows(kind: ImportSheetKind): AsyncIterable<ImportRow>;
}

/** Rows already in memory as a source. */
export function importSourceOf(orgRows: readonly ImportRow[], personRows: readonly ImportRow[]): ImportSource {
  return {
    async *rows(kind) {
      yield* kind === 'ORG' ? orgRows : personRows;
    },
  };
}

export interface ImportProblem {
  readonly sheet: '组织' | '人员';
  readonly line: number;
  readonly reason: string;
}

export const ORG_COLUMNS = {
  orgNodeId: '节点编号',
  name: '名称',
  shortName: '简称',
  kind: '类型',
  parentId: '上级节点编号',
  externalCode: '统一社会信用代码',
  order: '排序',
} as const;

export const PERSON_COLUMNS = {
  personId: '人员编号',
  name: '姓名',
  idNumber: '身份证号码',
  gender: '性别',
  mobile: '手机号码',
  officePhone: '办公电话',
  employment: '编制',
  rank: '职级',
  politicalStatus: '政治面貌',
  orgNodeId: '单位节点编号',
  title: '职务',
  postLevel: '职务层次',
  role: '人员角色',
  leadershipDuties: '领导分工',
  order: '排序',
  directoryClass: '通讯录类别',
  effectiveAt: '业务发生日期',
} as const;

export const KIND_NAMES: Record<string, NewOrgNode['kind']> = {
  根节点: 'ROOT',
  分类节点: 'CATEGORY',
  单位: 'UNIT',
  内设机构: 'INTERNAL_BODY',
  居村: 'VILLAGE',
};
export const GENDER_NAMES: Record<string, string> = { 男: '1', 女: '2', 未知: '0', 未说明: '9' };
export const EMPLOYMENT_NAMES: Record<string, Employment> = {
  '在编-行政': { type: 'ON_ESTABLISHMENT', establishmentType: 'ADMINISTRATIVE' },
  '在编-事业': { type: 'ON_ESTABLISHMENT', establishmentType: 'PUBLIC_INSTITUTION' },
  '在编-其他': { type: 'ON_ESTABLISHMENT', establishmentType: 'OTHER' },
  非编聘用: { type: 'CONTRACTED', establishmentType: null },
  外部临时: { type: 'EXTERNAL_TEMPORARY', establishmentType: null },
};
export const POLITICAL_NAMES: Record<string, string> = {
  ...Object.fromEntries(Object.entries(POLITICAL_STATUS_CODES).map(([code, name]) => [name, code])),
  中共党员: '01',
  中共预备党员: '02',
  共青团员: '03',
  无党派人士: '12',
};

class RowProblem extends Error {}

function cell(row: ImportRow, column: string): string {
  return (row.values[column] ?? '').trim();
}

function required(row: ImportRow, column: string): string {
  const value = cell(row, column);
  if (value === '') throw new RowProblem(`“${column}”不能为空`);
  return value;
}

function optionalInt(row: ImportRow, column: string): number | undefined {
  const value = cell(row, column);
  if (value === '') return undefined;
  if (!/^\d{1,6}$/.test(value)) throw new RowProblem(`“${column}”应为 0–999999 的整数，实为“${value}”`);
  return Number(value);
}

function reasonOf(error: unknown): string {
  if (error instanceof RowProblem || error instanceof DomainError) return error.message;
  throw error;
}

export interface ImportPlan {
  readonly orgCommands: ReadonlyArray<Extract<OrgNodeCommand, { type: 'CreateOrgNode' }>>;
  /** New people the apply registers (their rows are read again then). */
  readonly peopleToRegister: number;
  readonly skippedNodes: number;
  readonly skippedPeople: number;
  readonly problems: readonly ImportProblem[];
  /** Rows read: of the tree, of people. */
  readonly rows: { readonly org: number; readonly person: number };
  /** Lines of people already recorded with the same content: the apply passes over them. */
  readonly recordedLines: ReadonlySet<number>;
}

/** A row of 组织 as CreateOrgNode's data (throws a RowProblem). */
export function newOrgNodeOf(row: ImportRow): NewOrgNode {
  const kindValue = required(row, ORG_COLUMNS.kind);
  const kind = (ORG_NODE_KINDS as readonly string[]).includes(kindValue)
    ? (kindValue as NewOrgNode['kind'])
    : KIND_NAMES[kindValue];
  if (!kind) throw new RowProblem(`“类型”应为 ${Object.keys(KIND_NAMES).join('、')} 之一，实为“${kindValue}”`);
  return {
    orgNodeId: required(row, ORG_COLUMNS.orgNodeId),
    name: required(row, ORG_COLUMNS.name),
    shortName: cell(row, ORG_COLUMNS.shortName) || null,
    kind,
    parentId: cell(row, ORG_COLUMNS.parentId) || null,
    externalCode: cell(row, ORG_COLUMNS.externalCode) || null,
    order: optionalInt(row, ORG_COLUMNS.order),
  };
}

/** The reason a row cannot be read, for a problem list (rethrows anything else). */
export function rowProblemOf(error: unknown): string {
  return reasonOf(error);
}

/** A person row as RegisterPerson's request (throws a RowProblem): the same in the plan and the apply. */
export function registrationOf(
  row: ImportRow,
  today: string,
): { request: PersonRequestData<'RegisterPerson'>; effectiveAt: string | undefined } {
  const personId = required(row, PERSON_COLUMNS.personId);
  const idNumber = assertIdNumber(required(row, PERSON_COLUMNS.idNumber), today);
  const mobile = assertMobile(required(row, PERSON_COLUMNS.mobile));
  const genderValue = required(row, PERSON_COLUMNS.gender);
  const employmentValue = required(row, PERSON_COLUMNS.employment);
  const employment = EMPLOYMENT_NAMES[employmentValue];
  if (!employment)
    throw new RowProblem(`“编制”应为 ${Object.keys(EMPLOYMENT_NAMES).join('、')} 之一，实为“${employmentValue}”`);
  const politicalValue = cell(row, PERSON_COLUMNS.politicalStatus);
  const classValue = cell(row, PERSON_COLUMNS.directoryClass) || DEFAULT_DIRECTORY_CLASS;
  if (!DIRECTORY_CLASSES.includes(classValue as DirectoryClass))
    throw new RowProblem(`“通讯录类别”应为 Q1–Q4，实为“${classValue}”`);
  const effectiveAt = cell(row, PERSON_COLUMNS.effectiveAt) || undefined;
  if (effectiveAt !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(effectiveAt))
    throw new RowProblem(`“业务发生日期”应为 YYYY-MM-DD，实为“${effectiveAt}”`);
  const request: PersonRequestData<'RegisterPerson'> = {
    personId,
    name: required(row, PERSON_COLUMNS.name),
    idNumber,
    gender: GENDER_NAMES[genderValue] ?? genderValue,
    mobile,
    officePhone: cell(row, PERSON_COLUMNS.officePhone) || null,
    employment,
    rank: cell(row, PERSON_COLUMNS.rank) || null,
    politicalStatus: politicalValue === '' ? null : (POLITICAL_NAMES[politicalValue] ?? politicalValue),
    leadershipDuties: cell(row, PERSON_COLUMNS.leadershipDuties) || null,
    primaryPost: {
      orgNodeId: required(row, PERSON_COLUMNS.orgNodeId),
      title: cell(row, PERSON_COLUMNS.title) || null,
      postLevel: cell(row, PERSON_COLUMNS.postLevel) || null,
      role: cell(row, PERSON_COLUMNS.role) || null,
      order: optionalInt(row, PERSON_COLUMNS.order),
    },
    directoryClass: classValue as DirectoryClass,
  };
  return { request, effectiveAt };
}

/** The rows of a stream a window at a time: checked concurrently within a window, the windows in order. */
async function* windowsOf(rows: AsyncIterable<ImportRow>, size: number): AsyncGenerator<ImportRow[]> {
  let window: ImportRow[] = [];
  for await (const row of rows) {
    window.push(row);
    if (window.length === size) {
      yield window;
      window = [];
    }
  }
  if (window.length > 0) yield window;
}

export interface ImportContext {
  readonly tree: OrgTree;
  readonly store: EventStore;
  /** The person handler's reservations: an ID number or mobile already held is a problem of its row. */
  readonly reservations: UniqueValueReservations;
  readonly commands: CommandBus;
  readonly today: string;
  readonly jurisdiction: string;
  readonly actor: Actor;
}

export async function planImport(source: ImportSource, context: ImportContext): Promise<ImportPlan> {
  // The tree is small beside its people (a province's 68,000 nodes): its rows are held, its people's are not.
  const orgRows: ImportRow[] = [];
  for await (const row of source.rows('ORG')) orgRows.push(row);
  const problems: ImportProblem[] = [];
  const decisionContext = {
    now: new Date(`${context.today}T00:00:00Z`),
    effectiveAt: context.today,
    actor: context.actor,
  };

  // ---- the tree: parents first, whatever the order of the rows ----
  let working: OrgTreeState = (await context.tree.load()).state;
  const orgCommands: Array<Extract<OrgNodeCommand, { type: 'CreateOrgNode' }>> = [];
  let skippedNodes = 0;
  const pending: Array<{ row: ImportRow; data: NewOrgNode }> = [];
  const seenNodes = new Map<string, number>();
  for (const row of orgRows) {
    try {
      const data = newOrgNodeOf(row);
      const { orgNodeId } = data;
      if (seenNodes.has(orgNodeId))
        throw new RowProblem(`节点编号 ${orgNodeId} 与第 ${seenNodes.get(orgNodeId)} 行重复`);
      seenNodes.set(orgNodeId, row.line);
      const existing = working.nodes.get(orgNodeId);
      if (existing) {
        if (existing.name === data.name.trim() && existing.parentId === data.parentId && existing.kind === data.kind)
          skippedNodes++;
        else
          problems.push({
            sheet: '组织',
            line: row.line,
            reason: `节点 ${orgNodeId} 已存在，内容与本行不同（导入不修改已有节点）`,
          });
        continue;
      }
      pending.push({ row, data });
    } catch (error) {
      problems.push({ sheet: '组织', line: row.line, reason: reasonOf(error) });
    }
  }
  // File order, except that a row's parent defined further down goes first (depth first).
  const byId = new Map(pending.map((entry) => [entry.data.orgNodeId, entry]));
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (entry: { row: ImportRow; data: NewOrgNode }): void => {
    const id = entry.data.orgNodeId;
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') return; // a cycle: the decider reports the missing parent
    state.set(id, 'visiting');
    const parent = entry.data.parentId === null ? undefined : byId.get(entry.data.parentId);
    if (parent) visit(parent);
    state.set(id, 'done');
    try {
      const command = { type: 'CreateOrgNode' as const, data: entry.data };
      for (const event of orgNodeDecider.decide(command, working, decisionContext))
        working = orgNodeDecider.evolve(working, event);
      orgCommands.push(command);
    } catch (error) {
      problems.push({ sheet: '组织', line: entry.row.line, reason: reasonOf(error) });
    }
  };
  for (const entry of pending) visit(entry);

  // ---- people ----
  const facts: Record<string, 'ACTIVE' | 'DISSOLVED' | 'MERGED'> = {};
  for (const node of working.nodes.values()) facts[node.id] = node.status;
  const nodes: NodeFacts = facts;
  let peopleToRegister = 0;
  let personRows = 0;
  let skippedPeople = 0;
  const recordedLines = new Set<number>();
  // The only memory that grows with the rows: each ID number, mobile and person id with its first line.
  const firstLine = {
    personId: new Map<string, number>(),
    mobile: new Map<string, number>(),
    idNumber: new Map<string, number>(),
  };
  const claim = (kind: keyof typeof firstLine, value: string, line: number, label: string) => {
    const earlier = firstLine[kind].get(value);
    if (earlier !== undefined) throw new RowProblem(`${label}与第 ${earlier} 行重复`);
    firstLine[kind].set(value, line);
  };
  const check = async (row: ImportRow) => {
    try {
      const personId = required(row, PERSON_COLUMNS.personId);
      claim('personId', personId, row.line, `人员编号 ${personId} `);
      const { request, effectiveAt: _ } = registrationOf(row, context.today);
      const { idNumber, mobile } = request;
      claim('idNumber', idNumber, row.line, '身份证号码');
      claim('mobile', mobile, row.line, `手机号码 ${mobile} `);
      const { state } = await loadPerson(context.store, personId);
      if (state.status !== 'NONE') {
        const primary = state.posts.find((p) => p.kind === 'PRIMARY');
        if (
          state.idNumber === idNumber &&
          state.name === request.name.trim() &&
          state.mobile === mobile &&
          primary?.orgNodeId === request.primaryPost.orgNodeId
        ) {
          skippedPeople++;
          recordedLines.add(row.line);
        } else throw new RowProblem(`人员 ${personId} 已存在，内容与本行不同（导入不修改已有人员）`);
        return;
      }
      personDecider.decide({ type: 'RegisterPerson', data: { ...request, nodes } }, state, decisionContext);
      await context.reservations.check('IdNumber', idNumber, personId, context.jurisdiction);
      await context.reservations.check('Mobile', mobile, personId, context.jurisdiction);
      peopleToRegister++;
    } catch (error) {
      problems.push({ sheet: '人员', line: row.line, reason: reasonOf(error) });
    }
  };
  for await (const window of windowsOf(source.rows('PERSON'), 512)) {
    personRows += window.length;
    // The claims are taken in line order (each check claims before it first waits).
    await Promise.all(window.map(check));
  }
  problems.sort((a, b) => (a.sheet === b.sheet ? a.line - b.line : a.sheet === '组织' ? -1 : 1));
  return {
    orgCommands,
    peopleToRegister,
    skippedNodes,
    skippedPeople,
    problems,
    rows: { org: orgRows.length, person: personRows },
    recordedLines,
  };
}

export interface ImportResult {
  readonly nodesCreated: number;
  readonly peopleRegistered: number;
  readonly failures: readonly ImportProblem[];
}

/**
 * Applies a plan without problems: the tree in one append, then the people, read again from the
 * source, a chunk at a time.
 */
export async function applyImport(
  plan: ImportPlan,
  source: ImportSource,
  context: ImportContext,
  metadata: CommandMetadata,
  onProgress: (done: number, total: number) => void = () => undefined,
): Promise<ImportResult> {
  if (plan.problems.length > 0) throw new Error('an import with problems is not applied');
  const steps = byPlatform('import');
  if (plan.orgCommands.length > 0) {
    await context.commands.execute(new ExecuteOrgNodeBatch(plan.orgCommands, metadata, steps));
  }
  const failures: ImportProblem[] = [];
  let read = 0;
  let done = 0;
  let registered = 0;
  // Many at a time, so that their appends share the store's commits. 2,000 (commits of 4,000 claims,
  // then 2,000 registrations) rather than 500 took the district's commits from 4.1–4.8 s to 2.7–3.1 s:
  // each commit rewrites the index pages its random stream names and event ids land on.
  for await (const window of windowsOf(source.rows('PERSON'), 2000)) {
    read += window.length;
    const lines: number[] = [];
    const registrations: Array<{ data: PersonRequestData<'RegisterPerson'>; effectiveAt: string | undefined }> = [];
    for (const row of window) {
      if (plan.recordedLines.has(row.line)) continue;
      try {
        const { request, effectiveAt } = registrationOf(row, context.today);
        registrations.push({ data: request, effectiveAt });
        lines.push(row.line);
      } catch (error) {
        // The file read differently the second time: that row is not written.
        failures.push({ sheet: '人员', line: row.line, reason: reasonOf(error) });
      }
    }
    if (registrations.length === 0) continue;
    const results = await context.commands.execute(new RegisterNewPeople(registrations, metadata, steps));
    results.forEach((result, n) => {
      // Someone registered the same person or value between planning and applying.
      if ('refused' in result) failures.push({ sheet: '人员', line: lines[n], reason: reasonOf(result.refused) });
      else registered++;
    });
    done += registrations.length;
    onProgress(done, plan.peopleToRegister);
  }
  // Rows the plan read and this pass did not are said, never passed over in silence.
  if (read < plan.rows.person) {
    const reason = `导入文件再次读取时少了 ${plan.rows.person - read} 行人员，这些行未写入，请重新导入`;
    failures.push({ sheet: '人员', line: 0, reason });
  }
  return { nodesCreated: plan.orgCommands.length, peopleRegistered: registered, failures };
}

/** The answer of an import: its plan, and what applying it did (null when it was not applied). */
export interface ImportAnswer {
  readonly plan: ImportPlan;
  readonly result: ImportResult | null;
}

/**
 * ImportDirectory: a system admin's act (bulk changes to the whole tree). Planned whole first; a
 * plan with problems, or a dry run, writes nothing; otherwise each row becomes an ordinary command.
 */
export class ImportDirectory extends BusCommand<ImportAnswer> {
  constructor(
    /** Read only once the principal is authorized (an upload is not parsed for someone who may not import). */
    readonly source: ImportSource,
    readonly principal: Principal,
    readonly options: {
      readonly dryRun?: boolean;
      readonly sourceRef: string;
      readonly onPlanned?: (plan: ImportPlan) => void;
      readonly onProgress?: (done: number, total: number) => void;
    },
  ) {
    super();
  }
}

export class ImportDirectoryHandler implements BusCommandHandler<ImportDirectory> {
  constructor(
    private readonly context: Omit<ImportContext, 'today' | 'actor'>,
    private readonly access: AccessControl,
    private readonly clock: Clock,
  ) {}

  async execute({ source, principal, options }: ImportDirectory): Promise<ImportAnswer> {
    this.access.authorize(principal, AccessControl.systemAdmin('批量导入组织和人员'));
    const actor = AccessControl.actorOf(principal);
    const context: ImportContext = { ...this.context, today: this.clock.now().toISOString().slice(0, 10), actor };
    const plan = await planImport(source, context);
    options.onPlanned?.(plan);
    if (plan.problems.length > 0 || options.dryRun) return { plan, result: null };
    const metadata = { actor, jurisdiction: context.jurisdiction, sourceRef: options.sourceRef, reason: '批量导入' };
    return { plan, result: await applyImport(plan, source, context, metadata, options.onProgress) };
  }
}
