import { Body, Controller, HttpCode, HttpStatus, Inject, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { COMMAND_BUS, type CommandBus } from '../../application/commands/command-bus';
import { RecordUsageSignals } from '../../application/usage-signals/usage-signals';
import { ForServices } from '../auth/auth.guard';
import { type HttpRequestLike, principalOf } from './http-exchange';
import { GroupActivityBatchDto, PasswordChangeBatchDto, SignInBatchDto } from './dto/usage-signals.dto';

/** The gateway's usage signals (see RecordUsageSignals): the routes translate each batch. */
@ForServices()
@ApiTags('ingestion (使用数据上报)')
@ApiBearerAuth()
@Controller('ingest')
export class UsageSignalsController {
  constructor(@Inject(COMMAND_BUS) private readonly commands: CommandBus) {}

  @Post('sign-ins')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'RecordSignIn, batched (the first sign-in activates an account, 000:9)' })
  signIns(@Body() body: SignInBatchDto, @Req() req: HttpRequestLike) {
    const signals = body.signals.map((s) => ({
      kind: 'ACCOUNT' as const,
      signalId: s.signalId,
      at: s.at,
      request: {
        type: 'RecordSignIn' as const,
        data: { accountId: s.accountId, signalId: s.signalId, at: s.at, client: s.client ?? null },
      },
    }));
    return this.commands.execute(new RecordUsageSignals(principalOf(req), signals));
  }

  @Post('password-changes')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'RecordPasswordChange, batched: the date only, never the secret (000:16)' })
  passwordChanges(@Body() body: PasswordChangeBatchDto, @Req() req: HttpRequestLike) {
    const signals = body.signals.map((s) => ({
      kind: 'ACCOUNT' as const,
      signalId: s.signalId,
      at: s.at,
      request: { type: 'RecordPasswordChange' as const, data: { accountId: s.accountId, at: s.at } },
    }));
    return this.commands.execute(new RecordUsageSignals(principalOf(req), signals));
  }

  @Post('group-activity')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'RecordGroupActivity, batched' })
  groupActivity(@Body() body: GroupActivityBatchDto, @Req() req: HttpRequestLike) {
    const signals = body.signals.map((s) => ({
      kind: 'WORK_GROUP' as const,
      signalId: s.signalId,
      at: s.at,
      request: {
        type: 'RecordGroupActivity' as const,
        data: { groupId: s.groupId, signalId: s.signalId, at: s.at, messages: s.messages },
      },
    }));
    return this.commands.execute(new RecordUsageSignals(principalOf(req), signals));
  }
}
