import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ConcurrencyConflictError, type CommandMetadata } from '../../application/commands/decider-command-runner';
import { OrgTreeService } from '../../application/org-tree/org-tree.service';
import { RestructuringService } from '../../application/org-tree/restructuring.service';
import { AccessControl } from '../../application/access/access-control';
import { CommandHttp, type HttpRequestLike, type HttpResponseLike, withRevision } from './command-http';
import {
  CreateOrgNodeDto,
  DissolveOrgNodeDto,
  MergeOrgNodesDto,
  MoveOrgNodeDto,
  RenameOrgNodeDto,
  ReorderOrgNodeDto,
  SetOrgNodeHiddenDto,
} from './dto/org-node.dto';
import { CommandHeaders } from './api-docs';
import { EffectiveDates } from './effective-dates';
import { IdPipe } from './id.pipe';

@ApiTags('org tree (组织架构)')
@Controller()
export class OrgNodesController {
  constructor(
    @Inject(OrgTreeService) private readonly tree: OrgTreeService,
    @Inject(RestructuringService) private readonly restructuring: RestructuringService,
    @Inject(CommandHttp) private readonly http: CommandHttp,
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(EffectiveDates) private readonly dates: EffectiveDates,
  ) {}

  @Get('org-tree')
  @ApiOperation({
    summary: 'The jurisdiction’s tree as in effect on a date (default today), with the recorded revision as ETag',
  })
  @ApiQuery({ name: 'effectiveOn', required: false, description: 'YYYY-MM-DD' })
  async getTree(
    @Query('effectiveOn') effectiveOn: string | undefined,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    const { state, revision } = await this.tree.loadEffectiveOn(
      this.dates.effectiveOn(effectiveOn),
      this.dates.timeZone,
    );
    return withRevision(res, revision, { rootId: state.rootId, nodes: [...state.nodes.values()] });
  }

  @Post('org-nodes')
  @CommandHeaders()
  @ApiOperation({ summary: 'CreateOrgNode' })
  create(
    @Body() body: CreateOrgNodeDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.handle(
      req,
      res,
      body,
      async () =>
        body.parentId
          ? this.access.orgStructure(
              '新建组织节点',
              [],
              [await this.access.childPosition(body.parentId, body.orgNodeId)],
            )
          : AccessControl.systemAdmin('新建根节点'),
      (m) =>
        this.tree.execute(
          {
            type: 'CreateOrgNode',
            data: {
              orgNodeId: body.orgNodeId,
              name: body.name,
              shortName: body.shortName,
              kind: body.kind,
              parentId: body.parentId ?? null,
              externalCode: body.externalCode,
              order: body.order,
            },
          },
          m,
        ),
    );
  }

  @Post('org-nodes/:id/rename')
  @CommandHeaders()
  @ApiOperation({ summary: 'RenameOrgNode (003:11(1))' })
  rename(
    @Param('id', new IdPipe()) id: string,
    @Body() body: RenameOrgNodeDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.handle(
      req,
      res,
      body,
      () => this.access.orgStructure('修改节点名称', [id]),
      (m) =>
        this.tree.execute(
          { type: 'RenameOrgNode', data: { orgNodeId: id, name: body.name, shortName: body.shortName } },
          m,
        ),
    );
  }

  @Post('org-nodes/:id/reorder')
  @CommandHeaders()
  @ApiOperation({ summary: 'ReorderOrgNode (000:7)' })
  reorder(
    @Param('id', new IdPipe()) id: string,
    @Body() body: ReorderOrgNodeDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.handle(
      req,
      res,
      body,
      () => this.access.orgStructure('调整节点排序', [id]),
      (m) => this.tree.execute({ type: 'ReorderOrgNode', data: { orgNodeId: id, order: body.order } }, m),
    );
  }

  @Post('org-nodes/:id/move')
  @CommandHeaders()
  @ApiOperation({ summary: 'MoveOrgNode' })
  move(
    @Param('id', new IdPipe()) id: string,
    @Body() body: MoveOrgNodeDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.handle(
      req,
      res,
      body,
      async () =>
        this.access.orgStructure('移动组织节点', [id], [await this.access.childPosition(body.toParentId, id)]),
      (m) => this.tree.execute({ type: 'MoveOrgNode', data: { orgNodeId: id, toParentId: body.toParentId } }, m),
    );
  }

  @Post('org-nodes/:id/hidden')
  @CommandHeaders()
  @ApiOperation({ summary: 'SetOrgNodeHidden (001b:9)' })
  hide(
    @Param('id', new IdPipe()) id: string,
    @Body() body: SetOrgNodeHiddenDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.handle(
      req,
      res,
      body,
      () => this.access.orgStructure('设置节点隐藏', [id]),
      (m) =>
        this.tree.execute(
          { type: 'SetOrgNodeHidden', data: { orgNodeId: id, hidden: body.hidden, visibleTo: body.visibleTo } },
          m,
        ),
    );
  }

  @Post('org-nodes/merge')
  @CommandHeaders()
  @ApiOperation({ summary: 'MergeOrgNodes (003:11(3)): moves the people, then merges, as one correlation' })
  merge(
    @Body() body: MergeOrgNodesDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.handle(
      req,
      res,
      body,
      async () =>
        this.access.orgStructure(
          '合并组织节点',
          [...body.absorbedIds, ...(body.newSurvivor ? [] : [body.survivorId])],
          body.newSurvivor?.parentId
            ? [await this.access.childPosition(body.newSurvivor.parentId, body.survivorId)]
            : [],
        ),
      async (m) =>
        this.restructuring.merge(
          {
            mergeId: body.mergeId,
            absorbedIds: body.absorbedIds,
            survivorId: body.survivorId,
            newSurvivor: body.newSurvivor ?? null,
          },
          await this.checkedTree(m),
        ),
    );
  }

  @Post('org-nodes/:id/dissolve')
  @CommandHeaders()
  @ApiOperation({ summary: 'DissolveOrgNode (003:11(2)): re-homes children and people, then dissolves' })
  dissolve(
    @Param('id', new IdPipe()) id: string,
    @Body() body: DissolveOrgNodeDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.handle(
      req,
      res,
      body,
      () =>
        this.access.orgStructure('撤销组织节点', [
          id,
          ...(body.childrenTo ? [body.childrenTo] : []),
          ...(body.peopleTo ? [body.peopleTo] : []),
        ]),
      async (m) =>
        this.restructuring.abolish(
          {
            orgNodeId: id,
            childrenTo: body.childrenTo,
            peopleTo: body.peopleTo,
            departureReason: body.departureReason,
          },
          await this.checkedTree(m),
        ),
    );
  }

  /** A restructuring spans many streams: If-Match is checked against the tree once, up front. */
  private async checkedTree(metadata: CommandMetadata): Promise<CommandMetadata> {
    const { expectedRevision, ...rest } = metadata;
    if (expectedRevision !== undefined) {
      const { revision } = await this.tree.load();
      if (revision !== expectedRevision)
        throw new ConcurrencyConflictError(
          this.tree.streamId,
          1,
          String(expectedRevision),
          String(revision ?? 'no_stream'),
        );
    }
    return rest;
  }
}
