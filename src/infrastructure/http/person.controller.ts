import { Body, Controller, Get, HttpException, HttpStatus, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Profile } from '../../domain/person/person.decider';
import { ExecutePersonCommand } from '../../application/person/person.commands';
import { CorrectPersonRecord, type CorrectionRequest } from '../../application/person/person-corrections';
import { GetPerson } from '../../application/person/person.queries';
import { QUERY_BUS, type QueryBus } from '../../application/queries/query-bus';
import { CommandHttp } from './command-http';
import { type HttpRequestLike, type HttpResponseLike, principalOf, withRevision } from './http-exchange';
import {
  AssignConcurrentPostDto,
  ChangePostDto,
  CorrectPersonRecordDto,
  RecordDepartureDto,
  RegisterPersonDto,
  ReinstatePersonDto,
  SetContactModeDto,
  SetDirectoryClassDto,
  StartSecondmentDto,
  TransferPersonDto,
  UpdatePersonProfileDto,
} from './dto/person.dto';
import { CommandMetaDto } from './dto/command-meta.dto';
import { CommandRoute } from './api-docs';
import { EffectiveDates } from './effective-dates';
import { IdPipe } from './id.pipe';

@ApiTags('people (人员)')
@Controller('persons')
export class PersonController {
  constructor(
    @Inject(QUERY_BUS) private readonly queries: QueryBus,
    @Inject(CommandHttp) private readonly http: CommandHttp,
    @Inject(EffectiveDates) private readonly dates: EffectiveDates,
  ) {}

  @Get(':id')
  @ApiOperation({
    summary:
      'A person as in effect on a date (default today; ID number masked), with the recorded stream revision as ETag',
  })
  @ApiQuery({ name: 'effectiveOn', required: false, description: 'YYYY-MM-DD' })
  async get(
    @Param('id', new IdPipe()) id: string,
    @Query('effectiveOn') effectiveOn: string | undefined,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    const on = { date: this.dates.effectiveOn(effectiveOn), timeZone: this.dates.timeZone };
    const { person, revision } = await this.queries.execute(new GetPerson(principalOf(req), id, on));
    if (!person)
      throw new HttpException({ code: 'PERSON_NOT_FOUND', message: `人员 ${id} 不存在` }, HttpStatus.NOT_FOUND);
    return withRevision(res, revision, person);
  }

  @CommandRoute(undefined, 'RegisterPerson')
  register(
    @Body() body: RegisterPersonDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    const { effectiveAt: _e, reason: _r, sourceRef: _s, ...request } = body;
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) =>
        new ExecutePersonCommand(
          {
            type: 'RegisterPerson',
            data: {
              ...request,
              officePhone: request.officePhone ?? null,
              rank: request.rank ?? null,
              politicalStatus: request.politicalStatus ?? null,
              leadershipDuties: request.leadershipDuties ?? null,
              employment: {
                type: request.employment.type,
                establishmentType: request.employment.establishmentType ?? null,
              },
            },
          },
          m,
          by,
        ),
    );
  }

  @CommandRoute(':id/profile', 'UpdatePersonProfile')
  updateProfile(
    @Param('id', new IdPipe()) id: string,
    @Body() body: UpdatePersonProfileDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    const { employment, ...rest } = body.changes;
    const changes: Partial<Profile> = {
      ...rest,
      ...(employment
        ? { employment: { type: employment.type, establishmentType: employment.establishmentType ?? null } }
        : {}),
    };
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) => new ExecutePersonCommand({ type: 'UpdatePersonProfile', data: { personId: id, changes } }, m, by),
    );
  }

  @CommandRoute(':id/post', 'ChangePost')
  changePost(
    @Param('id', new IdPipe()) id: string,
    @Body() body: ChangePostDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) =>
        new ExecutePersonCommand(
          {
            type: 'ChangePost',
            data: {
              personId: id,
              orgNodeId: body.orgNodeId,
              title: body.title,
              postLevel: body.postLevel,
              role: body.role,
              order: body.order,
            },
          },
          m,
          by,
        ),
    );
  }

  @CommandRoute(':id/transfer', 'TransferPerson (调动)')
  transfer(
    @Param('id', new IdPipe()) id: string,
    @Body() body: TransferPersonDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) =>
        new ExecutePersonCommand(
          { type: 'TransferPerson', data: { personId: id, to: body.to, successorId: body.successorId } },
          m,
          by,
        ),
    );
  }

  @CommandRoute(':id/secondments', 'StartSecondment (借调)')
  startSecondment(
    @Param('id', new IdPipe()) id: string,
    @Body() body: StartSecondmentDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) =>
        new ExecutePersonCommand(
          { type: 'StartSecondment', data: { personId: id, post: body.post, from: body.from, until: body.until } },
          m,
          by,
        ),
    );
  }

  @CommandRoute(':id/secondments/:orgNodeId/end', 'EndSecondment')
  endSecondment(
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
      (m, by) => new ExecutePersonCommand({ type: 'EndSecondment', data: { personId: id, orgNodeId } }, m, by),
    );
  }

  @CommandRoute(':id/concurrent-posts', 'AssignConcurrentPost (兼任)')
  assignConcurrent(
    @Param('id', new IdPipe()) id: string,
    @Body() body: AssignConcurrentPostDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) =>
        new ExecutePersonCommand({ type: 'AssignConcurrentPost', data: { personId: id, post: body.post } }, m, by),
    );
  }

  @CommandRoute(':id/concurrent-posts/:orgNodeId/relieve', 'RelieveConcurrentPost')
  relieveConcurrent(
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
      (m, by) => new ExecutePersonCommand({ type: 'RelieveConcurrentPost', data: { personId: id, orgNodeId } }, m, by),
    );
  }

  @CommandRoute(':id/departure', 'RecordDeparture (002:二.6)')
  depart(
    @Param('id', new IdPipe()) id: string,
    @Body() body: RecordDepartureDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) =>
        new ExecutePersonCommand(
          {
            type: 'RecordDeparture',
            data: { personId: id, reason: body.departureReason, successorId: body.successorId },
          },
          m,
          by,
        ),
    );
  }

  @CommandRoute(
    ':id/corrections',
    'RetractPersonRecord / CorrectEffectiveDate (issue 18): a wrong record corrected by an event pointing at it; reason and sourceRef required',
  )
  correct(
    @Param('id', new IdPipe()) id: string,
    @Body() body: CorrectPersonRecordDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    const request: CorrectionRequest =
      body.correction === 'RETRACT'
        ? { type: 'RetractPersonRecord', data: { personId: id, eventId: body.eventId } }
        : {
            type: 'CorrectEffectiveDate',
            data: { personId: id, eventId: body.eventId, effectiveAt: body.correctEffectiveAt ?? '' },
          };
    return this.http.dispatch(req, res, body, (m, by) => new CorrectPersonRecord(request, m, by));
  }

  @CommandRoute(':id/reinstatement', 'ReinstatePerson')
  reinstate(
    @Param('id', new IdPipe()) id: string,
    @Body() body: ReinstatePersonDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) =>
        new ExecutePersonCommand(
          { type: 'ReinstatePerson', data: { personId: id, primaryPost: body.primaryPost } },
          m,
          by,
        ),
    );
  }

  @CommandRoute(':id/directory-class', 'SetDirectoryClass (001b:10)')
  setDirectoryClass(
    @Param('id', new IdPipe()) id: string,
    @Body() body: SetDirectoryClassDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) =>
        new ExecutePersonCommand(
          { type: 'SetDirectoryClass', data: { personId: id, directoryClass: body.directoryClass } },
          m,
          by,
        ),
    );
  }

  @CommandRoute(':id/contact-mode', 'SetContactMode (001b:10)')
  setContactMode(
    @Param('id', new IdPipe()) id: string,
    @Body() body: SetContactModeDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.dispatch(
      req,
      res,
      body,
      (m, by) =>
        new ExecutePersonCommand(
          { type: 'SetContactMode', data: { personId: id, contactMode: body.contactMode ?? null } },
          m,
          by,
        ),
    );
  }
}
