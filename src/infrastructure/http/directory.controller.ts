import { Body, Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { DirectoryService } from '../../application/directory/directory.service';
import type { Permission } from '../../domain/access/access-policy';
import type { Matrix } from '../../domain/directory-policy/directory-policy.decider';
import { AccessControl } from '../../application/access/access-control';
import { CommandHttp, type HttpRequestLike, type HttpResponseLike } from './command-http';
import { CommandMetaDto } from './dto/command-meta.dto';
import {
  CreateTagDto,
  EditTagDto,
  RequestContactDto,
  SetDirectoryMatrixDto,
  SetTagSharedOrgsDto,
  TagMembersDto,
} from './dto/tag-directory.dto';
import { CommandHeaders } from './api-docs';
import { IdPipe } from './id.pipe';

@ApiTags('tags and directory (标签与通讯录)')
@Controller()
export class DirectoryController {
  constructor(
    @Inject(DirectoryService) private readonly directory: DirectoryService,
    @Inject(CommandHttp) private readonly http: CommandHttp,
    @Inject(AccessControl) private readonly access: AccessControl,
  ) {}

  @Post('tags')
  @CommandHeaders()
  @ApiOperation({ summary: 'CreateTag (001b:11)' })
  createTag(
    @Body() body: CreateTagDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.handle(
      req,
      res,
      body,
      () => this.access.unit('新建标签', [body.ownerOrgNodeId]),
      (m) =>
        this.directory.tag(
          {
            type: 'CreateTag',
            data: {
              tagId: body.tagId,
              name: body.name,
              description: body.description,
              ownerOrgNodeId: body.ownerOrgNodeId,
            },
          },
          m,
        ),
    );
  }

  @Post('tags/:id/edit')
  @CommandHeaders()
  @ApiOperation({ summary: 'EditTag' })
  editTag(
    @Param('id', new IdPipe()) id: string,
    @Body() body: EditTagDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.handle(
      req,
      res,
      body,
      () => this.tagPermission('编辑标签', id),
      (m) =>
        this.directory.tag({ type: 'EditTag', data: { tagId: id, name: body.name, description: body.description } }, m),
    );
  }

  @Post('tags/:id/delete')
  @CommandHeaders()
  @ApiOperation({ summary: 'DeleteTag' })
  deleteTag(
    @Param('id', new IdPipe()) id: string,
    @Body() body: CommandMetaDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.handle(
      req,
      res,
      body,
      () => this.tagPermission('删除标签', id),
      (m) => this.directory.tag({ type: 'DeleteTag', data: { tagId: id } }, m),
    );
  }

  @Post('tags/:id/members/add')
  @CommandHeaders()
  @ApiOperation({ summary: 'AddTagMembers' })
  addMembers(
    @Param('id', new IdPipe()) id: string,
    @Body() body: TagMembersDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.handle(
      req,
      res,
      body,
      () => this.tagPermission('添加标签成员', id),
      (m) =>
        this.directory.tag(
          { type: 'AddTagMembers', data: { tagId: id, personIds: body.personIds, orgNodeIds: body.orgNodeIds } },
          m,
        ),
    );
  }

  @Post('tags/:id/members/remove')
  @CommandHeaders()
  @ApiOperation({ summary: 'RemoveTagMembers' })
  removeMembers(
    @Param('id', new IdPipe()) id: string,
    @Body() body: TagMembersDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.handle(
      req,
      res,
      body,
      () => this.tagPermission('移除标签成员', id),
      (m) =>
        this.directory.tag(
          { type: 'RemoveTagMembers', data: { tagId: id, personIds: body.personIds, orgNodeIds: body.orgNodeIds } },
          m,
        ),
    );
  }

  @Post('tags/:id/shared-orgs')
  @CommandHeaders()
  @ApiOperation({ summary: 'SetTagSharedOrgs' })
  shareTag(
    @Param('id', new IdPipe()) id: string,
    @Body() body: SetTagSharedOrgsDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.handle(
      req,
      res,
      body,
      () => this.tagPermission('设置标签共享单位', id),
      (m) => this.directory.tag({ type: 'SetTagSharedOrgs', data: { tagId: id, orgNodeIds: body.orgNodeIds } }, m),
    );
  }

  @Get('directory-policy/matrix')
  @ApiOperation({ summary: 'The 4×4 directory matrix (001b:10)' })
  getMatrix() {
    return this.directory.matrix();
  }

  @Post('directory-policy/matrix')
  @CommandHeaders()
  @ApiOperation({ summary: 'SetDirectoryMatrix (001b:10)' })
  setMatrix(
    @Body() body: SetDirectoryMatrixDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.handle(req, res, body, AccessControl.systemAdmin('设置通讯录可见规则'), (m) =>
      this.directory.setMatrix(body.matrix as unknown as Matrix, m),
    );
  }

  @Post('contact-requests')
  @CommandHeaders()
  @ApiOperation({ summary: 'RequestContact (SEARCH_ADD)' })
  requestContact(
    @Body() body: RequestContactDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.handle(
      req,
      res,
      body,
      {
        kind: 'SELF',
        action: '发起联系请求',
        personId: req.principal?.kind === 'ACCOUNT' ? req.principal.account.personId : null,
      },
      (m) =>
        this.directory.requestContact(
          { requestId: body.requestId, toPersonId: body.toPersonId, message: body.message },
          m,
        ),
    );
  }

  @Post('contact-requests/:id/accept')
  @CommandHeaders()
  @ApiOperation({ summary: 'AcceptContact' })
  accept(
    @Param('id', new IdPipe()) id: string,
    @Body() body: CommandMetaDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.handle(
      req,
      res,
      body,
      () => this.contactPermission('同意联系请求', id),
      (m) => this.directory.answerContact('AcceptContact', id, m),
    );
  }

  @Post('contact-requests/:id/decline')
  @CommandHeaders()
  @ApiOperation({ summary: 'DeclineContact' })
  decline(
    @Param('id', new IdPipe()) id: string,
    @Body() body: CommandMetaDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.handle(
      req,
      res,
      body,
      () => this.contactPermission('拒绝联系请求', id),
      (m) => this.directory.answerContact('DeclineContact', id, m),
    );
  }

  private async tagPermission(action: string, tagId: string): Promise<Permission> {
    const tag = await this.directory.loadTag(tagId);
    return this.access.unit(action, tag.status === 'NONE' ? [] : [tag.ownerOrgNodeId]);
  }

  private async contactPermission(action: string, requestId: string): Promise<Permission> {
    const request = await this.directory.loadContactRequest(requestId);
    return { kind: 'SELF', action, personId: request.status === 'NONE' ? null : request.toPersonId };
  }
}
