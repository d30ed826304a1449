import { Body, Controller, HttpCode, HttpStatus, Inject, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccessControl } from '../../application/access/access-control';
import { AccountService } from '../../application/account/account.service';
import type { CommandMetadata, CommandOutcome } from '../../application/commands/decider-command-runner';
import { WorkGroupService } from '../../application/work-group/work-group.service';
import { DomainError } from '../../domain/shared/domain-error';
import { ForServices } from '../auth/auth.guard';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { type HttpRequestLike, principalOf } from './command-http';
import { GroupActivityBatchDto, PasswordChangeBatchDto, SignInBatchDto } from './dto/account-group-app.dto';

type SignalOutcome =
  | { signalId: string; outcome: 'RECORDED' | 'DUPLICATE' }
  | { signalId: string; outcome: 'REJECTED'; code: string; message: string };

/**
 * Usage signals from the platform's gateway (sign-ins, password changes, group activity), in
 * batches. Each signal is recorded at most once, keyed by the sender's event id, so the gateway
 * may resend a batch after a timeout. A bad signal is rejected alone; the rest of the batch is
 * recorded, and the answer lists each signal's outcome.
 */
@ForServices()
@ApiTags('ingestion (使用数据上报)')
@ApiBearerAuth()
@Controller('ingest')
export class IngestController {
  constructor(
    @Inject(AccountService) private readonly accounts: AccountService,
    @Inject(WorkGroupService) private readonly groups: WorkGroupService,
    @Inject(AccessControl) private readonly access: AccessControl,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('sign-ins')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'RecordSignIn, batched (the first sign-in activates an account, 000:9)' })
  signIns(@Body() body: SignInBatchDto, @Req() req: HttpRequestLike) {
    return this.ingest(req, body.signals, (s, m) =>
      this.accounts.execute(
        {
          type: 'RecordSignIn',
          data: { accountId: s.accountId, signalId: s.signalId, at: s.at, client: s.client ?? null },
        },
        m,
      ),
    );
  }

  @Post('password-changes')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'RecordPasswordChange, batched: the date only, never the secret (000:16)' })
  passwordChanges(@Body() body: PasswordChangeBatchDto, @Req() req: HttpRequestLike) {
    return this.ingest(req, body.signals, (s, m) =>
      this.accounts.execute({ type: 'RecordPasswordChange', data: { accountId: s.accountId, at: s.at } }, m),
    );
  }

  @Post('group-activity')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'RecordGroupActivity, batched' })
  groupActivity(@Body() body: GroupActivityBatchDto, @Req() req: HttpRequestLike) {
    return this.ingest(req, body.signals, (s, m) =>
      this.groups.execute(
        {
          type: 'RecordGroupActivity',
          data: { groupId: s.groupId, signalId: s.signalId, at: s.at, messages: s.messages },
        },
        m,
      ),
    );
  }

  private async ingest<S extends { signalId: string; at: string }>(
    req: HttpRequestLike,
    signals: readonly S[],
    record: (signal: S, metadata: CommandMetadata) => Promise<CommandOutcome>,
  ) {
    const principal = principalOf(req);
    this.access.authorize(principal, { kind: 'GATEWAY' });
    const actor = AccessControl.actorOf(principal);
    const results: SignalOutcome[] = [];
    for (const signal of signals) {
      try {
        const outcome = await record(signal, {
          actor,
          jurisdiction: this.config.jurisdiction,
          effectiveAt: signal.at,
          sourceRef: signal.signalId,
        });
        results.push({ signalId: signal.signalId, outcome: outcome.events.length > 0 ? 'RECORDED' : 'DUPLICATE' });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        results.push({ signalId: signal.signalId, outcome: 'REJECTED', code: error.code, message: error.message });
      }
    }
    const count = (outcome: SignalOutcome['outcome']) => results.filter((r) => r.outcome === outcome).length;
    return { recorded: count('RECORDED'), duplicates: count('DUPLICATE'), rejected: count('REJECTED'), results };
  }
}
