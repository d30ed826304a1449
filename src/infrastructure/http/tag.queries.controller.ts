/** A tag resolved to its current members, for the apps it is shared with (001b:11). */
import { Controller, Get, Headers, Inject, Param, Req } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { QUERY_BUS, type QueryBus } from '../../application/queries/query-bus';
import { ResolveTag } from '../../read-models/directory/directory.query-handlers';
import { type HttpRequestLike, principalOf } from './http-exchange';
import { IdPipe } from './id.pipe';
import { CONSISTENT } from './read-model-responses';

@ApiTags('directory (通讯录查询)')
@Controller('tags')
export class TagQueriesController {
  constructor(@Inject(QUERY_BUS) private readonly queries: QueryBus) {}

  @Get(':id/members')
  @ApiOperation({
    summary:
      "A tag's current members (its people, and the people of its nodes and below): for an app's temporary account when the tag is its unit's or shared with it, and for the tag's admins",
  })
  @ApiHeader(CONSISTENT)
  members(
    @Param('id', new IdPipe()) id: string,
    @Headers('x-consistent-with') position: string | undefined,
    @Req() req: HttpRequestLike,
  ) {
    return this.queries.execute(new ResolveTag(principalOf(req), id, position));
  }
}
