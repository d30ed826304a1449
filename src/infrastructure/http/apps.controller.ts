import { Body, Controller, Get, HttpException, HttpStatus, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccessControl } from '../../application/access/access-control';
import { AppRegistrationService } from '../../application/app-registration/app-registration.service';
import type { Permission } from '../../domain/access/access-policy';
import { CommandHttp, type HttpRequestLike, type HttpResponseLike, principalOf, withRevision } from './command-http';
import { CommandMetaDto } from './dto/command-meta.dto';
import {
  AppAuthorizationDto,
  AttachAppReportsDto,
  DeregisterAppDto,
  LaunchAppDto,
  RejectAppAccessDto,
  RequestAppAccessDto,
  TakeAppOfflineDto,
} from './dto/account-group-app.dto';
import { CommandHeaders } from './api-docs';
import { IdPipe } from './id.pipe';

/**
 * App registrations (001a:13-19): the unit applies, attaches its reports, takes its app offline and
 * grants it access to its own people; the district office (system admins) approves, rejects,
 * launches, restores and deregisters.
 */
@ApiTags('app registrations (应用接入)')
@Controller('apps')
export class AppsController {
  constructor(
    @Inject(AppRegistrationService) private readonly apps: AppRegistrationService,
    @Inject(CommandHttp) private readonly http: CommandHttp,
    @Inject(AccessControl) private readonly access: AccessControl,
  ) {}

  @Get(':id')
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      'An app registration with its authorizations: for the admins of its unit and for its own temporary accounts (integration)',
  })
  async get(
    @Param('id', new IdPipe()) id: string,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    this.access.authorize(
      principalOf(req),
      AccessControl.anyOf(await this.permission(id, '查看应用'), { kind: 'APP_INTEGRATION', appId: id }),
    );
    const { state, revision } = await this.apps.load(id);
    if (state.status === 'NONE')
      throw new HttpException({ code: 'APP_NOT_FOUND', message: `接入应用 ${id} 不存在` }, HttpStatus.NOT_FOUND);
    return withRevision(res, revision, state);
  }

  @Post()
  @CommandHeaders()
  @ApiOperation({ summary: 'RequestAppAccess (001a:13): review due 7 working days later (001a:14)' })
  request(
    @Body() body: RequestAppAccessDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    const { effectiveAt: _e, reason: _r, sourceRef: _s, ...request } = body;
    return this.http.handle(
      req,
      res,
      body,
      () => this.access.unit('申请应用接入', [body.owningOrgNodeId]),
      (m) => this.apps.request({ ...request, description: request.description ?? null }, m),
    );
  }

  @Post(':id/reports')
  @CommandHeaders()
  @ApiOperation({ summary: 'AttachAppReports: the security audit and 密评 report references' })
  attach(
    @Param('id', new IdPipe()) id: string,
    @Body() body: AttachAppReportsDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.handle(
      req,
      res,
      body,
      () => this.permission(id, '补充测评报告'),
      (m) =>
        this.apps.execute(
          {
            type: 'AttachAppReports',
            data: {
              appId: id,
              securityAuditReportRef: body.securityAuditReportRef,
              cryptoAssessmentReportRef: body.cryptoAssessmentReportRef,
            },
          },
          m,
        ),
    );
  }

  @Post(':id/approve')
  @CommandHeaders()
  @ApiOperation({ summary: 'ApproveAppAccess (001a:14): only with both report references' })
  approve(
    @Param('id', new IdPipe()) id: string,
    @Body() body: CommandMetaDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.handle(req, res, body, AccessControl.systemAdmin('审核应用接入'), (m) =>
      this.apps.execute({ type: 'ApproveAppAccess', data: { appId: id } }, m),
    );
  }

  @Post(':id/reject')
  @CommandHeaders()
  @ApiOperation({ summary: 'RejectAppAccess' })
  reject(
    @Param('id', new IdPipe()) id: string,
    @Body() body: RejectAppAccessDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.handle(req, res, body, AccessControl.systemAdmin('驳回应用接入'), (m) =>
      this.apps.execute({ type: 'RejectAppAccess', data: { appId: id, reason: body.rejectionReason } }, m),
    );
  }

  @Post(':id/launch')
  @CommandHeaders()
  @ApiOperation({ summary: 'LaunchApp (001a:16): only when APPROVED' })
  launch(
    @Param('id', new IdPipe()) id: string,
    @Body() body: LaunchAppDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.handle(req, res, body, AccessControl.systemAdmin('安排应用上线'), (m) =>
      this.apps.execute(
        {
          type: 'LaunchApp',
          data: { appId: id, shortName: body.shortName, fullName: body.fullName, iconUrl: body.iconUrl, url: body.url },
        },
        m,
      ),
    );
  }

  @Post(':id/offline')
  @CommandHeaders()
  @ApiOperation({ summary: 'TakeAppOffline (001a:18)' })
  offline(
    @Param('id', new IdPipe()) id: string,
    @Body() body: TakeAppOfflineDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.handle(
      req,
      res,
      body,
      () => this.permission(id, '应用下线'),
      (m) => this.apps.execute({ type: 'TakeAppOffline', data: { appId: id, reason: body.offlineReason } }, m),
    );
  }

  @Post(':id/restore')
  @CommandHeaders()
  @ApiOperation({ summary: 'RestoreApp' })
  restore(
    @Param('id', new IdPipe()) id: string,
    @Body() body: CommandMetaDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.handle(req, res, body, AccessControl.systemAdmin('恢复应用上线'), (m) =>
      this.apps.execute({ type: 'RestoreApp', data: { appId: id } }, m),
    );
  }

  @Post(':id/authorizations')
  @CommandHeaders()
  @ApiOperation({
    summary: 'AuthorizeApp (000:12, 001a:17): nodes, tags or persons, within the granting admin’s scope',
  })
  authorize(
    @Param('id', new IdPipe()) id: string,
    @Body() body: AppAuthorizationDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.handle(
      req,
      res,
      body,
      () => this.authorizationPermission(id, '应用授权', body),
      (m) =>
        this.apps.execute(
          {
            type: 'AuthorizeApp',
            data: { appId: id, orgNodeIds: body.orgNodeIds, tagIds: body.tagIds, personIds: body.personIds },
          },
          m,
        ),
    );
  }

  @Post(':id/authorizations/revoke')
  @CommandHeaders()
  @ApiOperation({ summary: 'RevokeAppAuthorization' })
  revokeAuthorization(
    @Param('id', new IdPipe()) id: string,
    @Body() body: AppAuthorizationDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.handle(
      req,
      res,
      body,
      () => this.permission(id, '收回应用授权'),
      (m) =>
        this.apps.execute(
          {
            type: 'RevokeAppAuthorization',
            data: { appId: id, orgNodeIds: body.orgNodeIds, tagIds: body.tagIds, personIds: body.personIds },
          },
          m,
        ),
    );
  }

  @Post(':id/deregister')
  @CommandHeaders()
  @ApiOperation({ summary: 'DeregisterApp (001a:19): only with a data backup/migration confirmation' })
  deregister(
    @Param('id', new IdPipe()) id: string,
    @Body() body: DeregisterAppDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.handle(req, res, body, AccessControl.systemAdmin('注销应用'), (m) =>
      this.apps.execute({ type: 'DeregisterApp', data: { appId: id, backup: body.backup ?? null } }, m),
    );
  }

  private async permission(appId: string, action: string): Promise<Permission> {
    const { state } = await this.apps.load(appId);
    return this.access.unit(action, state.status === 'NONE' ? [] : [state.owningOrgNodeId]);
  }

  /** The app's unit, and every node and person granted, lie within the admin's scope (least privilege, 000:6). */
  private async authorizationPermission(appId: string, action: string, body: AppAuthorizationDto): Promise<Permission> {
    const { state } = await this.apps.load(appId);
    if (state.status === 'NONE') return this.access.unit(action, []);
    const personNodes: string[] = [];
    for (const personId of body.personIds ?? []) personNodes.push(...(await this.access.personNodes(personId)));
    return this.access.unit(action, [state.owningOrgNodeId, ...(body.orgNodeIds ?? []), ...personNodes]);
  }
}
