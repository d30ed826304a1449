/** The auditor's questions (system admins today): the audit trail's entries, and time travel. */
import { AccessControl } from '../../application/access/access-control';
import { type AsOf, asOfOf, AuditQueryError } from '../../application/audit/as-of';
import type { TimeTravel } from '../../application/audit/time-travel';
import type { ReadModels } from '../../application/projections/read-models';
import type { BusQueryHandler } from '../../application/queries/query-bus';
import type { Principal } from '../../domain/access/access-policy';
import { ReadModelQuery } from '../consistent-query';
import type { AuditEntryDoc } from './audit-trail.projection';
import type { AuditQueries, AuditSearch, TreeAndDirectory } from './audit-trail.queries';

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

export class SearchAuditTrailHandler implements BusQueryHandler<SearchAuditTrail> {
  constructor(
    private readonly audit: AuditQueries,
    private readonly models: ReadModels,
    private readonly access: AccessControl,
  ) {}

  async execute({ principal, query, consistentWith }: SearchAuditTrail) {
    this.access.authorize(principal, AccessControl.systemAdmin('查询审计记录'));
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
      recordedFrom: text.recordedFrom,
      recordedTo: text.recordedTo,
      effectiveFrom: text.effectiveFrom,
      effectiveTo: text.effectiveTo,
      limit: text.limit === undefined ? undefined : Number(text.limit) || undefined,
      after: text.after,
    };
    return { entries: await this.audit.search(search), format: format as AuditFormat };
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
    private readonly access: AccessControl,
  ) {}

  async execute({ principal, entityType, entityId, recordedAt, effectiveOn }: GetEntityAsOf) {
    this.access.authorize(principal, AccessControl.systemAdmin('查询历史状态'));
    const asOf = asOfOf(recordedAt, effectiveOn);
    return { entityType, entityId, asOf, state: await this.timeTravel.entityAsOf(entityType, entityId, asOf) };
  }
}

/** The whole org tree and directory as they stood (nothing hidden, ID numbers left out). */
export class GetSnapshotAsOf extends ReadModelQuery<{ asOf: AsOf } & TreeAndDirectory> {
  constructor(
    principal: Principal,
    readonly recordedAt: string | undefined,
    readonly effectiveOn: string | undefined,
  ) {
    super(principal);
  }
}

export class GetSnapshotAsOfHandler implements BusQueryHandler<GetSnapshotAsOf> {
  constructor(
    private readonly timeTravel: TimeTravel<TreeAndDirectory>,
    private readonly access: AccessControl,
  ) {}

  async execute({ principal, recordedAt, effectiveOn }: GetSnapshotAsOf) {
    this.access.authorize(principal, AccessControl.systemAdmin('查询历史通讯录'));
    const asOf = asOfOf(recordedAt, effectiveOn);
    return { asOf, ...(await this.timeTravel.snapshotAsOf(asOf)) };
  }
}
