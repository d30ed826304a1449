/** The tree and people of a subtree in the import template (XLSX), as of now or a past time (system admins). */
import { Controller, Get, Inject, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { QUERY_BUS, type QueryBus } from '../../application/queries/query-bus';
import { ExportDirectoryTemplate } from '../../read-models/audit-trail/template-export';
import { writeImportWorkbook } from '../import/spreadsheet-reader';
import { type HttpRequestLike, principalOf } from './http-exchange';
import { fileResponse } from './read-model-responses';

@ApiTags('import (导入)')
@Controller('exports')
export class DirectoryTemplateController {
  constructor(@Inject(QUERY_BUS) private readonly queries: QueryBus) {}

  @Get('directory-template')
  @ApiOperation({
    summary:
      'The tree and people of a subtree as the import workbook (组织, 人员), as of now, a recorded time or an effective date; full ID numbers, so system admins only, and recorded',
  })
  @ApiQuery({ name: 'root', required: false })
  @ApiQuery({ name: 'recordedAt', required: false })
  @ApiQuery({ name: 'effectiveOn', required: false })
  async template(
    @Req() req: HttpRequestLike,
    @Query('root') root?: string,
    @Query('recordedAt') recordedAt?: string,
    @Query('effectiveOn') effectiveOn?: string,
  ) {
    const template = await this.queries.execute(
      new ExportDirectoryTemplate(
        principalOf(req),
        root || undefined,
        recordedAt || undefined,
        effectiveOn || undefined,
      ),
    );
    return fileResponse('xlsx', await writeImportWorkbook(template), `directory-${template.root}`);
  }
}
