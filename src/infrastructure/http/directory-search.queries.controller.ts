/** The directory as the viewer may see it: search, visibility between two people, the class matrix's coverage. */
import { Controller, Get, Headers, Inject, Query, Req } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { QUERY_BUS, type QueryBus } from '../../application/queries/query-bus';
import {
  GetMatrixCoverage,
  ResolveVisibility,
  SearchDirectory,
} from '../../read-models/directory/directory.query-handlers';
import { type HttpRequestLike, principalOf } from './http-exchange';
import { IdPipe } from './id.pipe';
import { CONSISTENT } from './read-model-responses';

@ApiTags('directory (通讯录查询)')
@Controller('directory')
export class DirectorySearchController {
  constructor(@Inject(QUERY_BUS) private readonly queries: QueryBus) {}

  @Get('search')
  @ApiOperation({
    summary: 'Search the directory by name (whole or part) or by the whole mobile number, as the viewer may (001b:10)',
  })
  @ApiQuery({ name: 'q', required: true })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'asPerson', required: false })
  @ApiHeader(CONSISTENT)
  search(
    @Query('q') q: string,
    @Query('limit') limit: string | undefined,
    @Query('asPerson') asPerson: string | undefined,
    @Headers('x-consistent-with') position: string | undefined,
    @Req() req: HttpRequestLike,
  ) {
    const text = typeof q === 'string' ? q : '';
    const count = limit === undefined ? 50 : Number(limit) || 50;
    return this.queries.execute(new SearchDirectory(principalOf(req), text, count, asPerson === 'true', position));
  }

  @Get('visibility')
  @ApiOperation({
    summary: 'resolve(viewer, target): listed / searchable / addable / chattable and the rule that decided it',
  })
  @ApiQuery({ name: 'viewer', required: true })
  @ApiQuery({ name: 'target', required: true })
  @ApiHeader(CONSISTENT)
  visibility(
    @Query('viewer', new IdPipe()) viewer: string,
    @Query('target', new IdPipe()) target: string,
    @Headers('x-consistent-with') position: string | undefined,
    @Req() req: HttpRequestLike,
  ) {
    return this.queries.execute(new ResolveVisibility(principalOf(req), viewer, target, position));
  }

  @Get('matrix')
  @ApiOperation({
    summary: 'The 4×4 class matrix with the number of people each cell covers, for the jurisdiction or one unit',
  })
  @ApiQuery({ name: 'unitId', required: false })
  @ApiHeader(CONSISTENT)
  matrix(
    @Query('unitId') unitId: string | undefined,
    @Headers('x-consistent-with') position: string | undefined,
    @Req() req: HttpRequestLike,
  ) {
    return this.queries.execute(new GetMatrixCoverage(principalOf(req), unitId || undefined, position));
  }
}
