/** The audit trail (with CSV/XLSX export for working papers) and time travel, for auditors (system admins today). */
import { Controller, Get, Headers, Inject, Param, Query, Req } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { QUERY_BUS, type QueryBus } from '../../application/queries/query-bus';
import { localDateTime } from '../../application/calendar/working-days';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { AuditEntryDoc } from '../../read-models/audit-trail/audit-trail.projection';
import {
  GetEntityAsOf,
  GetSnapshotAsOf,
  SearchAuditTrail,
} from '../../read-models/audit-trail/audit-trail.query-handlers';
import { type HttpRequestLike, principalOf } from './http-exchange';
import { IdPipe } from './id.pipe';
import { CONSISTENT, fileResponse, toCsv, workbookOf } from './read-model-responses';

/** An instant as the jurisdiction reads it; a date stays a date. */
type Local = (instant: string) => string;

const AUDIT_COLUMNS: ReadonlyArray<[header: string, value: (e: AuditEntryDoc, local: Local) => unknown]> = [
  ['记录时间 recordedAt', (e, local) => local(e.recordedAt)],
  ['生效时间 effectiveAt', (e, local) => local(e.effectiveAt)],
  ['对象类型 entityType', (e) => e.entityType],
  ['对象 entityId', (e) => e.entityId],
  ['事件 type', (e) => e.type],
  [
    '变更 changes',
    (e) => e.changes.map((c) => `${c.field}: ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)}`).join('; '),
  ],
  ['操作账号 actorAccountId', (e) => e.actorAccountId],
  ['操作人员 actorPersonId', (e) => e.actorPersonId],
  ['角色 actorRole', (e) => e.actorRole],
  ['原因 reason', (e) => e.reason],
  ['依据文号 sourceRef', (e) => e.sourceRef],
  ['滞后工作日 lagWorkingDays', (e) => e.timeliness?.lagWorkingDays ?? ''],
  ['是否超期 late', (e) => (e.timeliness ? (e.timeliness.onTime ? '按时' : '超期') : '')],
  ['事件编号 eventId', (e) => e.eventId],
  ['位置 position', (e) => e.position],
  ['关联编号 correlationId', (e) => e.correlationId],
  ['起因 causationId', (e) => e.causationId],
];

@ApiTags('audit (审计回溯)')
@Controller('audit')
export class AuditController {
  constructor(
    @Inject(QUERY_BUS) private readonly queries: QueryBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('entries')
  @ApiOperation({
    summary:
      'Audit trail: entries by entity, actor, recorded or effective time range; JSON, CSV or XLSX (system admins)',
  })
  @ApiQuery({ name: 'entityType', required: false })
  @ApiQuery({ name: 'entityId', required: false })
  @ApiQuery({ name: 'actor', required: false })
  @ApiQuery({ name: 'type', required: false, description: 'Event types, comma-separated' })
  @ApiQuery({ name: 'correlationId', required: false, description: 'The entries of one operation' })
  @ApiQuery({ name: 'eventId', required: false, description: 'The entries of one event (e.g. a causation)' })
  @ApiQuery({ name: 'recordedFrom', required: false })
  @ApiQuery({ name: 'recordedTo', required: false })
  @ApiQuery({ name: 'effectiveFrom', required: false })
  @ApiQuery({ name: 'effectiveTo', required: false })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'after', required: false })
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'csv', 'xlsx'] })
  @ApiHeader(CONSISTENT)
  async entries(
    @Query() query: Record<string, string | undefined>,
    @Headers('x-consistent-with') position: string | undefined,
    @Req() req: HttpRequestLike,
  ) {
    const { entries, format } = await this.queries.execute(new SearchAuditTrail(principalOf(req), query, position));
    if (format === 'json') return { entries };
    const header = AUDIT_COLUMNS.map(([h]) => h);
    const local: Local = (instant) =>
      instant.length > 10 ? localDateTime(new Date(instant), this.config.timeZone) : instant;
    const rows = entries.map((e) => AUDIT_COLUMNS.map(([, value]) => value(e, local)));
    if (format === 'csv') return fileResponse('csv', toCsv(header, rows), 'audit');
    return fileResponse('xlsx', await workbookOf('审计记录', header, rows), 'audit');
  }

  @Get(':entityType/:id/as-of')
  @ApiOperation({
    summary:
      'An entity as it stood at a past recorded time (recordedAt) or effective date (effectiveOn) (system admins)',
  })
  @ApiQuery({ name: 'recordedAt', required: false })
  @ApiQuery({ name: 'effectiveOn', required: false })
  entityAsOf(
    @Param('entityType', new IdPipe()) entityType: string,
    @Param('id', new IdPipe()) id: string,
    @Query('recordedAt') recordedAt: string | undefined,
    @Query('effectiveOn') effectiveOn: string | undefined,
    @Req() req: HttpRequestLike,
  ) {
    return this.queries.execute(new GetEntityAsOf(principalOf(req), entityType, id, recordedAt, effectiveOn));
  }

  @Get('snapshot')
  @ApiOperation({
    summary: 'The whole org tree and directory as they stood at a past recorded time or effective date (system admins)',
  })
  @ApiQuery({ name: 'recordedAt', required: false })
  @ApiQuery({ name: 'effectiveOn', required: false })
  @ApiQuery({ name: 'root', required: false, description: 'Only the subtree under this node (and its people)' })
  snapshot(
    @Query('recordedAt') recordedAt: string | undefined,
    @Query('effectiveOn') effectiveOn: string | undefined,
    @Query('root') root: string | undefined,
    @Req() req: HttpRequestLike,
  ) {
    const subtree = root === undefined ? undefined : new IdPipe().transform(root);
    return this.queries.execute(new GetSnapshotAsOf(principalOf(req), recordedAt, effectiveOn, subtree));
  }
}
