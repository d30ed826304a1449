import { Body, Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ExecuteOrgNodeCommand, RestructureOrgTree } from '../../application/org-node/org-node.commands';
import { GetOrgTree } from '../../application/org-node/org-node.queries';
import { QUERY_BUS, type QueryBus } from '../../application/queries/query-bus';
import { CommandHttp } from './command-http';
import { type HttpRequestLike, type HttpResponseLike, principalOf, withRevision } from './http-exchange';
import {
  CreateOrgNodeDto,
  DissolveOrgNodeDto,
  MergeOrgNodesDto,
  MoveOrgNodeDto,
  RenameOrgNodeDto,
  ReorderOrgNodeDto,
  SetOrgNodeHiddenDto,
  UnitResponsibilityDto,
} from './dto/org-node.dto';
import { CommandRoute } from './api-docs';
import { EffectiveDates } from './effective-dates';
import { IdPipe } from './id.pipe';

@ApiTags('org tree (组织架构)')
@Controller()
export class OrgNodeController {
  constructor(
    @Inject(QUERY_BUS) private readonly queries: QueryBus,
    @Inject(CommandHttp) private readonly http: CommandHttp,
    @Inject(EffectiveDates) private readonly dates: EffectiveDates,
  ) {}

  @Get('org-tree')
  @ApiOperation({
    summary: 'The jurisdiction’s tree as in effect on a date (default today), with the recorded revision as ETag',
  })
  @ApiQuery({ name: 'effectiveOn', required: false, description: 'YYYY-MM-DD' })
  async getTree(
    @Query('effectiveOn') effectiveOn: string | undefined,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    const on = { date: this.dates.effectiveOn(effectiveOn), timeZone: this.dates.timeZone };
    const { revision, ...tree } = await this.queries.execute(new GetOrgTree(principalOf(req), on));
    return withRevision(res, revision, tree);
  }

  @CommandRoute('org-nodes', 'CreateOrgNode')
  create(
    @Body() body: CreateOrgNodeDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) =>
        new ExecuteOrgNodeCommand(
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
          by,
        ),
    );
  }

  @CommandRoute('org-nodes/:id/rename', 'RenameOrgNode (003:11(1))')
  rename(
    @Param('id', new IdPipe()) id: string,
    @Body() body: RenameOrgNodeDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) =>
        new ExecuteOrgNodeCommand(
          { type: 'RenameOrgNode', data: { orgNodeId: id, name: body.name, shortName: body.shortName } },
          m,
          by,
        ),
    );
  }

  @CommandRoute('org-nodes/:id/reorder', 'ReorderOrgNode (000:7)')
  reorder(
    @Param('id', new IdPipe()) id: string,
    @Body() body: ReorderOrgNodeDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) =>
        new ExecuteOrgNodeCommand({ type: 'ReorderOrgNode', data: { orgNodeId: id, order: body.order } }, m, by),
    );
  }

  @CommandRoute('org-nodes/:id/move', 'MoveOrgNode')
  move(
    @Param('id', new IdPipe()) id: string,
    @Body() body: MoveOrgNodeDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) =>
        new ExecuteOrgNodeCommand({ type: 'MoveOrgNode', data: { orgNodeId: id, toParentId: body.toParentId } }, m, by),
    );
  }

  @CommandRoute('org-nodes/:id/hidden', 'SetOrgNodeHidden (001b:9)')
  hide(
    @Param('id', new IdPipe()) id: string,
    @Body() body: SetOrgNodeHiddenDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) =>
        new ExecuteOrgNodeCommand(
          { type: 'SetOrgNodeHidden', data: { orgNodeId: id, hidden: body.hidden, visibleTo: body.visibleTo } },
          m,
          by,
        ),
    );
  }

  @CommandRoute('org-nodes/:id/responsibilities', 'AssignUnitResponsibility (000:6, 003:9, 003:13)')
  assignResponsibility(
    @Param('id', new IdPipe()) id: string,
    @Body() body: UnitResponsibilityDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.responsibility('AssignUnitResponsibility', id, body, req, res);
  }

  @CommandRoute('org-nodes/:id/responsibilities/release', 'ReleaseUnitResponsibility')
  releaseResponsibility(
    @Param('id', new IdPipe()) id: string,
    @Body() body: UnitResponsibilityDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.responsibility('ReleaseUnitResponsibility', id, body, req, res);
  }

  private responsibility(
    type: 'AssignUnitResponsibility' | 'ReleaseUnitResponsibility',
    orgNodeId: string,
    body: UnitResponsibilityDto,
    req: HttpRequestLike,
    res: HttpResponseLike,
  ) {
    const data = { orgNodeId, role: body.role, personId: body.personId };
    return this.http.dispatch(req, res, body, (m, by) => new ExecuteOrgNodeCommand({ type, data }, m, by));
  }

  @CommandRoute(
    'org-nodes/merge',
    'MergeOrgNodes (003:11(3)): decided whole (children, namesakes, people), recorded as one plan, then carried out',
  )
  merge(
    @Body() body: MergeOrgNodesDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) =>
        new RestructureOrgTree(
          {
            type: 'MergeOrgNodes',
            data: {
              mergeId: body.mergeId,
              absorbedIds: body.absorbedIds,
              survivorId: body.survivorId,
              newSurvivor: body.newSurvivor ?? null,
              namesakes: Object.fromEntries(
                (body.namesakes ?? []).map(({ orgNodeId, resolution, name }) => [
                  orgNodeId,
                  resolution === 'RENAME' ? { resolution, name: name ?? '' } : { resolution },
                ]),
              ),
            },
          },
          m,
          by,
        ),
    );
  }

  @CommandRoute(
    'org-nodes/:id/dissolve',
    'DissolveOrgNode (003:11(2)): children and people disposed of as the request says, decided whole, then carried out',
  )
  dissolve(
    @Param('id', new IdPipe()) id: string,
    @Body() body: DissolveOrgNodeDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) =>
        new RestructureOrgTree(
          {
            type: 'DissolveOrgNode',
            data: {
              operationId: body.operationId,
              orgNodeId: id,
              childrenTo: body.childrenTo,
              peopleTo: body.peopleTo,
              departureReason: body.departureReason,
            },
          },
          m,
          by,
        ),
    );
  }
}
