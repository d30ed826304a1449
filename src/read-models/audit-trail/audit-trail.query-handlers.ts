/**
 * The auditor's questions: the audit trail's entries, and time travel. System admins and auditors
 * read them, a scoped auditor only what lay in their subtrees. ID numbers are masked for everyone;
 * a system admin who needs them in full asks explicitly, and that request is recorded first
 * (IdNumbersDisclosed on their account's stream, 000:15).
 */
import { AccessControl } from '../../application/access/access-control';
import { type AsOf, asOfOf, AuditQueryError } from '../../application/audit/as-of';
import type { TimeTravel } from '../../application/audit/time-travel';
import type { DisclosureRecord } from '../../application/ports/disclosure-record.port';
import type { ReadModels } from '../../application/projections/read-models';
import type { BusQueryHandler } from '../../application/queries/query-bus';
import { type Principal, withinScope } from '../../domain/access/access-policy';
import { mask } from '../../domain/person/identity';
import { ReadModelQuery } from '../consistent-query';
import type { JsonValue } from '../../application/event-store/json';
import type { AuditEntryDoc } from './audit-trail.projection';
import { type AuditQueries, type AuditSearch, PART_MAX_PERSONS, type TreeAndDirectory } from './audit-trail.queries';
import { isWithin, pathOf } from '../../domain/org-node/org-node.decider';

export const AUDIT_FORMATS = ['json', 'csv', 'xlsx'] as const;
export type AuditFormat = (typeof AUDIT_FORMATS)[number];

/** Entries by entity, actor, recorded or effective time range; the format is checked here, rendered by the route. */
export class SearchAuditTrail extends ReadModelQuery<{ entries: AuditEntryDoc[]; format: AuditFormat }> {
  constructor(
    principal: Principal,
    readonly query: Readonly<Record<string, unknown>>,
    consistentWith?: string,
  ) {
    super(principal, consistentWith);
  }
}

const ID_NUMBER = 'idNumber';
const masked = (value: JsonValue): JsonValue => (typeof value === 'string' ? mask(value) : value);

/** An entry with its ID-number changes masked. */
function withIdNumbersMasked(entry: AuditEntryDoc): AuditEntryDoc {
  if (!entry.changes.some((change) => change.field === ID_NUMBER)) return entry;
  const changes = entry.changes.map((c) =>
    c.field === ID_NUMBER ? { ...c, from: masked(c.from), to: masked(c.to) } : c,
  );
  return { ...entry, changes };
}

/** Whether the caller asks for full ID numbers (`revealIdNumbers=true`): a system admin's explicit request. */
function revealRequested(query: Readonly<Record<string, unknown>>): boolean {
  const value = query.revealIdNumbers;
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw new AuditQueryError('INVALID_AUDIT_QUERY', 'revealIdNumbers 应为 true 或 false');
}

export class SearchAuditTrailHandler implements BusQueryHandler<SearchAuditTrail> {
  constructor(
    private readonly audit: AuditQueries,
    private readonly models: ReadModels,
    private readonly access: AccessControl,
    private readonly disclosures: DisclosureRecord,
  ) {}

  async execute({ principal, query, consistentWith }: SearchAuditTrail) {
    const within = this.access.readScope(principal, 'AUDITOR', '查询审计记录');
    const reveal = revealRequested(query);
    if (reveal) this.access.authorize(principal, AccessControl.systemAdmin('查看完整身份证号'));
    await this.models.consistentWith(consistentWith);
    const format = query.format ?? 'json';
    if (!AUDIT_FORMATS.includes(format as AuditFormat))
      throw new AuditQueryError('INVALID_AUDIT_QUERY', 'format 应为 json、csv 或 xlsx');
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && typeof value !== 'string')
        throw new AuditQueryError('INVALID_AUDIT_QUERY', `参数 ${key} 只能出现一次`);
    }
    const text = query as Readonly<Record<string, string | undefined>>;
    const search: AuditSearch = {
      entityType: text.entityType,
      entityId: text.entityId,
      actorAccountId: text.actor,
      types: text.type?.split(',').filter((type) => type !== ''),
      correlationId: text.correlationId,
      eventId: text.eventId,
      recordedFrom: text.recordedFrom,
      recordedTo: text.recordedTo,
      effectiveFrom: text.effectiveFrom,
      effectiveTo: text.effectiveTo,
      limit: text.limit === undefined ? undefined : Number(text.limit) || undefined,
      after: text.after,
      within,
    };
    const entries = await this.audit.search(search);
    if (!reveal) return { entries: entries.map(withIdNumbersMasked), format: format as AuditFormat };
    const purpose = `审计记录导出（${format}，${entries.length} 条）`;
    await this.disclosures.idNumbersShown(principal, purpose, entries.length);
    return { entries, format: format as AuditFormat };
  }
}

/** An entity as it stood at a past recorded time or effective date. */
export class GetEntityAsOf extends ReadModelQuery<{
  entityType: string;
  entityId: string;
  asOf: AsOf;
  state: Record<string, unknown>;
}> {
  constructor(
    principal: Principal,
    readonly entityType: string,
    readonly entityId: string,
    readonly recordedAt: string | undefined,
    readonly effectiveOn: string | undefined,
  ) {
    super(principal);
  }
}

export class GetEntityAsOfHandler implements BusQueryHandler<GetEntityAsOf> {
  constructor(
    private readonly timeTravel: TimeTravel<TreeAndDirectory>,
    private readonly audit: AuditQueries,
    private readonly access: AccessControl,
  ) {}

  async execute({ principal, entityType, entityId, recordedAt, effectiveOn }: GetEntityAsOf) {
    const within = this.access.readScope(principal, 'AUDITOR', '查询历史状态');
    const asOf = asOfOf(recordedAt, effectiveOn);
    // A scoped auditor reads an entity that was recorded in their subtrees at some time; others do not exist for them.
    if (within !== null && (await this.audit.search({ entityType, entityId, within, limit: 1 })).length === 0)
      throw new AuditQueryError('ENTITY_NOT_FOUND', `${entityType} ${entityId} 不存在或不在查看范围内`);
    const state = await this.timeTravel.entityAsOf(entityType, entityId, asOf);
    if (typeof state[ID_NUMBER] === 'string') state[ID_NUMBER] = mask(state[ID_NUMBER]);
    return { entityType, entityId, asOf, state };
  }
}

/**
 * The org tree and directory as they stood (nothing hidden, ID numbers left out): the whole of it,
 * or the subtree under `root` (folded from the tree's stream and the streams of the people ever
 * placed in that subtree, not from the whole store).
 */
export class GetSnapshotAsOf extends ReadModelQuery<{ asOf: AsOf; root: string | null } & TreeAndDirectory> {
  constructor(
    principal: Principal,
    readonly recordedAt: string | undefined,
    readonly effectiveOn: string | undefined,
    readonly root?: string,
  ) {
    super(principal);
  }
}

export class GetSnapshotAsOfHandler implements BusQueryHandler<GetSnapshotAsOf> {
  constructor(
    private readonly timeTravel: TimeTravel<TreeAndDirectory>,
    private readonly audit: AuditQueries,
    private readonly access: AccessControl,
  ) {}

  async execute({ principal, recordedAt, effectiveOn, root }: GetSnapshotAsOf) {
    const within = this.access.readScope(principal, 'AUDITOR', '查询历史通讯录');
    const asOf = asOfOf(recordedAt, effectiveOn);
    if (root !== undefined) return { asOf, root, ...(await this.subtree(root, asOf, within)) };
    const { nodes, persons } = await this.timeTravel.snapshotAsOf(asOf);
    if (within === null) return { asOf, root: null, nodes, persons };
    // A scoped auditor's snapshot: the nodes of their subtrees as they stood, and the people posted in them.
    const inScope = nodes.filter((node) => withinScope(within, node.path.split('/').filter(Boolean)));
    const ids = new Set(inScope.map((node) => node.id));
    return {
      asOf,
      root: null,
      nodes: inScope,
      persons: persons.filter((p) => (p.postNodeIds as string[]).some((id) => ids.has(id))),
    };
  }

  private async subtree(root: string, asOf: AsOf, within: readonly string[] | null): Promise<TreeAndDirectory> {
    const tree = await this.timeTravel.treeAsOf(asOf);
    const missing = () => new AuditQueryError('ENTITY_NOT_FOUND', `组织节点 ${root} 在该时点不存在或不在查看范围内`);
    // A node outside a scoped auditor's subtrees does not exist for them, then as now.
    if (!tree.nodes.has(root) || (within !== null && !withinScope(within, pathOf(tree, root)))) throw missing();
    const nodeIds = [...tree.nodes.keys()].filter((id) => isWithin(tree, id, root));
    const personIds = await this.audit.personsPlacedIn(nodeIds);
    if (personIds === null)
      throw new AuditQueryError(
        'INVALID_AUDIT_QUERY',
        `组织节点 ${root} 下人员超过 ${PART_MAX_PERSONS.toLocaleString('en')} 人：请查询整体历史通讯录`,
      );
    const { nodes, persons } = await this.timeTravel.partAsOf({ nodeIds, personIds }, asOf);
    const ids = new Set(nodeIds);
    return {
      nodes: nodes.filter((node) => ids.has(node.id)),
      persons: persons.filter((p) => (p.postNodeIds as string[]).some((id) => ids.has(id))),
    };
  }
}
