/**
 * The assessment report (年度综合考核, 000:4) over HTTP: the report of a period as JSON, CSV, XLSX
 * or a self-contained HTML page, and for every figure in it the listing behind it.
 */
import { Controller, Get, Headers, Inject, Param, Query, Req } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { QUERY_BUS, type QueryBus } from '../../application/queries/query-bus';
import {
  GetAssessmentListing,
  GetAssessmentReport,
  REPORT_FORMATS,
} from '../../read-models/assessment/assessment.query-handlers';
import { reportCsv, reportHtml, reportWorkbook } from '../reports/assessment-report.render';
import { type HttpRequestLike, principalOf } from './http-exchange';
import { CONSISTENT, fileResponse, toCsv } from './read-model-responses';
import { IdPipe } from './id.pipe';

@ApiTags('assessment (年度综合考核)')
@Controller('assessment')
export class AssessmentController {
  constructor(@Inject(QUERY_BUS) private readonly queries: QueryBus) {}

  @Get('reports/:period')
  @ApiOperation({
    summary:
      'The assessment report of a period (2025, 2025-Q3, 2025-06): figures per node rolled up the tree, scores, ranking, late changes, monthly trend (system admins)',
  })
  @ApiParam({ name: 'period', example: '2025' })
  @ApiQuery({ name: 'format', required: false, enum: REPORT_FORMATS })
  @ApiHeader(CONSISTENT)
  async report(
    @Param('period') period: string,
    @Query('format') format: unknown,
    @Headers('x-consistent-with') position: string | undefined,
    @Req() req: HttpRequestLike,
  ) {
    const query = new GetAssessmentReport(principalOf(req), period, format, position);
    const { report, format: as } = await this.queries.execute(query);
    const name = `assessment-${report.period.id}`;
    if (as === 'json') return report;
    if (as === 'csv') return fileResponse('csv', reportCsv(report), name);
    if (as === 'xlsx') return fileResponse('xlsx', await reportWorkbook(report), name);
    return fileResponse('html', reportHtml(report), name);
  }

  @Get(':period/units/:nodeId/:measure')
  @ApiOperation({
    summary:
      'What one figure of the report counts: the persons, accounts, groups, apps, changes or days behind a measure of a node and its subtree (system admins)',
  })
  @ApiParam({ name: 'period', example: '2025' })
  @ApiParam({ name: 'measure', example: 'notActivated' })
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'csv'] })
  @ApiHeader(CONSISTENT)
  async listing(
    @Param('period') period: string,
    @Param('nodeId', new IdPipe()) nodeId: string,
    @Param('measure') measure: string,
    @Query('format') format: unknown,
    @Headers('x-consistent-with') position: string | undefined,
    @Req() req: HttpRequestLike,
  ) {
    const query = new GetAssessmentListing(principalOf(req), period, nodeId, measure, format, position);
    const { listing, format: as } = await this.queries.execute(query);
    if (as === 'json') return listing;
    const fields = [...new Set(listing.items.flatMap((item) => Object.keys(item)))];
    return fileResponse(
      'csv',
      toCsv(
        fields,
        listing.items.map((item) => fields.map((f) => item[f])),
      ),
      `assessment-${listing.period}-${nodeId}-${measure}`,
    );
  }
}
