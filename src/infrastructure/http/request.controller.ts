import { Body, Controller, Get, Headers, HttpException, HttpStatus, Inject, Param, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { QUERY_BUS, type QueryBus } from '../../application/queries/query-bus';
import { ExecuteRequestCommand } from '../../application/request/request.commands';
import { GetRequest } from '../../application/request/request.queries';
import {
  GetRequestWorklist,
  GetReviewTimeliness,
  GetUnitRequests,
} from '../../read-models/requests/requests.query-handlers';
import { CommandRoute } from './api-docs';
import { CommandHttp } from './command-http';
import { CommandMetaDto } from './dto/command-meta.dto';
import {
  changeProblems,
  DecideRequestStepDto,
  type DocumentReferenceDto,
  FileRequestDto,
  RefileRequestDto,
  type RequestedChangeDto,
} from './dto/request.dto';
import { type HttpRequestLike, type HttpResponseLike, principalOf, withRevision } from './http-exchange';
import { IdPipe } from './id.pipe';
import { CONSISTENT } from './read-model-responses';

/** Plain references (event data is plain JSON, not the DTO's instances). */
const plain = (documents: readonly DocumentReferenceDto[]) =>
  documents.map(({ kind, ref, issuedBy, issuedOn }) => ({ kind, ref, issuedBy, issuedOn }));

/** A change whose data does not fit its own route's body is refused as that route would refuse it (400). */
function assertChangeFits(change: RequestedChangeDto): void {
  const problems = changeProblems(change);
  if (problems.length > 0)
    throw new HttpException(
      {
        code: 'VALIDATION_FAILED',
        message: `所申请的变更 ${change.type} 内容不符合要求：${problems.join('；')}`,
        details: { errors: problems.map((reason) => ({ field: 'change.data', reason })) },
      },
      HttpStatus.BAD_REQUEST,
    );
}

@ApiTags('requests (申请与审批)')
@Controller()
export class RequestController {
  constructor(
    @Inject(QUERY_BUS) private readonly queries: QueryBus,
    @Inject(CommandHttp) private readonly http: CommandHttp,
  ) {}

  @CommandRoute(
    'requests',
    'FileRequest (003:10, 003:14, 000:8): a unit’s admin files a request with its documents; the change is checked by the decider that will execute it',
  )
  file(@Body() body: FileRequestDto, @Req() req: HttpRequestLike, @Res({ passthrough: true }) res: HttpResponseLike) {
    assertChangeFits(body.change);
    const { requestId, kind, orgNodeId, change, documents } = body;
    const data = {
      requestId,
      kind,
      orgNodeId,
      change: { type: change.type, data: change.data },
      documents: plain(documents),
    };
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) => new ExecuteRequestCommand({ type: 'FileRequest', data }, m, by),
    );
  }

  @CommandRoute(
    'requests/:id/decision',
    'DecideRequestStep: the step’s reviewer approves, returns (with a reason) or rejects; the final approval carries out the change',
  )
  decide(
    @Param('id', new IdPipe()) id: string,
    @Body() body: DecideRequestStepDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    const data = { requestId: id, step: body.step, decision: body.decision, reason: body.reason ?? null };
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) => new ExecuteRequestCommand({ type: 'DecideRequestStep', data }, m, by),
    );
  }

  @CommandRoute('requests/:id/refile', 'RefileRequest: the applicant sends a returned request again, corrected')
  refile(
    @Param('id', new IdPipe()) id: string,
    @Body() body: RefileRequestDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    assertChangeFits(body.change);
    const data = {
      requestId: id,
      change: { type: body.change.type, data: body.change.data },
      documents: plain(body.documents),
    };
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) => new ExecuteRequestCommand({ type: 'RefileRequest', data }, m, by),
    );
  }

  @CommandRoute('requests/:id/withdraw', 'WithdrawRequest: the applicant withdraws a request not yet approved')
  withdraw(
    @Param('id', new IdPipe()) id: string,
    @Body() body: CommandMetaDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    const data = { requestId: id, reason: body.reason ?? null };
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) => new ExecuteRequestCommand({ type: 'WithdrawRequest', data }, m, by),
    );
  }

  @CommandRoute(
    'requests/:id/execute',
    'ExecuteApprovedRequest: an approved request whose change failed (the world changed) is tried again',
  )
  execute(
    @Param('id', new IdPipe()) id: string,
    @Body() body: CommandMetaDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) => new ExecuteRequestCommand({ type: 'ExecuteApprovedRequest', data: { requestId: id } }, m, by),
    );
  }

  @Get('requests/worklist')
  @ApiOperation({ summary: 'The requests waiting for the signed-in account (待办), with due dates and how late' })
  @ApiHeader(CONSISTENT)
  worklist(@Headers('x-consistent-with') position: string | undefined, @Req() req: HttpRequestLike) {
    return this.queries.execute(new GetRequestWorklist(principalOf(req), position));
  }

  @Get('requests/:id')
  @ApiOperation({ summary: 'A request as recorded: its change, documents, route and where it stands' })
  async get(
    @Param('id', new IdPipe()) id: string,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    const { request, revision } = await this.queries.execute(new GetRequest(principalOf(req), id));
    if (!request)
      throw new HttpException({ code: 'REQUEST_NOT_FOUND', message: `申请 ${id} 不存在` }, HttpStatus.NOT_FOUND);
    return withRevision(res, revision, request);
  }

  @Get('assessment/:period/reviews')
  @ApiOperation({
    summary:
      'The timeliness of reviews: per reviewing unit, the request steps decided in a period and how many on time',
  })
  @ApiHeader(CONSISTENT)
  reviews(
    @Param('period') period: string,
    @Headers('x-consistent-with') position: string | undefined,
    @Req() req: HttpRequestLike,
  ) {
    return this.queries.execute(new GetReviewTimeliness(principalOf(req), period, position));
  }

  @Get('org-nodes/:id/requests')
  @ApiOperation({ summary: 'A unit’s open requests (under review, returned, approved and not yet carried out)' })
  @ApiHeader(CONSISTENT)
  unitRequests(
    @Param('id', new IdPipe()) id: string,
    @Headers('x-consistent-with') position: string | undefined,
    @Req() req: HttpRequestLike,
  ) {
    return this.queries.execute(new GetUnitRequests(principalOf(req), id, position));
  }
}
