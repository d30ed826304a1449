import { Body, Controller, Get, HttpException, HttpStatus, Inject, Param, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ExecuteAccountCommand } from '../../application/account/account.commands';
import { GetAccount } from '../../application/account/account.queries';
import { QUERY_BUS, type QueryBus } from '../../application/queries/query-bus';
import { CommandHttp } from './command-http';
import { type HttpRequestLike, type HttpResponseLike, principalOf, withRevision } from './http-exchange';
import { CommandMetaDto } from './dto/command-meta.dto';
import { AdminScopeDto, ReadRoleDto, CloseAccountDto, FreezeAccountDto, OpenAccountDto } from './dto/account.dto';
import { CommandRoute } from './api-docs';
import { IdPipe } from './id.pipe';

@ApiTags('accounts (账号)')
@Controller('accounts')
export class AccountController {
  constructor(
    @Inject(QUERY_BUS) private readonly queries: QueryBus,
    @Inject(CommandHttp) private readonly http: CommandHttp,
  ) {}

  @Get(':id')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'An account as recorded (no secret is ever kept)' })
  async get(
    @Param('id', new IdPipe()) id: string,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    const { account, revision } = await this.queries.execute(new GetAccount(principalOf(req), id));
    if (!account)
      throw new HttpException({ code: 'ACCOUNT_NOT_FOUND', message: `账号 ${id} 不存在` }, HttpStatus.NOT_FOUND);
    return withRevision(res, revision, account);
  }

  @CommandRoute(
    undefined,
    'OpenAccount (001b:7): admin accounts by system admins; user accounts by the admins of the person’s unit; temporary accounts by the admins of the app’s unit',
  )
  open(@Body() body: OpenAccountDto, @Req() req: HttpRequestLike, @Res({ passthrough: true }) res: HttpResponseLike) {
    const { effectiveAt: _e, reason: _r, sourceRef: _s, ...request } = body;
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) => new ExecuteAccountCommand({ type: 'OpenAccount', data: request }, m, by),
    );
  }

  @CommandRoute(':id/activate', 'ActivateAccount (000:9)')
  activate(
    @Param('id', new IdPipe()) id: string,
    @Body() body: CommandMetaDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) => new ExecuteAccountCommand({ type: 'ActivateAccount', data: { accountId: id } }, m, by),
    );
  }

  @CommandRoute(':id/freeze', 'FreezeAccount (000:17)')
  freeze(
    @Param('id', new IdPipe()) id: string,
    @Body() body: FreezeAccountDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) =>
        new ExecuteAccountCommand({ type: 'FreezeAccount', data: { accountId: id, reason: body.freezeReason } }, m, by),
    );
  }

  @CommandRoute(':id/unfreeze', 'UnfreezeAccount')
  unfreeze(
    @Param('id', new IdPipe()) id: string,
    @Body() body: CommandMetaDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) => new ExecuteAccountCommand({ type: 'UnfreezeAccount', data: { accountId: id } }, m, by),
    );
  }

  @CommandRoute(':id/close', 'CloseAccount')
  close(
    @Param('id', new IdPipe()) id: string,
    @Body() body: CloseAccountDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) =>
        new ExecuteAccountCommand({ type: 'CloseAccount', data: { accountId: id, reason: body.closeReason } }, m, by),
    );
  }

  @CommandRoute(':id/admin-scopes', 'GrantAdminScope (000:6): system admins only')
  grant(
    @Param('id', new IdPipe()) id: string,
    @Body() body: AdminScopeDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) =>
        new ExecuteAccountCommand(
          { type: 'GrantAdminScope', data: { accountId: id, orgNodeId: body.orgNodeId } },
          m,
          by,
        ),
    );
  }

  @CommandRoute(':id/admin-scopes/:orgNodeId/revoke', 'RevokeAdminScope: system admins only')
  revoke(
    @Param('id', new IdPipe()) id: string,
    @Param('orgNodeId', new IdPipe('orgNodeId')) orgNodeId: string,
    @Body() body: CommandMetaDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) => new ExecuteAccountCommand({ type: 'RevokeAdminScope', data: { accountId: id, orgNodeId } }, m, by),
    );
  }

  @CommandRoute(
    ':id/read-roles',
    'GrantReadRole (000:6): an auditor or assessor role over a subtree or the jurisdiction; system admins only',
  )
  grantReadRole(
    @Param('id', new IdPipe()) id: string,
    @Body() body: ReadRoleDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    const data = { accountId: id, role: body.role, orgNodeId: body.orgNodeId ?? null };
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) => new ExecuteAccountCommand({ type: 'GrantReadRole', data }, m, by),
    );
  }

  @CommandRoute(':id/read-roles/revoke', 'RevokeReadRole: system admins only')
  revokeReadRole(
    @Param('id', new IdPipe()) id: string,
    @Body() body: ReadRoleDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    const data = { accountId: id, role: body.role, orgNodeId: body.orgNodeId ?? null };
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) => new ExecuteAccountCommand({ type: 'RevokeReadRole', data }, m, by),
    );
  }
}
