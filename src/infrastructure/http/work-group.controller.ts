import { Body, Controller, Get, HttpException, HttpStatus, Inject, Param, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { QUERY_BUS, type QueryBus } from '../../application/queries/query-bus';
import { ExecuteWorkGroupCommand } from '../../application/work-group/work-group.commands';
import { GetWorkGroup } from '../../application/work-group/work-group.queries';
import { CommandHttp } from './command-http';
import { type HttpRequestLike, type HttpResponseLike, principalOf, withRevision } from './http-exchange';
import { CommandMetaDto } from './dto/command-meta.dto';
import { CreateWorkGroupDto, GroupMembersDto, GroupPersonDto, RemoveGroupMembersDto } from './dto/work-group.dto';
import { CommandRoute } from './api-docs';
import { IdPipe } from './id.pipe';

@ApiTags('work groups (工作群)')
@Controller('work-groups')
export class WorkGroupController {
  constructor(
    @Inject(QUERY_BUS) private readonly queries: QueryBus,
    @Inject(CommandHttp) private readonly http: CommandHttp,
  ) {}

  @Get(':id')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'A work group as recorded' })
  async get(
    @Param('id', new IdPipe()) id: string,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    const { group, revision } = await this.queries.execute(new GetWorkGroup(principalOf(req), id));
    if (!group)
      throw new HttpException({ code: 'WORK_GROUP_NOT_FOUND', message: `工作群 ${id} 不存在` }, HttpStatus.NOT_FOUND);
    return withRevision(res, revision, group);
  }

  @CommandRoute(undefined, 'CreateWorkGroup (000:11): by the unit’s admins, or by a person for a group they will own')
  create(
    @Body() body: CreateWorkGroupDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    const { effectiveAt: _e, reason: _r, sourceRef: _s, ...request } = body;
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) => new ExecuteWorkGroupCommand({ type: 'CreateWorkGroup', data: request }, m, by),
    );
  }

  @CommandRoute(':id/members/add', 'AddGroupMembers (000:11): ACTIVE persons only')
  add(
    @Param('id', new IdPipe()) id: string,
    @Body() body: GroupMembersDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) =>
        new ExecuteWorkGroupCommand(
          { type: 'AddGroupMembers', data: { groupId: id, personIds: body.personIds } },
          m,
          by,
        ),
    );
  }

  @CommandRoute(':id/members/remove', 'RemoveGroupMembers: never the owner; at least one admin stays')
  remove(
    @Param('id', new IdPipe()) id: string,
    @Body() body: RemoveGroupMembersDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) =>
        new ExecuteWorkGroupCommand(
          { type: 'RemoveGroupMembers', data: { groupId: id, personIds: body.personIds, reason: body.removalReason } },
          m,
          by,
        ),
    );
  }

  @CommandRoute(':id/admins', 'AssignGroupAdmin')
  assignAdmin(
    @Param('id', new IdPipe()) id: string,
    @Body() body: GroupPersonDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) =>
        new ExecuteWorkGroupCommand(
          { type: 'AssignGroupAdmin', data: { groupId: id, personId: body.personId } },
          m,
          by,
        ),
    );
  }

  @CommandRoute(':id/admins/:personId/revoke', 'RevokeGroupAdmin: the last admin stays (000:11)')
  revokeAdmin(
    @Param('id', new IdPipe()) id: string,
    @Param('personId', new IdPipe('personId')) personId: string,
    @Body() body: CommandMetaDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) => new ExecuteWorkGroupCommand({ type: 'RevokeGroupAdmin', data: { groupId: id, personId } }, m, by),
    );
  }

  @CommandRoute(':id/owner', 'TransferGroupOwnership: by the owner or the unit’s admins')
  transfer(
    @Param('id', new IdPipe()) id: string,
    @Body() body: GroupPersonDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) =>
        new ExecuteWorkGroupCommand(
          { type: 'TransferGroupOwnership', data: { groupId: id, personId: body.personId } },
          m,
          by,
        ),
    );
  }

  @CommandRoute(':id/dissolve', 'DissolveWorkGroup (000:11): by the owner or the unit’s admins')
  dissolve(
    @Param('id', new IdPipe()) id: string,
    @Body() body: CommandMetaDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) => new ExecuteWorkGroupCommand({ type: 'DissolveWorkGroup', data: { groupId: id } }, m, by),
    );
  }
}
