import { Body, Controller, Get, Inject, Param, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ExecuteContactRequestCommand,
  ExecuteTagCommand,
  SetDirectoryMatrix,
} from '../../application/directory/directory.commands';
import { GetDirectoryMatrix } from '../../application/directory/directory.queries';
import { QUERY_BUS, type QueryBus } from '../../application/queries/query-bus';
import type { Matrix } from '../../domain/directory-policy/directory-policy.decider';
import { CommandHttp } from './command-http';
import { type HttpRequestLike, type HttpResponseLike, principalOf } from './http-exchange';
import { CommandMetaDto } from './dto/command-meta.dto';
import {
  CreateTagDto,
  EditTagDto,
  RequestContactDto,
  SetDirectoryMatrixDto,
  SetTagSharedOrgsDto,
  TagMembersDto,
} from './dto/directory.dto';
import { CommandRoute } from './api-docs';
import { IdPipe } from './id.pipe';

@ApiTags('tags and directory (标签与通讯录)')
@Controller()
export class DirectoryController {
  constructor(
    @Inject(QUERY_BUS) private readonly queries: QueryBus,
    @Inject(CommandHttp) private readonly http: CommandHttp,
  ) {}

  @CommandRoute('tags', 'CreateTag (001b:11)')
  createTag(
    @Body() body: CreateTagDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) =>
        new ExecuteTagCommand(
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
          by,
        ),
    );
  }

  @CommandRoute('tags/:id/edit', 'EditTag')
  editTag(
    @Param('id', new IdPipe()) id: string,
    @Body() body: EditTagDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) =>
        new ExecuteTagCommand(
          { type: 'EditTag', data: { tagId: id, name: body.name, description: body.description } },
          m,
          by,
        ),
    );
  }

  @CommandRoute('tags/:id/delete', 'DeleteTag')
  deleteTag(
    @Param('id', new IdPipe()) id: string,
    @Body() body: CommandMetaDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) => new ExecuteTagCommand({ type: 'DeleteTag', data: { tagId: id } }, m, by),
    );
  }

  @CommandRoute('tags/:id/members/add', 'AddTagMembers')
  addMembers(
    @Param('id', new IdPipe()) id: string,
    @Body() body: TagMembersDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) =>
        new ExecuteTagCommand(
          { type: 'AddTagMembers', data: { tagId: id, personIds: body.personIds, orgNodeIds: body.orgNodeIds } },
          m,
          by,
        ),
    );
  }

  @CommandRoute('tags/:id/members/remove', 'RemoveTagMembers')
  removeMembers(
    @Param('id', new IdPipe()) id: string,
    @Body() body: TagMembersDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) =>
        new ExecuteTagCommand(
          { type: 'RemoveTagMembers', data: { tagId: id, personIds: body.personIds, orgNodeIds: body.orgNodeIds } },
          m,
          by,
        ),
    );
  }

  @CommandRoute('tags/:id/shared-orgs', 'SetTagSharedOrgs')
  shareTag(
    @Param('id', new IdPipe()) id: string,
    @Body() body: SetTagSharedOrgsDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) =>
        new ExecuteTagCommand({ type: 'SetTagSharedOrgs', data: { tagId: id, orgNodeIds: body.orgNodeIds } }, m, by),
    );
  }

  @Get('directory-policy/matrix')
  @ApiOperation({ summary: 'The 4×4 directory matrix (001b:10)' })
  getMatrix(@Req() req: HttpRequestLike) {
    return this.queries.execute(new GetDirectoryMatrix(principalOf(req)));
  }

  @CommandRoute('directory-policy/matrix', 'SetDirectoryMatrix (001b:10)')
  setMatrix(
    @Body() body: SetDirectoryMatrixDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) => new SetDirectoryMatrix({ matrix: body.matrix as unknown as Matrix }, m, by),
    );
  }

  @CommandRoute('contact-requests', 'RequestContact (SEARCH_ADD)')
  requestContact(
    @Body() body: RequestContactDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) =>
        new ExecuteContactRequestCommand(
          {
            type: 'RequestContact',
            data: { requestId: body.requestId, toPersonId: body.toPersonId, message: body.message },
          },
          m,
          by,
        ),
    );
  }

  @CommandRoute('contact-requests/:id/accept', 'AcceptContact')
  accept(
    @Param('id', new IdPipe()) id: string,
    @Body() body: CommandMetaDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) => new ExecuteContactRequestCommand({ type: 'AcceptContact', data: { requestId: id } }, m, by),
    );
  }

  @CommandRoute('contact-requests/:id/decline', 'DeclineContact')
  decline(
    @Param('id', new IdPipe()) id: string,
    @Body() body: CommandMetaDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) => new ExecuteContactRequestCommand({ type: 'DeclineContact', data: { requestId: id } }, m, by),
    );
  }
}
