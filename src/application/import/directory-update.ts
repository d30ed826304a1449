/**
 * Import as update (issue 23): a changed workbook compared with the tree and people as they stand,
 * and the differences proposed as one batch (DIRECTORY_UPDATE) to preview and apply, instead of
 * refusing the rows that differ:
 *   new nodes (parents first) → CreateOrgNode; renamed → RenameOrgNode; moved → MoveOrgNode;
 *   new people → RegisterPerson; changed profile → UpdatePersonProfile; another unit → TransferPerson;
 *   another title, level, role or order at the same unit → ChangePost;
 *   people of the workbook's nodes missing from it → RecordDeparture (reason OTHER).
 * Nodes missing from the workbook are listed, not dissolved: 撤销 disposes of its people first
 * and goes through the restructuring.
 */
import { type NewOrgNode, type OrgTreeState } from '../../domain/org-node/org-node.decider';
import type { PersonState, Profile } from '../../domain/person/person.decider';
import { type BatchPlan, PlanBatch, type SubmittedRow } from '../batch/batch.commands';
import { AccessControl } from '../access/access-control';
import { BusCommand, type BusCommandHandler, byPrincipal, type CommandBus } from '../commands/command-bus';
import type { CommandMetadata } from '../commands/decider-command-runner';
import type { OrgTree } from '../org-node/org-tree';
import type { Clock } from '../ports/clock.port';
import type { Principal } from '../../domain/access/access-policy';
import { RuleViolation } from '../../domain/shared/domain-error';
import { loadPerson } from '../person/person.load';
import type { EventStore } from '../ports/event-store.port';
import type { Position } from '../event-store/position';
import type { PersonRequestData } from '../person/person.commands';
import { type ImportProblem, type ImportSource, newOrgNodeOf, registrationOf, rowProblemOf } from './directory-import';

export type UpdateAction =
  | 'CREATE_NODE'
  | 'RENAME_NODE'
  | 'MOVE_NODE'
  | 'REGISTER_PERSON'
  | 'UPDATE_PROFILE'
  | 'TRANSFER'
  | 'CHANGE_POST'
  | 'DEPARTURE';

export interface DirectoryUpdate {
  readonly rows: SubmittedRow[];
  readonly problems: ImportProblem[];
  /** ACTIVE nodes under the workbook's nodes that it does not hold (not dissolved by an update). */
  readonly goneNodes: string[];
  readonly counts: Readonly<Record<UpdateAction, number>>;
}

const PROFILE_FIELDS: ReadonlyArray<keyof Profile> = [
  'name',
  'gender',
  'mobile',
  'officePhone',
  'employment',
  'rank',
  'politicalStatus',
  'leadershipDuties',
];

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export async function proposeDirectoryUpdate(
  source: ImportSource,
  tree: OrgTreeState,
  store: EventStore,
  today: string,
): Promise<DirectoryUpdate> {
  const rows: SubmittedRow[] = [];
  const problems: ImportProblem[] = [];
  const counts: Record<UpdateAction, number> = {
    CREATE_NODE: 0,
    RENAME_NODE: 0,
    MOVE_NODE: 0,
    REGISTER_PERSON: 0,
    UPDATE_PROFILE: 0,
    TRANSFER: 0,
    CHANGE_POST: 0,
    DEPARTURE: 0,
  };
  const propose = (action: UpdateAction, target: string, data: object, sheet: string, sheetLine: number | null) => {
    counts[action] += 1;
    rows.push({
      line: rows.length + 1,
      target,
      fields: { action, data: JSON.stringify(data), sheet, sheetLine: sheetLine === null ? '' : String(sheetLine) },
    });
  };

  // ---- nodes: new ones parents first, then renamed and moved ----
  const inFile = new Map<string, { node: NewOrgNode; line: number }>();
  for await (const row of source.rows('ORG')) {
    try {
      const node = newOrgNodeOf(row);
      if (inFile.has(node.orgNodeId))
        throw new Error(`节点编号 ${node.orgNodeId} 与第 ${inFile.get(node.orgNodeId)!.line} 行重复`);
      inFile.set(node.orgNodeId, { node, line: row.line });
    } catch (error) {
      problems.push({
        sheet: '组织',
        line: row.line,
        reason: error instanceof Error && !('code' in error) ? error.message : rowProblemOf(error),
      });
    }
  }
  const created = new Set<string>();
  const visit = (id: string, seen = new Set<string>()) => {
    const entry = inFile.get(id);
    if (!entry || tree.nodes.has(id) || created.has(id) || seen.has(id)) return;
    seen.add(id);
    if (entry.node.parentId) visit(entry.node.parentId, seen);
    created.add(id);
    propose('CREATE_NODE', id, entry.node, '组织', entry.line);
  };
  for (const id of inFile.keys()) visit(id);
  for (const { node, line } of inFile.values()) {
    const existing = tree.nodes.get(node.orgNodeId);
    if (!existing || existing.status !== 'ACTIVE') continue;
    if (existing.name !== node.name.trim() || (node.shortName !== null && existing.shortName !== node.shortName))
      propose(
        'RENAME_NODE',
        node.orgNodeId,
        { orgNodeId: node.orgNodeId, name: node.name, shortName: node.shortName },
        '组织',
        line,
      );
    if (existing.parentId !== node.parentId && node.parentId !== null)
      propose('MOVE_NODE', node.orgNodeId, { orgNodeId: node.orgNodeId, toParentId: node.parentId }, '组织', line);
  }
  const covered = new Set(inFile.keys());
  const goneNodes = [...tree.nodes.values()]
    .filter((n) => n.status === 'ACTIVE' && !covered.has(n.id) && n.parentId !== null && covered.has(n.parentId))
    .map((n) => n.id);

  // ---- people ----
  const seen = new Set<string>();
  const registered: Array<{ request: PersonRequestData<'RegisterPerson'>; line: number }> = [];
  for await (const row of source.rows('PERSON')) {
    try {
      const { request } = registrationOf(row, today);
      if (seen.has(request.personId)) throw new Error(`人员编号 ${request.personId} 重复`);
      seen.add(request.personId);
      registered.push({ request, line: row.line });
    } catch (error) {
      problems.push({
        sheet: '人员',
        line: row.line,
        reason: error instanceof Error && !('code' in error) ? error.message : rowProblemOf(error),
      });
    }
  }
  for (const { request, line } of registered) {
    const { state } = await loadPerson(store, request.personId);
    if (state.status === 'NONE') {
      propose('REGISTER_PERSON', request.personId, request, '人员', line);
      continue;
    }
    if (state.status !== 'ACTIVE') continue;
    const changes: Partial<Record<keyof Profile, unknown>> = {};
    for (const field of PROFILE_FIELDS)
      if (!same(state[field], (request as unknown as Profile)[field]))
        changes[field] = (request as unknown as Profile)[field];
    if (Object.keys(changes).length > 0)
      propose('UPDATE_PROFILE', request.personId, { personId: request.personId, changes }, '人员', line);
    const primary = state.posts.find((p) => p.kind === 'PRIMARY');
    const wanted = request.primaryPost;
    if (primary?.orgNodeId !== wanted.orgNodeId)
      propose('TRANSFER', request.personId, { personId: request.personId, to: wanted }, '人员', line);
    else if (
      !same(primary.title, wanted.title) ||
      !same(primary.postLevel, wanted.postLevel) ||
      !same(primary.role, wanted.role) ||
      (wanted.order !== undefined && primary.order !== wanted.order)
    )
      propose(
        'CHANGE_POST',
        request.personId,
        {
          personId: request.personId,
          orgNodeId: wanted.orgNodeId,
          title: wanted.title,
          postLevel: wanted.postLevel,
          role: wanted.role,
          ...(wanted.order !== undefined ? { order: wanted.order } : {}),
        },
        '人员',
        line,
      );
  }
  // People posted at the workbook's nodes whom it no longer lists: they have left.
  for (const personId of await peopleAt(store, covered)) {
    if (seen.has(personId)) continue;
    propose('DEPARTURE', personId, { personId, reason: 'OTHER' }, '人员', null);
  }
  return { rows, problems, goneNodes, counts };
}

/** The ACTIVE people whose primary post is at one of `nodes`, every person stream of the store read. */
async function peopleAt(store: EventStore, nodes: ReadonlySet<string>): Promise<string[]> {
  const ids = new Set<string>();
  for (let from: Position | 'start' = 'start'; ;) {
    const page = await store.readAll({ from, maxCount: 4096, filter: { streamPrefixes: ['Person-'] } });
    if (page.length === 0) break;
    for (const event of page) ids.add(event.streamId.slice('Person-'.length));
    from = page[page.length - 1].position;
  }
  const found: string[] = [];
  for (const personId of ids) {
    const state: PersonState = (await loadPerson(store, personId)).state;
    if (state.status !== 'ACTIVE') continue;
    const primary = state.posts.find((p) => p.kind === 'PRIMARY');
    if (primary && nodes.has(primary.orgNodeId)) found.push(personId);
  }
  return found;
}

/** A re-imported workbook's differences, previewed (dryRun) or planned as one batch. */
export class UpdateDirectory extends BusCommand<{
  readonly plan: BatchPlan;
  readonly counts: DirectoryUpdate['counts'];
  readonly goneNodes: string[];
}> {
  constructor(
    readonly source: ImportSource,
    readonly batchId: string,
    readonly dryRun: boolean,
    readonly metadata: CommandMetadata,
    readonly principal: Principal,
  ) {
    super();
  }
}

export class DirectoryUpdateProblems extends RuleViolation {
  constructor(problems: readonly ImportProblem[]) {
    super('IMPORT_INVALID', 'unprocessable', `导入文件有 ${problems.length} 处错误，未写入任何数据`, { problems });
  }
}

export class UpdateDirectoryHandler implements BusCommandHandler<UpdateDirectory> {
  constructor(
    private readonly tree: OrgTree,
    private readonly store: EventStore,
    private readonly commands: CommandBus,
    private readonly access: AccessControl,
    private readonly clock: Clock,
  ) {}

  async execute({ source, batchId, dryRun, metadata, principal }: UpdateDirectory) {
    this.access.authorize(principal, AccessControl.systemAdmin('按导入文件更新组织和人员'));
    const { state } = await this.tree.load();
    const update = await proposeDirectoryUpdate(source, state, this.store, this.clock.now().toISOString().slice(0, 10));
    if (update.problems.length > 0) throw new DirectoryUpdateProblems(update.problems);
    if (update.rows.length === 0)
      throw new RuleViolation('IMPORT_NO_CHANGES', 'unprocessable', '导入文件与现有组织和人员一致，没有需要更新的内容');
    const plan = await this.commands.execute(
      new PlanBatch(batchId, 'DIRECTORY_UPDATE', update.rows, dryRun, metadata, byPrincipal(principal)),
    );
    return { plan, counts: update.counts, goneNodes: update.goneNodes };
  }
}
