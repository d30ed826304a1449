/** Integrity and operations: the hash chain recomputed, the read models' progress (system admins). */
import { Controller, Get, Inject, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { VerifyIntegrity } from '../../application/integrity/integrity.queries';
import { GetReadModelStatus } from '../../application/projections/read-model-status';
import { QUERY_BUS, type QueryBus } from '../../application/queries/query-bus';
import { type HttpRequestLike, principalOf } from './http-exchange';

@ApiTags('integrity and operations (完整性与运行状态)')
@Controller()
export class IntegrityController {
  constructor(@Inject(QUERY_BUS) private readonly queries: QueryBus) {}

  @Get('integrity/verify')
  @ApiOperation({
    summary: 'Recompute the hash chain of every event; names the first event where it breaks (system admins)',
  })
  verify(@Req() req: HttpRequestLike) {
    return this.queries.execute(new VerifyIntegrity(principalOf(req)));
  }

  @Get('read-models/status')
  @ApiOperation({
    summary: 'Each read model: version, generation, checkpoint, head, whether caught up, lag (system admins)',
  })
  status(@Req() req: HttpRequestLike) {
    return this.queries.execute(new GetReadModelStatus(principalOf(req)));
  }
}
