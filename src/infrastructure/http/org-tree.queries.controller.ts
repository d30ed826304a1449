/**
 * The tree as the viewer may see it: a node's subtree with member counts, its path, its members.
 * A client that has just run a command may send its `position` as `X-Consistent-With` to read its
 * own write (the answer waits up to 5 s for the projections, then 503 READ_MODEL_BEHIND).
 */
import { Controller, Get, Headers, Inject, Param, Query, Req } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { QUERY_BUS, type QueryBus } from '../../application/queries/query-bus';
import { GetMembers } from '../../read-models/directory/directory.query-handlers';
import { GetNamingReport, GetPath, GetSubtree } from '../../read-models/org-tree/org-tree.query-handlers';
import { type HttpRequestLike, principalOf } from './http-exchange';
import { IdPipe } from './id.pipe';
import { CONSISTENT } from './read-model-responses';

@ApiTags('org tree (组织架构)')
@Controller('org-tree')
export class OrgTreeController {
  constructor(@Inject(QUERY_BUS) private readonly queries: QueryBus) {}

  @Get(':id/subtree')
  @ApiOperation({
    summary: 'A node and its subtree: path, level, order, member counts; hidden nodes only for those allowed (001b:9)',
  })
  @ApiQuery({ name: 'depth', required: false })
  @ApiQuery({ name: 'asPerson', required: false, description: 'Administrators: "true" to see it as their own person' })
  @ApiHeader(CONSISTENT)
  subtree(
    @Param('id', new IdPipe()) id: string,
    @Query('depth') depth: string | undefined,
    @Query('asPerson') asPerson: string | undefined,
    @Headers('x-consistent-with') position: string | undefined,
    @Req() req: HttpRequestLike,
  ) {
    return this.queries.execute(new GetSubtree(principalOf(req), id, depth, asPerson === 'true', position));
  }

  @Get(':id/path')
  @ApiOperation({ summary: 'The path from the root to a node (breadcrumbs)' })
  @ApiHeader(CONSISTENT)
  path(
    @Param('id', new IdPipe()) id: string,
    @Headers('x-consistent-with') position: string | undefined,
    @Req() req: HttpRequestLike,
  ) {
    return this.queries.execute(new GetPath(principalOf(req), id, position));
  }

  @Get(':id/naming-report')
  @ApiOperation({
    summary:
      'Nodes of the subtree whose short name breaks the naming rule (000:7): missing, too long, duplicated among siblings; for its administrators',
  })
  @ApiHeader(CONSISTENT)
  namingReport(
    @Param('id', new IdPipe()) id: string,
    @Headers('x-consistent-with') position: string | undefined,
    @Req() req: HttpRequestLike,
  ) {
    return this.queries.execute(new GetNamingReport(principalOf(req), id, position));
  }

  @Get(':id/members')
  @ApiOperation({ summary: 'The people of a node the viewer may see listed, with the fields they may see' })
  @ApiQuery({ name: 'asPerson', required: false })
  @ApiHeader(CONSISTENT)
  members(
    @Param('id', new IdPipe()) id: string,
    @Query('asPerson') asPerson: string | undefined,
    @Headers('x-consistent-with') position: string | undefined,
    @Req() req: HttpRequestLike,
  ) {
    return this.queries.execute(new GetMembers(principalOf(req), id, asPerson === 'true', position));
  }
}
