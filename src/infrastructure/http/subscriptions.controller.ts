/**
 * Subscriptions of downstream systems (system admins only): register (the signing secret is in the
 * answer, once), change, rotate the secret, pause, resume, remove; the delivery state, the failed
 * list, replaying it, rewinding to a position.
 */
import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsArray, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { AccessControl } from '../../application/access/access-control';
import type { CommandMetadata } from '../../application/commands/decider-command-runner';
import { PERSONAL_FIELDS } from '../../application/published-events/catalog';
import { parseEventFilter } from '../../application/published-events/event-filter';
import { SubscriptionService } from '../../application/webhooks/subscription.service';
import type { SubscriptionSettings } from '../../domain/subscription/subscription.decider';
import { MAX_ATTEMPTS_LIMIT } from '../../domain/subscription/subscription.decider';
import type { IdGenerator } from '../../application/ports/id-generator';
import { ID_GENERATOR } from '../../application/ports/id-generator';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { type HttpRequestLike, principalOf } from './command-http';
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
export class SubscriptionsController {
  constructor(
    @Inject(SubscriptionService) private readonly subscriptions: SubscriptionService,
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  private metadata(req: HttpRequestLike, action: string, reason?: string): CommandMetadata {
    const principal = principalOf(req);
    this.access.authorize(principal, AccessControl.systemAdmin(action));
    return { actor: AccessControl.actorOf(principal), jurisdiction: this.config.jurisdiction, reason: reason ?? null };
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
    const metadata = this.metadata(req, '登记事件订阅', body.reason);
    const subscriptionId = this.ids.next();
    return this.subscriptions.execute(
      {
        type: 'RegisterSubscription',
        data: { ...(this.settings(body, true) as SubscriptionSettings), url: body.url ?? null, subscriptionId },
      },
      metadata,
    );
  }

  @Get()
  @ApiOperation({ summary: 'The subscriptions with their delivery state' })
  list(@Req() req: HttpRequestLike) {
    this.metadata(req, '查看事件订阅');
    return this.subscriptions.list();
  }

  @Get(':id')
  @ApiOperation({ summary: 'One subscription with its delivery state (checkpoint, failed count)' })
  get(@Param('id', new IdPipe()) id: string, @Req() req: HttpRequestLike) {
    this.metadata(req, '查看事件订阅');
    return this.subscriptions.get(id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change name, URL, filter, grants or attempts (before/after on record)' })
  change(@Param('id', new IdPipe()) id: string, @Body() body: ChangeSubscriptionDto, @Req() req: HttpRequestLike) {
    const metadata = this.metadata(req, '变更事件订阅', body.reason);
    return this.subscriptions.execute(
      { type: 'ChangeSubscription', data: { ...this.settings(body, false), subscriptionId: id } },
      metadata,
    );
  }

  @Post(':id/secret')
  @HttpCode(200)
  @ApiOperation({ summary: 'Rotate the signing secret; the new one is in the answer' })
  rotate(@Param('id', new IdPipe()) id: string, @Req() req: HttpRequestLike) {
    return this.subscriptions.execute(
      { type: 'RotateSubscriptionSecret', data: { subscriptionId: id } },
      this.metadata(req, '更换订阅签名密钥'),
    );
  }

  @Post(':id/pause')
  @HttpCode(200)
  @ApiOperation({ summary: 'Stop pushing (events are kept; delivery resumes where it stopped)' })
  pause(@Param('id', new IdPipe()) id: string, @Req() req: HttpRequestLike) {
    return this.subscriptions.execute(
      { type: 'PauseSubscription', data: { subscriptionId: id } },
      this.metadata(req, '暂停事件订阅'),
    );
  }

  @Post(':id/resume')
  @HttpCode(200)
  @ApiOperation({ summary: 'Resume pushing' })
  resume(@Param('id', new IdPipe()) id: string, @Req() req: HttpRequestLike) {
    return this.subscriptions.execute(
      { type: 'ResumeSubscription', data: { subscriptionId: id } },
      this.metadata(req, '恢复事件订阅'),
    );
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Remove the subscription (its history stays on record)' })
  remove(@Param('id', new IdPipe()) id: string, @Req() req: HttpRequestLike) {
    return this.subscriptions.execute(
      { type: 'RemoveSubscription', data: { subscriptionId: id } },
      this.metadata(req, '删除事件订阅'),
    );
  }

  @Get(':id/failed')
  @ApiOperation({
    summary: 'The failed list: events whose last attempt failed, and those of the same stream held behind them',
  })
  async failed(@Param('id', new IdPipe()) id: string, @Req() req: HttpRequestLike) {
    this.metadata(req, '查看推送失败列表');
    return { items: await this.subscriptions.failed(id) };
  }

  @Post(':id/failed/replay')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send failed events back for delivery, whole streams at a time, in order' })
  replay(@Param('id', new IdPipe()) id: string, @Body() body: ReplayFailedDto, @Req() req: HttpRequestLike) {
    const metadata = this.metadata(req, '重新推送失败事件', body.reason);
    return this.subscriptions.replay(id, body.eventIds ?? 'ALL', metadata);
  }

  @Post(':id/rewind')
  @HttpCode(200)
  @ApiOperation({ summary: 'Move the subscription to a position: every later matching event is delivered again' })
  rewind(@Param('id', new IdPipe()) id: string, @Body() body: RewindDto, @Req() req: HttpRequestLike) {
    const metadata = this.metadata(req, '回退事件订阅位置', body.reason);
    return this.subscriptions.rewind(id, body.to, metadata);
  }
}
