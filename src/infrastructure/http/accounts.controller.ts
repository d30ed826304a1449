import { Body, Controller, Get, HttpException, HttpStatus, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccessControl } from '../../application/access/access-control';
import { AccountService } from '../../application/account/account.service';
import { AppRegistrationService } from '../../application/app-registration/app-registration.service';
import type { Permission } from '../../domain/access/access-policy';
import { CommandHttp, type HttpRequestLike, type HttpResponseLike, withRevision } from './command-http';
import { CommandMetaDto } from './dto/command-meta.dto';
import { AdminScopeDto, CloseAccountDto, FreezeAccountDto, OpenAccountDto } from './dto/account-group-app.dto';
import { CommandHeaders } from './api-docs';
import { IdPipe } from './id.pipe';

@ApiTags('accounts (账号)')
@Controller('accounts')
export class AccountsController {
  constructor(
    @Inject(AccountService) private readonly accounts: AccountService,
    @Inject(AppRegistrationService) private readonly apps: AppRegistrationService,
    @Inject(CommandHttp) private readonly http: CommandHttp,
    @Inject(AccessControl) private readonly access: AccessControl,
  ) {}

  @Get(':id')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'An account as recorded (no secret is ever kept)' })
  async get(@Param('id', new IdPipe()) id: string, @Res({ passthrough: true }) res: HttpResponseLike) {
    const { state, revision } = await this.accounts.load(id);
    if (state.status === 'NONE')
      throw new HttpException({ code: 'ACCOUNT_NOT_FOUND', message: `账号 ${id} 不存在` }, HttpStatus.NOT_FOUND);
    const { signIns, ...account } = state;
    return withRevision(res, revision, { ...account, lastSignInAt: signIns.latestAt });
  }

  @Post()
  @CommandHeaders()
  @ApiOperation({
    summary:
      'OpenAccount (001b:7): admin accounts by system admins; user accounts by the admins of the person’s unit; temporary accounts by the admins of the app’s unit',
  })
  open(@Body() body: OpenAccountDto, @Req() req: HttpRequestLike, @Res({ passthrough: true }) res: HttpResponseLike) {
    const { effectiveAt: _e, reason: _r, sourceRef: _s, ...request } = body;
    return this.http.handle(
      req,
      res,
      body,
      () => this.openPermission(body),
      (m) => this.accounts.open(request, m),
    );
  }

  @Post(':id/activate')
  @CommandHeaders()
  @ApiOperation({ summary: 'ActivateAccount (000:9)' })
  activate(
    @Param('id', new IdPipe()) id: string,
    @Body() body: CommandMetaDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.handle(
      req,
      res,
      body,
      () => this.access.account('激活账号', id),
      (m) => this.accounts.execute({ type: 'ActivateAccount', data: { accountId: id } }, m),
    );
  }

  @Post(':id/freeze')
  @CommandHeaders()
  @ApiOperation({ summary: 'FreezeAccount (000:17)' })
  freeze(
    @Param('id', new IdPipe()) id: string,
    @Body() body: FreezeAccountDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.handle(
      req,
      res,
      body,
      () => this.access.account('冻结账号', id),
      (m) => this.accounts.execute({ type: 'FreezeAccount', data: { accountId: id, reason: body.freezeReason } }, m),
    );
  }

  @Post(':id/unfreeze')
  @CommandHeaders()
  @ApiOperation({ summary: 'UnfreezeAccount' })
  unfreeze(
    @Param('id', new IdPipe()) id: string,
    @Body() body: CommandMetaDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.handle(
      req,
      res,
      body,
      () => this.access.account('解冻账号', id),
      (m) => this.accounts.execute({ type: 'UnfreezeAccount', data: { accountId: id } }, m),
    );
  }

  @Post(':id/close')
  @CommandHeaders()
  @ApiOperation({ summary: 'CloseAccount' })
  close(
    @Param('id', new IdPipe()) id: string,
    @Body() body: CloseAccountDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.handle(
      req,
      res,
      body,
      () => this.access.account('注销账号', id),
      (m) => this.accounts.close({ accountId: id, reason: body.closeReason }, m),
    );
  }

  @Post(':id/admin-scopes')
  @CommandHeaders()
  @ApiOperation({ summary: 'GrantAdminScope (000:6): system admins only' })
  grant(
    @Param('id', new IdPipe()) id: string,
    @Body() body: AdminScopeDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.handle(req, res, body, AccessControl.systemAdmin('授予管理范围'), (m) =>
      this.accounts.grantAdminScope({ accountId: id, orgNodeId: body.orgNodeId }, m),
    );
  }

  @Post(':id/admin-scopes/:orgNodeId/revoke')
  @CommandHeaders()
  @ApiOperation({ summary: 'RevokeAdminScope: system admins only' })
  revoke(
    @Param('id', new IdPipe()) id: string,
    @Param('orgNodeId', new IdPipe('orgNodeId')) orgNodeId: string,
    @Body() body: CommandMetaDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.handle(req, res, body, AccessControl.systemAdmin('收回管理范围'), (m) =>
      this.accounts.execute({ type: 'RevokeAdminScope', data: { accountId: id, orgNodeId } }, m),
    );
  }

  private async openPermission(body: OpenAccountDto): Promise<Permission> {
    if (body.type === 'USER')
      return this.access.unit('开设用户账号', body.personId ? await this.access.personNodes(body.personId) : []);
    if (body.type === 'TEMPORARY') {
      const app = body.appId ? (await this.apps.load(body.appId)).state : null;
      return this.access.unit('开设临时账号', app && app.status !== 'NONE' ? [app.owningOrgNodeId] : []);
    }
    return AccessControl.systemAdmin('开设管理员账号');
  }
}
