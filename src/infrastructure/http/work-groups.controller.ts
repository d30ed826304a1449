import { Body, Controller, Get, HttpException, HttpStatus, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccessControl } from '../../application/access/access-control';
import { WorkGroupService } from '../../application/work-group/work-group.service';
import type { Permission } from '../../domain/access/access-policy';
import { CommandHttp, type HttpRequestLike, type HttpResponseLike, withRevision } from './command-http';
import { CommandMetaDto } from './dto/command-meta.dto';
import {
  CreateWorkGroupDto,
  GroupMembersDto,
  GroupPersonDto,
  RemoveGroupMembersDto,
} from './dto/account-group-app.dto';
import { CommandHeaders } from './api-docs';
import { IdPipe } from './id.pipe';

@ApiTags('work groups (工作群)')
@Controller('work-groups')
export class WorkGroupsController {
  constructor(
    @Inject(WorkGroupService) private readonly groups: WorkGroupService,
    @Inject(CommandHttp) private readonly http: CommandHttp,
    @Inject(AccessControl) private readonly access: AccessControl,
  ) {}

  @Get(':id')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'A work group as recorded' })
  async get(@Param('id', new IdPipe()) id: string, @Res({ passthrough: true }) res: HttpResponseLike) {
    const { state, revision } = await this.groups.load(id);
    if (state.status === 'NONE')
      throw new HttpException({ code: 'WORK_GROUP_NOT_FOUND', message: `工作群 ${id} 不存在` }, HttpStatus.NOT_FOUND);
    const { activity: _activity, ...group } = state;
    return withRevision(res, revision, group);
  }

  @Post()
  @CommandHeaders()
  @ApiOperation({ summary: 'CreateWorkGroup (000:11): by the unit’s admins, or by a person for a group they will own' })
  create(
    @Body() body: CreateWorkGroupDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    const { effectiveAt: _e, reason: _r, sourceRef: _s, ...request } = body;
    const permission = async () =>
      AccessControl.anyOf(await this.access.unit('建立工作群', [body.owningOrgNodeId]), {
        kind: 'SELF',
        action: '建立自己为群主的工作群',
        personId: body.ownerId,
      });
    return this.http.handle(req, res, body, permission, (m) => this.groups.create(request, m));
  }

  @Post(':id/members/add')
  @CommandHeaders()
  @ApiOperation({ summary: 'AddGroupMembers (000:11): ACTIVE persons only' })
  add(
    @Param('id', new IdPipe()) id: string,
    @Body() body: GroupMembersDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.handle(
      req,
      res,
      body,
      () => this.permission(id, '添加群成员', false),
      (m) => this.groups.addMembers({ groupId: id, personIds: body.personIds }, m),
    );
  }

  @Post(':id/members/remove')
  @CommandHeaders()
  @ApiOperation({ summary: 'RemoveGroupMembers: never the owner; at least one admin stays' })
  remove(
    @Param('id', new IdPipe()) id: string,
    @Body() body: RemoveGroupMembersDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.handle(
      req,
      res,
      body,
      () => this.permission(id, '移出群成员', false),
      (m) =>
        this.groups.execute(
          { type: 'RemoveGroupMembers', data: { groupId: id, personIds: body.personIds, reason: body.removalReason } },
          m,
        ),
    );
  }

  @Post(':id/admins')
  @CommandHeaders()
  @ApiOperation({ summary: 'AssignGroupAdmin' })
  assignAdmin(
    @Param('id', new IdPipe()) id: string,
    @Body() body: GroupPersonDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.handle(
      req,
      res,
      body,
      () => this.permission(id, '设置群管理员', false),
      (m) => this.groups.assignAdmin({ groupId: id, personId: body.personId }, m),
    );
  }

  @Post(':id/admins/:personId/revoke')
  @CommandHeaders()
  @ApiOperation({ summary: 'RevokeGroupAdmin: the last admin stays (000:11)' })
  revokeAdmin(
    @Param('id', new IdPipe()) id: string,
    @Param('personId', new IdPipe('personId')) personId: string,
    @Body() body: CommandMetaDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.handle(
      req,
      res,
      body,
      () => this.permission(id, '取消群管理员', false),
      (m) => this.groups.execute({ type: 'RevokeGroupAdmin', data: { groupId: id, personId } }, m),
    );
  }

  @Post(':id/owner')
  @CommandHeaders()
  @ApiOperation({ summary: 'TransferGroupOwnership: by the owner or the unit’s admins' })
  transfer(
    @Param('id', new IdPipe()) id: string,
    @Body() body: GroupPersonDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.handle(
      req,
      res,
      body,
      () => this.permission(id, '转让群主', true),
      (m) => this.groups.transferOwnership({ groupId: id, personId: body.personId }, m),
    );
  }

  @Post(':id/dissolve')
  @CommandHeaders()
  @ApiOperation({ summary: 'DissolveWorkGroup (000:11): by the owner or the unit’s admins' })
  dissolve(
    @Param('id', new IdPipe()) id: string,
    @Body() body: CommandMetaDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.handle(
      req,
      res,
      body,
      () => this.permission(id, '解散工作群', true),
      (m) => this.groups.execute({ type: 'DissolveWorkGroup', data: { groupId: id } }, m),
    );
  }

  /** The admins of the group's unit, or the group's own owner (and admins, unless owner-only). */
  private async permission(groupId: string, action: string, ownerOnly: boolean): Promise<Permission> {
    const { state } = await this.groups.load(groupId);
    if (state.status === 'NONE') return this.access.unit(action, []);
    return AccessControl.anyOf(await this.access.unit(action, [state.owningOrgNodeId]), {
      kind: 'GROUP_ROLE',
      action,
      ownerId: state.ownerId,
      adminIds: state.admins,
      ownerOnly,
    });
  }
}
