/** The integrity log's commands: sign a checkpoint now (system admins), a witness's cosignature. */
import { Body, Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { AccessControl } from '../../application/access/access-control';
import { byPrincipal, COMMAND_BUS, type CommandBus } from '../../application/commands/command-bus';
import { CosignCheckpoint, SignCheckpoint } from '../../application/integrity/integrity-log.commands';
import { ForSubscribers } from '../auth/auth.guard';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { type HttpRequestLike, principalOf } from './http-exchange';

export class CosignatureDto {
  @ApiProperty({ description: 'The checkpoint as a signed note, with the witness’s signature line added' })
  @IsString()
  @MaxLength(16_384)
  note!: string;
}

@ApiTags('integrity and operations (完整性与运行状态)')
@ApiBearerAuth()
@Controller()
export class IntegrityLogController {
  constructor(
    @Inject(COMMAND_BUS) private readonly commands: CommandBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private metadata(req: HttpRequestLike) {
    return { actor: AccessControl.actorOf(principalOf(req)), jurisdiction: this.config.jurisdiction };
  }

  @Post('integrity/checkpoints')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign a checkpoint now, if any event is not yet covered (system admins)' })
  sign(@Req() req: HttpRequestLike) {
    return this.commands.execute(new SignCheckpoint(this.metadata(req), byPrincipal(principalOf(req))));
  }

  @Post('integrity/cosignatures')
  @ForSubscribers()
  @HttpCode(200)
  @ApiOperation({
    summary: 'A witness’s cosignature of a recent checkpoint (its key must be in INTEGRITY_WITNESS_KEYS)',
  })
  cosign(@Req() req: HttpRequestLike, @Body() body: CosignatureDto) {
    return this.commands.execute(new CosignCheckpoint(body.note, this.metadata(req), byPrincipal(principalOf(req))));
  }
}
