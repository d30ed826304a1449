import { Body, Controller, Get, HttpException, HttpStatus, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { PersonService } from '../../application/person/person.service';
import type { Permission } from '../../domain/access/access-policy';
import { mask } from '../../domain/person/identity';
import type { Profile } from '../../domain/person/person.decider';
import { AccessControl } from '../../application/access/access-control';
import { CommandHttp, type HttpRequestLike, type HttpResponseLike, withRevision } from './command-http';
import {
  AssignConcurrentPostDto,
  ChangePostDto,
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
import { CommandHeaders } from './api-docs';
import { EffectiveDates } from './effective-dates';
import { IdPipe } from './id.pipe';

@ApiTags('people (人员)')
@Controller('persons')
export class PersonsController {
  constructor(
    @Inject(PersonService) private readonly people: PersonService,
    @Inject(CommandHttp) private readonly http: CommandHttp,
    @Inject(AccessControl) private readonly access: AccessControl,
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
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    const { state, revision } = await this.people.load(id, {
      date: this.dates.effectiveOn(effectiveOn),
      timeZone: this.dates.timeZone,
    });
    if (state.status === 'NONE')
      throw new HttpException({ code: 'PERSON_NOT_FOUND', message: `人员 ${id} 不存在` }, HttpStatus.NOT_FOUND);
    return withRevision(res, revision, { ...state, idNumber: mask(state.idNumber) });
  }

  @Post()
  @CommandHeaders()
  @ApiOperation({ summary: 'RegisterPerson' })
  register(
    @Body() body: RegisterPersonDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    const { effectiveAt: _e, reason: _r, sourceRef: _s, ...request } = body;
    return this.http.handle(
      req,
      res,
      body,
      () => this.access.unit('登记人员', [body.primaryPost.orgNodeId]),
      (m) =>
        this.people.register(
          {
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
          m,
        ),
    );
  }

  @Post(':id/profile')
  @CommandHeaders()
  @ApiOperation({ summary: 'UpdatePersonProfile' })
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
    return this.http.handle(
      req,
      res,
      body,
      () => this.profilePermission(id, body.changes),
      (m) => this.people.updateProfile({ personId: id, changes }, m),
    );
  }

  @Post(':id/post')
  @CommandHeaders()
  @ApiOperation({ summary: 'ChangePost' })
  changePost(
    @Param('id', new IdPipe()) id: string,
    @Body() body: ChangePostDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.handle(
      req,
      res,
      body,
      () => this.access.person('调整职务', id),
      (m) =>
        this.people.changePost(
          {
            personId: id,
            orgNodeId: body.orgNodeId,
            title: body.title,
            postLevel: body.postLevel,
            role: body.role,
            order: body.order,
          },
          m,
        ),
    );
  }

  @Post(':id/transfer')
  @CommandHeaders()
  @ApiOperation({ summary: 'TransferPerson (调动)' })
  transfer(
    @Param('id', new IdPipe()) id: string,
    @Body() body: TransferPersonDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.handle(
      req,
      res,
      body,
      () => this.access.person('办理调动', id, [body.to.orgNodeId]),
      (m) => this.people.transfer({ personId: id, to: body.to }, m),
    );
  }

  @Post(':id/secondments')
  @CommandHeaders()
  @ApiOperation({ summary: 'StartSecondment (借调)' })
  startSecondment(
    @Param('id', new IdPipe()) id: string,
    @Body() body: StartSecondmentDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.handle(
      req,
      res,
      body,
      () => this.access.person('办理借调', id),
      (m) => this.people.startSecondment({ personId: id, post: body.post, from: body.from, until: body.until }, m),
    );
  }

  @Post(':id/secondments/:orgNodeId/end')
  @CommandHeaders()
  @ApiOperation({ summary: 'EndSecondment' })
  endSecondment(
    @Param('id', new IdPipe()) id: string,
    @Param('orgNodeId', new IdPipe('orgNodeId')) orgNodeId: string,
    @Body() body: CommandMetaDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.handle(
      req,
      res,
      body,
      () => this.access.person('结束借调', id),
      (m) => this.people.endSecondment({ personId: id, orgNodeId }, m),
    );
  }

  @Post(':id/concurrent-posts')
  @CommandHeaders()
  @ApiOperation({ summary: 'AssignConcurrentPost (兼任)' })
  assignConcurrent(
    @Param('id', new IdPipe()) id: string,
    @Body() body: AssignConcurrentPostDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.handle(
      req,
      res,
      body,
      () => this.access.person('办理兼任', id),
      (m) => this.people.assignConcurrentPost({ personId: id, post: body.post }, m),
    );
  }

  @Post(':id/concurrent-posts/:orgNodeId/relieve')
  @CommandHeaders()
  @ApiOperation({ summary: 'RelieveConcurrentPost' })
  relieveConcurrent(
    @Param('id', new IdPipe()) id: string,
    @Param('orgNodeId', new IdPipe('orgNodeId')) orgNodeId: string,
    @Body() body: CommandMetaDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.handle(
      req,
      res,
      body,
      () => this.access.person('免去兼任', id),
      (m) => this.people.relieveConcurrentPost({ personId: id, orgNodeId }, m),
    );
  }

  @Post(':id/departure')
  @CommandHeaders()
  @ApiOperation({ summary: 'RecordDeparture (002:二.6)' })
  depart(
    @Param('id', new IdPipe()) id: string,
    @Body() body: RecordDepartureDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.handle(
      req,
      res,
      body,
      () => this.access.person('办理离岗', id),
      (m) => this.people.recordDeparture({ personId: id, reason: body.departureReason }, m),
    );
  }

  @Post(':id/reinstatement')
  @CommandHeaders()
  @ApiOperation({ summary: 'ReinstatePerson' })
  reinstate(
    @Param('id', new IdPipe()) id: string,
    @Body() body: ReinstatePersonDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.handle(
      req,
      res,
      body,
      () => this.access.unit('恢复人员', [body.primaryPost.orgNodeId]),
      (m) => this.people.reinstate({ personId: id, primaryPost: body.primaryPost }, m),
    );
  }

  @Post(':id/directory-class')
  @CommandHeaders()
  @ApiOperation({ summary: 'SetDirectoryClass (001b:10)' })
  setDirectoryClass(
    @Param('id', new IdPipe()) id: string,
    @Body() body: SetDirectoryClassDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.handle(
      req,
      res,
      body,
      () => this.access.person('设置通讯录类别', id),
      (m) => this.people.setDirectoryClass({ personId: id, directoryClass: body.directoryClass }, m),
    );
  }

  @Post(':id/contact-mode')
  @CommandHeaders()
  @ApiOperation({ summary: 'SetContactMode (001b:10)' })
  setContactMode(
    @Param('id', new IdPipe()) id: string,
    @Body() body: SetContactModeDto,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    return this.http.handle(
      req,
      res,
      body,
      () => this.access.person('设置联系方式可见性', id),
      (m) => this.people.setContactMode({ personId: id, contactMode: body.contactMode ?? null }, m),
    );
  }

  /** Admins of the person's unit; the person themself for the office phone alone, where the jurisdiction allows it. */
  private async profilePermission(personId: string, changes: object): Promise<Permission> {
    const admin = await this.access.person('修改人员信息', personId);
    const phoneOnly = Object.keys(changes).length > 0 && Object.keys(changes).every((key) => key === 'officePhone');
    if (!phoneOnly || !this.access.usersEditOwnOfficePhone) return admin;
    return AccessControl.anyOf(admin, { kind: 'SELF', action: '修改办公电话', personId });
  }
}
