/**
 * Subscriptions of downstream systems (system admins only): register (the signing secret is in the
 * answer, once), change, rotate the secret, pause, resume, remove; the delivery state, the failed
 * list, replaying it, rewinding to a position.
 */
import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsArray, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { AccessControl } from '../../application/access/access-control';
import { byPrincipal, COMMAND_BUS, type CommandBus } from '../../application/commands/command-bus';
import { QUERY_BUS, type QueryBus } from '../../application/queries/query-bus';
import {
  ExecuteSubscriptionCommand,
  type SubscriptionRequest,
  SubscriptionQuery,
} from '../../application/webhooks/subscription.commands';
import { PERSONAL_FIELDS } from '../../application/published-events/catalog';
import { parseEventFilter } from '../../application/published-events/event-filter';
import type { SubscriptionSettings } from '../../domain/subscription/subscription.decider';
import { MAX_ATTEMPTS_LIMIT } from '../../domain/subscription/subscription.decider';
import type { IdGenerator } from '../../application/ports/id-generator.port';
import { ID_GENERATOR } from '../../application/ports/id-generator.port';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { type HttpRequestLike, principalOf } from './http-exchange';
import { IdPipe } from './id.pipe';

class SubscriptionFilterFields {
  @ApiPropertyOptional({
    type: [String],
    description: 'Published event types (see /asyncapi); empty: all',
    example: ['PersonTransferred', 'PersonLeft'],
  })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  types?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Stream-name prefixes', example: ['Person-'] })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  streamPrefixes?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Org subtrees (root node ids)' })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  orgSubtrees?: string[];

  @ApiPropertyOptional({
    type: [String],
    enum: PERSONAL_FIELDS,
    description: 'Personal fields this subscriber may receive (001:14)',
  })
  @IsOptional()
  @IsArray()
  @IsIn(PERSONAL_FIELDS as unknown as string[], { each: true })
  grants?: string[];

  @ApiPropertyOptional({ description: 'Attempts before an event moves to the failed list' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_ATTEMPTS_LIMIT)
  maxAttempts?: number;

  @ApiPropertyOptional({ description: 'Why (kept with the record)' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class RegisterSubscriptionDto extends SubscriptionFilterFields {
  @ApiProperty({ example: '区OA系统' })
  @IsString()
  @MaxLength(64)
  name!: string;

  @ApiPropertyOptional({
    description: 'Webhook URL (http or https); omit for a subscriber that only reads the live stream',
    example: 'https://oa.example.gov.cn/hooks/govcollab',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  url?: string | null;
}

export class ChangeSubscriptionDto extends SubscriptionFilterFields {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(64)
  name?: string;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  url?: string | null;
}

export class ReplayFailedDto {
  @ApiPropertyOptional({
    type: [String],
    description: 'Event ids to replay (each with the rest of its stream); omit to replay the whole failed list',
  })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  eventIds?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class RewindDto {
  @ApiProperty({ description: 'A position (an event’s `position`) or "start"', example: 'start' })
  @IsString()
  @Matches(/^(start|[0-9a-f]{16}-[0-9a-f]{16})$/, {
    message: 'to must be "start" or a position such as 000000000000002a-000000000000002a',
  })
  to!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

@ApiTags('subscriptions (事件订阅)')
@ApiBearerAuth()
@Controller('subscriptions')
export class SubscriptionController {
  constructor(
    @Inject(COMMAND_BUS) private readonly commands: CommandBus,
    @Inject(QUERY_BUS) private readonly queries: QueryBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  private command(req: HttpRequestLike, request: SubscriptionRequest, reason?: string) {
    const principal = principalOf(req);
    const actor = AccessControl.actorOf(principal);
    const metadata = { actor, jurisdiction: this.config.jurisdiction, reason: reason ?? null };
    return this.commands.execute(new ExecuteSubscriptionCommand(request, metadata, byPrincipal(principal)));
  }

  private settings(
    body: SubscriptionFilterFields & { name?: string; url?: string | null },
    defaults: boolean,
  ): Partial<SubscriptionSettings> {
    const settings: Partial<SubscriptionSettings> = {};
    if (body.name !== undefined) settings.name = body.name;
    if (body.url !== undefined) settings.url = body.url;
    if (defaults || body.types !== undefined || body.streamPrefixes !== undefined || body.orgSubtrees !== undefined) {
      settings.filter = { ...parseEventFilter(body) } as SubscriptionSettings['filter'];
    }
    // The decider checks the grants (the DTO already refused unknown ones).
    if (defaults || body.grants !== undefined) settings.grants = (body.grants ?? []) as SubscriptionSettings['grants'];
    if (body.maxAttempts !== undefined) settings.maxAttempts = body.maxAttempts;
    else if (defaults) settings.maxAttempts = this.config.webhooks.defaultMaxAttempts;
    return settings;
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary:
      'Register a subscriber: filter, personal-data grants, webhook URL; the answer carries the signing secret, shown only now and at rotation',
  })
  register(@Body() body: RegisterSubscriptionDto, @Req() req: HttpRequestLike) {
    const subscriptionId = this.ids.next();
    const settings = { ...(this.settings(body, true) as SubscriptionSettings), url: body.url ?? null };
    return this.command(req, { type: 'RegisterSubscription', data: { ...settings, subscriptionId } }, body.reason);
  }

  @Get()
  @ApiOperation({ summary: 'The subscriptions with their delivery state' })
  list(@Req() req: HttpRequestLike) {
    return this.queries.execute(new SubscriptionQuery(principalOf(req), { kind: 'LIST' }));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One subscription with its delivery state (checkpoint, failed count)' })
  get(@Param('id', new IdPipe()) id: string, @Req() req: HttpRequestLike) {
    return this.queries.execute(new SubscriptionQuery(principalOf(req), { kind: 'ONE', subscriptionId: id }));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change name, URL, filter, grants or attempts (before/after on record)' })
  change(@Param('id', new IdPipe()) id: string, @Body() body: ChangeSubscriptionDto, @Req() req: HttpRequestLike) {
    const data = { ...this.settings(body, false), subscriptionId: id };
    return this.command(req, { type: 'ChangeSubscription', data }, body.reason);
  }

  @Post(':id/secret')
  @HttpCode(200)
  @ApiOperation({ summary: 'Rotate the signing secret; the new one is in the answer' })
  rotate(@Param('id', new IdPipe()) id: string, @Req() req: HttpRequestLike) {
    return this.command(req, { type: 'RotateSubscriptionSecret', data: { subscriptionId: id } });
  }

  @Post(':id/pause')
  @HttpCode(200)
  @ApiOperation({ summary: 'Stop pushing (events are kept; delivery resumes where it stopped)' })
  pause(@Param('id', new IdPipe()) id: string, @Req() req: HttpRequestLike) {
    return this.command(req, { type: 'PauseSubscription', data: { subscriptionId: id } });
  }

  @Post(':id/resume')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resume pushing' })
  resume(@Param('id', new IdPipe()) id: string, @Req() req: HttpRequestLike) {
    return this.command(req, { type: 'ResumeSubscription', data: { subscriptionId: id } });
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Remove the subscription (its history stays on record)' })
  remove(@Param('id', new IdPipe()) id: string, @Req() req: HttpRequestLike) {
    return this.command(req, { type: 'RemoveSubscription', data: { subscriptionId: id } });
  }

  @Get(':id/failed')
  @ApiOperation({
    summary: 'The failed list: events whose last attempt failed, and those of the same stream held behind them',
  })
  failed(@Param('id', new IdPipe()) id: string, @Req() req: HttpRequestLike) {
    return this.queries.execute(new SubscriptionQuery(principalOf(req), { kind: 'FAILED', subscriptionId: id }));
  }

  @Post(':id/failed/replay')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send failed events back for delivery, whole streams at a time, in order' })
  replay(@Param('id', new IdPipe()) id: string, @Body() body: ReplayFailedDto, @Req() req: HttpRequestLike) {
    const data = { subscriptionId: id, eventIds: body.eventIds ?? ('ALL' as const) };
    return this.command(req, { type: 'ReplayFailed', data }, body.reason);
  }

  @Post(':id/rewind')
  @HttpCode(200)
  @ApiOperation({ summary: 'Move the subscription to a position: every later matching event is delivered again' })
  rewind(@Param('id', new IdPipe()) id: string, @Body() body: RewindDto, @Req() req: HttpRequestLike) {
    return this.command(req, { type: 'RewindSubscription', data: { subscriptionId: id, to: body.to } }, body.reason);
  }
}
