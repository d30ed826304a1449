/**
 * The lists' one query (issue 23): a page of a list, filtered and sorted on the server, after a
 * cursor, within what the reader administers. For administrators: a system admin lists the whole
 * jurisdiction, a tiered admin their subtrees (a node outside them does not exist for them, and
 * nor does anything under it); everyone else is refused.
 */
import type { Clock } from '../../application/ports/clock.port';
import type { Doc, Filter, FieldCondition } from '../../application/ports/read-store.port';
import type { ReadModels } from '../../application/projections/read-models';
import type { BusQueryHandler } from '../../application/queries/query-bus';
import { AccessDenied, type Principal } from '../../domain/access/access-policy';
import { ReadModelQuery } from '../consistent-query';
import { NODES, ORG_TREE, type OrgNodeDoc } from '../org-tree/org-tree.projection';
import { INVENTORY } from './inventory.projection';
import { type ListName, LISTS, type ListSpec } from './inventory.lists';

export const PAGE_DEFAULT = 50;
export const PAGE_MAX = 500;
/** Rows an export holds at most (a list larger than that is narrowed with filters first). */
export const EXPORT_MAX = 100_000;

export class InventoryQueryError extends Error {
  constructor(
    readonly code: 'INVALID_LIST_QUERY' | 'INVALID_CURSOR' | 'UNIT_NOT_FOUND' | 'EXPORT_TOO_LARGE',
    message: string,
  ) {
    super(message);
  }
}

export interface ListPage {
  readonly list: ListName;
  readonly items: Doc[];
  /** Pass as `cursor` for the next page; null on the last one. */
  readonly nextCursor: string | null;
}

export class ListInventory extends ReadModelQuery<ListPage> {
  constructor(
    principal: Principal,
    readonly list: ListName,
    readonly params: Readonly<Record<string, string | undefined>>,
    /** Every row (an export), not a page. */
    readonly all = false,
    consistentWith?: string,
  ) {
    super(principal, consistentWith);
  }
}

interface Cursor {
  readonly sort: string;
  readonly order: 1 | -1;
  readonly key: string;
}

const invalid = (message: string) => new InventoryQueryError('INVALID_LIST_QUERY', message);

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(text: string, sort: string, order: 1 | -1): string {
  try {
    const cursor = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Cursor;
    if (cursor.sort === sort && cursor.order === order && typeof cursor.key === 'string') return cursor.key;
  } catch {
    // answered below
  }
  throw new InventoryQueryError('INVALID_CURSOR', '翻页游标无效，或与当前的排序方式不符：请从第一页重新开始');
}

const CONTROL = new Set(['unitId', 'subtree', 'sort', 'order', 'cursor', 'limit']);
const INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;

function conditionOf(spec: ListSpec, name: string, value: string, now: Date): [string, FieldCondition] {
  const filter = spec.filters[name];
  if (!filter) throw invalid(`不支持的筛选条件 ${name}（可用：${Object.keys(spec.filters).join('、') || '无'}）`);
  switch (filter.kind) {
    case 'in': {
      const values = value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean);
      if (values.length === 0 || values.length > 100) throw invalid(`${name} 应为 1 至 100 个以逗号分隔的值`);
      return [filter.field, values.length === 1 ? values[0] : { $in: values }];
    }
    case 'flag':
      if (value !== 'true' && value !== 'false') throw invalid(`${name} 应为 true 或 false`);
      return [filter.field, value === 'true'];
    case 'before':
      if (!INSTANT.test(value) || Number.isNaN(Date.parse(value)))
        throw invalid(`${name} 应为日期或时刻，如 2025-06-30`);
      return [filter.field, { $lt: value.length === 10 ? value : new Date(value).toISOString() }];
    case 'olderThanDays': {
      const days = Number(value);
      if (!Number.isInteger(days) || days < 0 || days > 36_500) throw invalid(`${name} 应为天数（0–36500）`);
      return [filter.field, { $lt: new Date(now.getTime() - days * 86_400_000).toISOString() }];
    }
  }
}

/** The fields a list shows: the document without its folded state and its sort keys. */
function shown(doc: Doc): Doc {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(doc))
    if (key !== 'state' && !key.startsWith('s_') && !key.endsWith('Key')) out[key] = value;
  return out as Doc;
}

/** A subtree read from the unit index holds at most this share of the jurisdiction's nodes. */
const SMALL_SUBTREE_SHARE = 0.002;
/** How long the jurisdiction's node count is taken as it was (it changes by restructurings, slowly). */
const NODE_COUNT_KEPT_MS = 60_000;

export class ListInventoryHandler implements BusQueryHandler<ListInventory> {
  private nodeCount: { nodes: number; at: number } | null = null;

  constructor(
    private readonly models: ReadModels,
    private readonly clock: Clock,
  ) {}

  async execute({ principal, list, params, all, consistentWith }: ListInventory): Promise<ListPage> {
    const scope = administeredScope(principal);
    await this.models.consistentWith(consistentWith);
    const spec = LISTS[list];
    const filter: Record<string, FieldCondition> = {};
    // A range over a sortable field, asked without another sort: read in that field's order.
    let ranged: { sort: string; below: string; absentMatches: boolean } | null = null;
    for (const [name, value] of Object.entries(params)) {
      if (value === undefined || value === '' || CONTROL.has(name)) continue;
      const [field, condition] = conditionOf(spec, name, value, this.clock.now());
      const filterSpec = spec.filters[name];
      if (ranged === null && params.sort === undefined && 'sort' in filterSpec && filterSpec.sort) {
        ranged = {
          sort: filterSpec.sort,
          below: (condition as { $lt: string }).$lt,
          absentMatches: !!filterSpec.absentMatches,
        };
        continue;
      }
      filter[field] = condition;
    }
    const units = await this.units(scope, params.unitId, params.subtree === 'true');
    if (units !== null) filter[spec.unitField] = units.length === 1 ? units[0] : { $in: units };
    if (units !== null && units.length === 0) return { list, items: [], nextCursor: null };

    const sort = params.sort ?? ranged?.sort ?? spec.defaultSort;
    if (!(sort in spec.sortable))
      throw invalid(`不能按 ${sort} 排序（可按：${Object.keys(spec.sortable).join('、')}）`);
    if (params.order !== undefined && params.order !== 'asc' && params.order !== 'desc')
      throw invalid('order 应为 asc 或 desc');
    const order: 1 | -1 = params.order === 'desc' ? -1 : 1;
    const limit = all ? EXPORT_MAX + 1 : Number(params.limit ?? PAGE_DEFAULT);
    if (!all && (!Number.isInteger(limit) || limit < 1 || limit > PAGE_MAX))
      throw invalid(`limit 应为 1 至 ${PAGE_MAX}`);
    const key = `s_${sort}`;
    // Sort keys are the value then the id; an absent value's key starts with the separator, below any value.
    const range: { $gt?: string; $gte?: string; $lt?: string } = {};
    if (ranged) {
      range.$lt = ranged.below;
      if (!ranged.absentMatches) range.$gte = '0';
    }
    if (params.cursor) {
      const after = decodeCursor(params.cursor, sort, order);
      if (order === 1) range.$gt = after;
      else range.$lt = range.$lt === undefined || after < range.$lt ? after : range.$lt;
    }
    if (range.$gt !== undefined && range.$gte !== undefined) delete range.$gte;
    if (Object.keys(range).length > 0) filter[key] = range;
    const docs = await this.models.find(INVENTORY, spec.collection, filter as Filter, {
      sort: [[key, order]],
      limit: all ? limit : limit + 1,
      ...((await this.readByUnit(spec, units, filter)) ? { hint: [spec.unitField] } : {}),
    });
    if (all && docs.length > EXPORT_MAX)
      throw new InventoryQueryError('EXPORT_TOO_LARGE', `导出超过 ${EXPORT_MAX} 行，请先加筛选条件缩小范围`);
    const page = all ? docs : docs.slice(0, limit);
    const more = !all && docs.length > limit;
    const last = page.at(-1);
    return {
      list,
      items: page.map(shown),
      nextCursor: more && last ? encodeCursor({ sort, order, key: String(last[key]) }) : null,
    };
  }

  /**
   * Whether a page is read from the unit index (the scope's rows, then sorted) rather than in sort
   * order. The planner's statistics cannot tell a small subtree from a large one: in sort order a
   * filter matching most rows walks a whole province's entries to find a page of a small unit's
   * (province accounts by type, for a unit of 41 nodes among 68,472: ~63 ms p50). From the unit
   * index, it reads only that unit's rows. The cut: a subtree of at most 0.2 % of the nodes.
   */
  private async readByUnit(spec: ListSpec, units: readonly string[] | null, filter: Record<string, unknown>) {
    if (units === null || spec.multikey?.includes(spec.unitField)) return false;
    if (Object.keys(filter).length < 2) return false;
    const now = this.clock.now().getTime();
    if (this.nodeCount === null || now - this.nodeCount.at > NODE_COUNT_KEPT_MS)
      this.nodeCount = { nodes: await this.models.count(ORG_TREE, NODES), at: now };
    return units.length <= this.nodeCount.nodes * SMALL_SUBTREE_SHARE;
  }

  /** The units a page may show (null: any), narrowed to `unitId` (and its subtree) when asked. */
  private async units(scope: readonly string[] | null, unitId: string | undefined, subtree: boolean) {
    const roots = unitId === undefined ? scope : [unitId];
    if (roots === null) return null;
    const within = (node: OrgNodeDoc) => scope === null || scope.some((root) => node.path.includes(`/${root}/`));
    const ids = new Set<string>();
    for (const root of roots) {
      const node = (await this.models.get(ORG_TREE, NODES, root)) as OrgNodeDoc | null;
      if (!node || !within(node)) {
        if (unitId !== undefined)
          throw new InventoryQueryError('UNIT_NOT_FOUND', `组织节点 ${root} 不存在或不在您的管理范围内`);
        continue;
      }
      if (unitId !== undefined && !subtree) {
        ids.add(node.id);
        continue;
      }
      const below = (await this.models.find(ORG_TREE, NODES, { path: { $prefix: node.path } })) as OrgNodeDoc[];
      for (const doc of below) ids.add(doc.id);
    }
    return [...ids];
  }
}

/** The subtrees an administrator lists (null: the whole jurisdiction); others are refused. */
export function administeredScope(principal: Principal): readonly string[] | null {
  if (principal.kind === 'ACCOUNT' && principal.account.type === 'SYSTEM_ADMIN') return null;
  if (principal.kind === 'ACCOUNT' && principal.account.type === 'TIERED_ADMIN') return principal.account.adminScope;
  throw new AccessDenied('LIST_FOR_ADMINISTRATORS', '清单只向系统管理员和分级管理员提供', {}, true);
}
