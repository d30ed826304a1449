/**
 * The query API over the read models: org tree, directory as the viewer may see it, the
 * contact-visibility matrix, the audit trail (with CSV/XLSX export) and the read models' status.
 * A client that has just run a command may send its `position` as `X-Consistent-With` to read
 * its own write (the answer waits up to 5 s for the projections, then 503 READ_MODEL_BEHIND).
 */
import { Controller, Get, Headers, Inject, Param, Query, Req } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import ExcelJS from 'exceljs';
import { AccessControl } from '../../application/access/access-control';
import { EVENT_STORE, type EventStore } from '../../application/event-store/event-store.port';
import { verifyChain } from '../../application/integrity/hash-chain';
import { ProjectionEngine } from '../../application/projections/projection-engine';
import { ReadModels } from '../../application/projections/read-models';
import { AccessDenied, type Principal } from '../../domain/access/access-policy';
import {
  type AsOf,
  AuditQueries,
  AuditQueryError,
  type AuditSearch,
} from '../../read-models/audit-trail/audit-trail.queries';
import type { AuditEntryDoc } from '../../read-models/audit-trail/audit-trail.projection';
import { DirectoryQueries, DirectoryQueryError, type Viewer } from '../../read-models/directory/directory.queries';
import { type HttpRequestLike, principalOf } from './command-http';
import { CONSISTENT, fileResponse, toCsv } from './read-model-responses';
import { IdPipe } from './id.pipe';

const AUDIT_COLUMNS: ReadonlyArray<[header: string, value: (e: AuditEntryDoc) => unknown]> = [
  ['记录时间 recordedAt', (e) => e.recordedAt],
  ['生效时间 effectiveAt', (e) => e.effectiveAt],
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
  ['事件编号 eventId', (e) => e.eventId],
  ['位置 position', (e) => e.position],
  ['关联编号 correlationId', (e) => e.correlationId],
  ['起因 causationId', (e) => e.causationId],
];

@ApiTags('read models (查询：组织架构、通讯录、可见性、审计)')
@Controller()
export class ReadModelsController {
  constructor(
    @Inject(DirectoryQueries) private readonly directory: DirectoryQueries,
    @Inject(AuditQueries) private readonly audit: AuditQueries,
    @Inject(ReadModels) private readonly models: ReadModels,
    @Inject(ProjectionEngine) private readonly engine: ProjectionEngine,
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(EVENT_STORE) private readonly events: EventStore,
  ) {}

  /** Administrators see the whole tree; a user sees it as their own person (temporary accounts and services nothing). */
  private viewerOf(request: HttpRequestLike, asPerson?: string): Viewer {
    const principal: Principal = principalOf(request);
    if (
      principal.kind !== 'ACCOUNT' ||
      principal.account.type === 'TEMPORARY' ||
      (principal.account.personId === null && principal.account.type === 'USER')
    ) {
      throw new AccessDenied('TEMPORARY_ACCOUNT_LIMITED', '临时账号和接口凭证不能查询通讯录', {}, true);
    }
    const admin = principal.account.type === 'SYSTEM_ADMIN' || principal.account.type === 'TIERED_ADMIN';
    if (admin && asPerson !== 'true') return { kind: 'ADMINISTRATOR' };
    if (!principal.account.personId)
      throw new AccessDenied('NOT_PERMITTED', '该账号未关联人员，无法以人员身份查询通讯录', {}, false);
    return { kind: 'PERSON', personId: principal.account.personId };
  }

  private systemAdmin(request: HttpRequestLike, action: string): void {
    this.access.authorize(principalOf(request), AccessControl.systemAdmin(action));
  }

  @Get('org-tree/:id/subtree')
  @ApiOperation({
    summary: 'A node and its subtree: path, level, order, member counts; hidden nodes only for those allowed (001b:9)',
  })
  @ApiQuery({ name: 'depth', required: false })
  @ApiQuery({ name: 'asPerson', required: false, description: 'Administrators: "true" to see it as their own person' })
  @ApiHeader(CONSISTENT)
  async subtree(
    @Param('id', new IdPipe()) id: string,
    @Query('depth') depth: string | undefined,
    @Query('asPerson') asPerson: string | undefined,
    @Headers('x-consistent-with') position: string | undefined,
    @Req() req: HttpRequestLike,
  ) {
    const viewer = this.viewerOf(req, asPerson);
    await this.models.consistentWith(position);
    const levels = depth === undefined ? 64 : Number(depth);
    if (!Number.isInteger(levels) || levels < 0 || levels > 64)
      throw new DirectoryQueryError('INVALID_SEARCH', 'depth 应为 0–64 的整数');
    return { nodes: await this.directory.subtree(viewer, id, levels) };
  }

  @Get('org-tree/:id/path')
  @ApiOperation({ summary: 'The path from the root to a node (breadcrumbs)' })
  @ApiHeader(CONSISTENT)
  async path(
    @Param('id', new IdPipe()) id: string,
    @Headers('x-consistent-with') position: string | undefined,
    @Req() req: HttpRequestLike,
  ) {
    this.viewerOf(req);
    await this.models.consistentWith(position);
    return { path: await this.directory.path(id) };
  }

  @Get('org-tree/:id/members')
  @ApiOperation({ summary: 'The people of a node the viewer may see listed, with the fields they may see' })
  @ApiQuery({ name: 'asPerson', required: false })
  @ApiHeader(CONSISTENT)
  async members(
    @Param('id', new IdPipe()) id: string,
    @Query('asPerson') asPerson: string | undefined,
    @Headers('x-consistent-with') position: string | undefined,
    @Req() req: HttpRequestLike,
  ) {
    const viewer = this.viewerOf(req, asPerson);
    await this.models.consistentWith(position);
    return { persons: await this.directory.members(viewer, id) };
  }

  @Get('directory/search')
  @ApiOperation({
    summary: 'Search the directory by name (whole or part) or by the whole mobile number, as the viewer may (001b:10)',
  })
  @ApiQuery({ name: 'q', required: true })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'asPerson', required: false })
  @ApiHeader(CONSISTENT)
  async search(
    @Query('q') q: string,
    @Query('limit') limit: string | undefined,
    @Query('asPerson') asPerson: string | undefined,
    @Headers('x-consistent-with') position: string | undefined,
    @Req() req: HttpRequestLike,
  ) {
    const viewer = this.viewerOf(req, asPerson);
    await this.models.consistentWith(position);
    return {
      persons: await this.directory.search(
        viewer,
        typeof q === 'string' ? q : '',
        limit === undefined ? 50 : Number(limit) || 50,
      ),
    };
  }

  @Get('directory/visibility')
  @ApiOperation({
    summary: 'resolve(viewer, target): listed / searchable / addable / chattable and the rule that decided it',
  })
  @ApiQuery({ name: 'viewer', required: true })
  @ApiQuery({ name: 'target', required: true })
  @ApiHeader(CONSISTENT)
  async visibility(
    @Query('viewer', new IdPipe()) viewer: string,
    @Query('target', new IdPipe()) target: string,
    @Headers('x-consistent-with') position: string | undefined,
    @Req() req: HttpRequestLike,
  ) {
    // A person may ask about what they see; administrators about anyone.
    const principal = principalOf(req);
    this.access.authorize(
      principal,
      AccessControl.anyOf(AccessControl.systemAdmin('查询可见性'), {
        kind: 'SELF',
        action: '查询可见性',
        personId: viewer,
      }),
    );
    await this.models.consistentWith(position);
    return this.directory.resolve(viewer, target);
  }

  @Get('directory/matrix')
  @ApiOperation({
    summary: 'The 4×4 class matrix with the number of people each cell covers, for the jurisdiction or one unit',
  })
  @ApiQuery({ name: 'unitId', required: false })
  @ApiHeader(CONSISTENT)
  async matrix(
    @Query('unitId') unitId: string | undefined,
    @Headers('x-consistent-with') position: string | undefined,
    @Req() req: HttpRequestLike,
  ) {
    this.viewerOf(req);
    await this.models.consistentWith(position);
    return this.directory.matrixCoverage(unitId || undefined);
  }

  @Get('audit/entries')
  @ApiOperation({
    summary:
      'Audit trail: entries by entity, actor, recorded or effective time range; JSON, CSV or XLSX (system admins)',
  })
  @ApiQuery({ name: 'entityType', required: false })
  @ApiQuery({ name: 'entityId', required: false })
  @ApiQuery({ name: 'actor', required: false })
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
    this.systemAdmin(req, '查询审计记录');
    await this.models.consistentWith(position);
    const format = query.format ?? 'json';
    if (!['json', 'csv', 'xlsx'].includes(format))
      throw new AuditQueryError('INVALID_AUDIT_QUERY', 'format 应为 json、csv 或 xlsx');
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && typeof value !== 'string')
        throw new AuditQueryError('INVALID_AUDIT_QUERY', `参数 ${key} 只能出现一次`);
    }
    const search: AuditSearch = {
      entityType: query.entityType,
      entityId: query.entityId,
      actorAccountId: query.actor,
      recordedFrom: query.recordedFrom,
      recordedTo: query.recordedTo,
      effectiveFrom: query.effectiveFrom,
      effectiveTo: query.effectiveTo,
      limit: query.limit === undefined ? undefined : Number(query.limit) || undefined,
      after: query.after,
    };
    const entries = await this.audit.search(search);
    if (format === 'json') return { entries };
    const header = AUDIT_COLUMNS.map(([h]) => h);
    const rows = entries.map((e) => AUDIT_COLUMNS.map(([, value]) => value(e)));
    if (format === 'csv') {
      return fileResponse('csv', toCsv(header, rows), 'audit');
    }
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('审计记录');
    sheet.addRow(header);
    for (const row of rows)
      sheet.addRow(
        row.map((v) => (v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v))),
      );
    sheet.getRow(1).font = { bold: true };
    return fileResponse('xlsx', Buffer.from(await workbook.xlsx.writeBuffer()), 'audit');
  }

  @Get('audit/:entityType/:id/as-of')
  @ApiOperation({
    summary:
      'An entity as it stood at a past recorded time (recordedAt) or effective date (effectiveOn) (system admins)',
  })
  @ApiQuery({ name: 'recordedAt', required: false })
  @ApiQuery({ name: 'effectiveOn', required: false })
  async entityAsOf(
    @Param('entityType', new IdPipe()) entityType: string,
    @Param('id', new IdPipe()) id: string,
    @Query('recordedAt') recordedAt: string | undefined,
    @Query('effectiveOn') effectiveOn: string | undefined,
    @Req() req: HttpRequestLike,
  ) {
    this.systemAdmin(req, '查询历史状态');
    return {
      entityType,
      entityId: id,
      asOf: this.asOf(recordedAt, effectiveOn),
      state: await this.audit.entityAsOf(entityType, id, this.asOf(recordedAt, effectiveOn)),
    };
  }

  @Get('audit/snapshot')
  @ApiOperation({
    summary: 'The whole org tree and directory as they stood at a past recorded time or effective date (system admins)',
  })
  @ApiQuery({ name: 'recordedAt', required: false })
  @ApiQuery({ name: 'effectiveOn', required: false })
  async snapshot(
    @Query('recordedAt') recordedAt: string | undefined,
    @Query('effectiveOn') effectiveOn: string | undefined,
    @Req() req: HttpRequestLike,
  ) {
    this.systemAdmin(req, '查询历史通讯录');
    const asOf = this.asOf(recordedAt, effectiveOn);
    return { asOf, ...(await this.audit.treeAndDirectoryAsOf(asOf)) };
  }

  private asOf(recordedAt: string | undefined, effectiveOn: string | undefined): AsOf {
    if ((recordedAt === undefined) === (effectiveOn === undefined))
      throw new AuditQueryError('INVALID_AUDIT_QUERY', '须给出 recordedAt（记录时间）或 effectiveOn（生效日期）之一');
    return recordedAt !== undefined ? { recordedAt } : { effectiveOn: effectiveOn! };
  }

  @Get('integrity/verify')
  @ApiOperation({
    summary: 'Recompute the hash chain of every event; names the first event where it breaks (system admins)',
  })
  async verify(@Req() req: HttpRequestLike) {
    this.systemAdmin(req, '校验事件哈希链');
    return verifyChain(this.events);
  }

  @Get('read-models/status')
  @ApiOperation({
    summary: 'Each read model: version, generation, checkpoint, head, whether caught up, lag (system admins)',
  })
  async status(@Req() req: HttpRequestLike) {
    this.systemAdmin(req, '查看读模型状态');
    return { readModels: await this.engine.status() };
  }
}
