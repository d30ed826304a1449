import { Body, Controller, Get, HttpException, HttpStatus, Inject, Param, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ExecuteAppCommand } from '../../application/app-registration/app-registration.commands';
import { GetApp } from '../../application/app-registration/app-registration.queries';
import { QUERY_BUS, type QueryBus } from '../../application/queries/query-bus';
import { CommandHttp } from './command-http';
import { type HttpRequestLike, type HttpResponseLike, principalOf, withRevision } from './http-exchange';
import { CommandMetaDto } from './dto/command-meta.dto';
import {
  AppAuthorizationDto,
  type AppRequestFormDto,
  AttachAppReportsDto,
  RecordAppReportResultDto,
  DeregisterAppDto,
  LaunchAppDto,
  RejectAppAccessDto,
  RequestAppAccessDto,
  TakeAppOfflineDto,
} from './dto/app-registration.dto';
import { CommandRoute } from './api-docs';
import type { AppRequestForm } from '../../domain/app-registration/app-registration.decider';
import { IdPipe } from './id.pipe';

/** The form as sent; absent, the decider refuses APP_FORM_REQUIRED. */
const formOf = (form: AppRequestFormDto | undefined) => form as AppRequestForm;

/**
 * App registrations (001a:13-19): the unit applies, attaches its reports, takes its app offline and
 * grants it access to its own people; the district office (system admins) approves, rejects,
 * launches, restores and deregisters.
 */
@ApiTags('app registrations (应用接入)')
@Controller('apps')
export class AppRegistrationController {
  constructor(
    @Inject(QUERY_BUS) private readonly queries: QueryBus,
    @Inject(CommandHttp) private readonly http: CommandHttp,
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
    const { app, revision } = await this.queries.execute(new GetApp(principalOf(req), id));
    if (!app)
      throw new HttpException({ code: 'APP_NOT_FOUND', message: `接入应用 ${id} 不存在` }, HttpStatus.NOT_FOUND);
    return withRevision(res, revision, app);
  }

  @CommandRoute(undefined, 'RequestAppAccess (001a:13): review due 7 working days later (001a:14)')
  request(
    @Body() body: RequestAppAccessDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    const { effectiveAt: _e, reason: _r, sourceRef: _s, ...request } = body;
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) =>
        new ExecuteAppCommand(
          { type: 'RequestAppAccess', data: { ...request, description: request.description ?? null } },
          m,
          by,
        ),
    );
  }

  @CommandRoute(':id/reports', 'AttachAppReports: the security audit and 密评 report references')
  attach(
    @Param('id', new IdPipe()) id: string,
    @Body() body: AttachAppReportsDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) =>
        new ExecuteAppCommand(
          {
            type: 'AttachAppReports',
            data: {
              appId: id,
              securityAuditReportRef: body.securityAuditReportRef,
              cryptoAssessmentReportRef: body.cryptoAssessmentReportRef,
            },
          },
          m,
          by,
        ),
    );
  }

  @CommandRoute(':id/report-results', 'RecordAppReportResult (001a:13): a report passed or not, by whom, when')
  recordReportResult(
    @Param('id', new IdPipe()) id: string,
    @Body() body: RecordAppReportResultDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    const { effectiveAt: _e, reason: _r, sourceRef: _s, ...result } = body;
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) => new ExecuteAppCommand({ type: 'RecordAppReportResult', data: { appId: id, ...result } }, m, by),
    );
  }

  @CommandRoute(':id/approve', 'ApproveAppAccess (001a:14): only with both report references')
  approve(
    @Param('id', new IdPipe()) id: string,
    @Body() body: CommandMetaDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) => new ExecuteAppCommand({ type: 'ApproveAppAccess', data: { appId: id } }, m, by),
    );
  }

  @CommandRoute(':id/reject', 'RejectAppAccess')
  reject(
    @Param('id', new IdPipe()) id: string,
    @Body() body: RejectAppAccessDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) =>
        new ExecuteAppCommand({ type: 'RejectAppAccess', data: { appId: id, reason: body.rejectionReason } }, m, by),
    );
  }

  @CommandRoute(':id/launch', 'LaunchApp (001a:16): only when APPROVED')
  launch(
    @Param('id', new IdPipe()) id: string,
    @Body() body: LaunchAppDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) =>
        new ExecuteAppCommand(
          {
            type: 'LaunchApp',
            data: {
              appId: id,
              shortName: body.shortName,
              fullName: body.fullName,
              iconUrl: body.iconUrl,
              url: body.url,
              form: formOf(body.form),
            },
          },
          m,
          by,
        ),
    );
  }

  @CommandRoute(':id/offline', 'TakeAppOffline (001a:18)')
  offline(
    @Param('id', new IdPipe()) id: string,
    @Body() body: TakeAppOfflineDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) =>
        new ExecuteAppCommand(
          { type: 'TakeAppOffline', data: { appId: id, reason: body.offlineReason, form: formOf(body.form) } },
          m,
          by,
        ),
    );
  }

  @CommandRoute(':id/restore', 'RestoreApp')
  restore(
    @Param('id', new IdPipe()) id: string,
    @Body() body: CommandMetaDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) => new ExecuteAppCommand({ type: 'RestoreApp', data: { appId: id } }, m, by),
    );
  }

  @CommandRoute(
    ':id/authorizations',
    'AuthorizeApp (000:12, 001a:17): nodes, tags or persons, within the granting admin’s scope',
  )
  authorize(
    @Param('id', new IdPipe()) id: string,
    @Body() body: AppAuthorizationDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) =>
        new ExecuteAppCommand(
          {
            type: 'AuthorizeApp',
            data: { appId: id, orgNodeIds: body.orgNodeIds, tagIds: body.tagIds, personIds: body.personIds },
          },
          m,
          by,
        ),
    );
  }

  @CommandRoute(':id/authorizations/revoke', 'RevokeAppAuthorization')
  revokeAuthorization(
    @Param('id', new IdPipe()) id: string,
    @Body() body: AppAuthorizationDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) =>
        new ExecuteAppCommand(
          {
            type: 'RevokeAppAuthorization',
            data: { appId: id, orgNodeIds: body.orgNodeIds, tagIds: body.tagIds, personIds: body.personIds },
          },
          m,
          by,
        ),
    );
  }

  @CommandRoute(':id/deregister', 'DeregisterApp (001a:19): only with a data backup/migration confirmation')
  deregister(
    @Param('id', new IdPipe()) id: string,
    @Body() body: DeregisterAppDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) =>
        new ExecuteAppCommand(
          { type: 'DeregisterApp', data: { appId: id, backup: body.backup ?? null, form: formOf(body.form) } },
          m,
          by,
        ),
    );
  }
}
