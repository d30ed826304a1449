/**
 * The lists operators work from (issue 23): accounts, work groups, the app inventory (清单, 001a:14),
 * tags and people by node, for administrators, each paged with a cursor or exported to CSV/XLSX
 * with instants shown in the jurisdiction's zone.
 */
import { Controller, Get, Headers, Inject, Param, Query, Req } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import { localDateTime } from '../../application/calendar/working-days';
import { QUERY_BUS, type QueryBus } from '../../application/queries/query-bus';
import { type ListName, LIST_NAMES, LISTS } from '../../read-models/inventory/inventory.lists';
import { InventoryQueryError, ListInventory } from '../../read-models/inventory/inventory.queries';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { type HttpRequestLike, principalOf } from './http-exchange';
import { CONSISTENT, fileResponse, toCsv, workbookOf } from './read-model-responses';

const FORMATS = ['json', 'csv', 'xlsx'] as const;

@ApiTags('lists (清单)')
@Controller('lists')
export class InventoryController {
  constructor(
    @Inject(QUERY_BUS) private readonly queries: QueryBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get(':list')
  @ApiOperation({
    summary:
      'A list for administrators (accounts, work-groups, apps, tags, people): filters, sort, order, cursor, limit; unitId (with subtree=true) narrows to a node; format=csv|xlsx exports every row',
  })
  @ApiParam({ name: 'list', enum: LIST_NAMES })
  @ApiQuery({ name: 'format', required: false, enum: FORMATS })
  @ApiHeader(CONSISTENT)
  async list(
    @Req() req: HttpRequestLike,
    @Param('list') list: string,
    @Query() query: Record<string, string | undefined>,
    @Headers('x-consistent-with') position?: string,
  ) {
    if (!(LIST_NAMES as string[]).includes(list))
      throw new InventoryQueryError('INVALID_LIST_QUERY', `没有名为 ${list} 的清单（可用：${LIST_NAMES.join('、')}）`);
    const { format = 'json', ...params } = query;
    if (!(FORMATS as readonly string[]).includes(format))
      throw new InventoryQueryError('INVALID_LIST_QUERY', 'format 应为 json、csv 或 xlsx');
    const name = list as ListName;
    const all = format !== 'json';
    const page = await this.queries.execute(new ListInventory(principalOf(req), name, params, all, position));
    if (!all) return page;
    const { columns } = LISTS[name];
    const cell = (value: unknown, kind?: 'instant' | 'list') => {
      if (value === null || value === undefined) return '';
      if (kind === 'instant' && typeof value === 'string' && value.length > 10)
        return localDateTime(new Date(value), this.config.timeZone);
      if (kind === 'list' && Array.isArray(value)) return value.join('、');
      return value;
    };
    const header = columns.map(([title]) => title);
    const rows = page.items.map((item) => columns.map(([, field, kind]) => cell(item[field], kind)));
    if (format === 'csv') return fileResponse('csv', toCsv(header, rows), name);
    return fileResponse('xlsx', await workbookOf(LIST_SHEETS[name], header, rows), name);
  }
}

const LIST_SHEETS: Readonly<Record<ListName, string>> = {
  accounts: '账号清单',
  'work-groups': '工作群清单',
  apps: '应用清单',
  tags: '标签清单',
  people: '人员清单',
};
