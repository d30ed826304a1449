/**
 * Integrity and operations: verify (the hash chain and the Merkle log), the signed checkpoints,
 * inclusion and consistency proofs, witnesses' cosignatures, and the read models' progress.
 */
import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { VerifyIntegrity } from '../../application/integrity/integrity.queries';
import { GetCheckpoint, ProveConsistency, ProveInclusion } from '../../application/integrity/proofs.queries';
import { GetReadModelStatus } from '../../application/projections/read-model-status';
import { QUERY_BUS, type QueryBus } from '../../application/queries/query-bus';
import { ForSubscribers } from '../auth/auth.guard';
import { type HttpRequestLike, type HttpResponseLike, principalOf } from './http-exchange';

@ApiTags('integrity and operations (完整性与运行状态)')
@ApiBearerAuth()
@Controller()
export class IntegrityController {
  constructor(@Inject(QUERY_BUS) private readonly queries: QueryBus) {}

  @Get('integrity/verify')
  @ApiOperation({
    summary:
      'Recompute the hash chain and every leaf of the Merkle log, and check the tree against every signed checkpoint (system admins and auditors)',
  })
  verify(@Req() req: HttpRequestLike) {
    return this.queries.execute(new VerifyIntegrity(principalOf(req)));
  }

  @Get('integrity/checkpoints/latest')
  @ForSubscribers()
  @ApiOperation({ summary: 'The latest signed checkpoint of the Merkle log, with the verifier key' })
  latest(@Req() req: HttpRequestLike) {
    return this.queries.execute(new GetCheckpoint(principalOf(req)));
  }

  @Get('integrity/checkpoint')
  @ForSubscribers()
  @ApiOperation({ summary: 'The latest signed checkpoint as a C2SP signed note (text/plain), as log tooling reads it' })
  async note(@Req() req: HttpRequestLike, @Res({ passthrough: true }) res: HttpResponseLike) {
    const checkpoint = await this.queries.execute(new GetCheckpoint(principalOf(req)));
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    return checkpoint.note;
  }

  @Get('integrity/checkpoints/:size')
  @ForSubscribers()
  @ApiOperation({ summary: 'The signed checkpoint of a tree size' })
  checkpoint(@Req() req: HttpRequestLike, @Param('size') size: string) {
    return this.queries.execute(new GetCheckpoint(principalOf(req), size));
  }

  @Get('integrity/proofs/inclusion')
  @ApiOperation({
    summary:
      'Inclusion proof of one event in a signed checkpoint (the latest by default), as a self-contained proof file (jurisdiction-wide auditors and system admins)',
  })
  inclusion(
    @Req() req: HttpRequestLike,
    @Query('eventId') eventId: string,
    @Query('checkpoint') checkpoint?: string,
    @Query('full') full?: string,
  ) {
    return this.queries.execute(new ProveInclusion(principalOf(req), eventId ?? '', checkpoint, full === 'true'));
  }

  @Get('integrity/proofs/consistency')
  @ForSubscribers()
  @ApiOperation({ summary: 'Consistency proof between two signed checkpoints (to: the latest by default)' })
  consistency(@Req() req: HttpRequestLike, @Query('from') from?: string, @Query('to') to?: string) {
    return this.queries.execute(new ProveConsistency(principalOf(req), from, to));
  }

  @Get('read-models/status')
  @ApiOperation({
    summary: 'Each read model: version, generation, checkpoint, head, whether caught up, lag (system admins)',
  })
  status(@Req() req: HttpRequestLike) {
    return this.queries.execute(new GetReadModelStatus(principalOf(req)));
  }
}
