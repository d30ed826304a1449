/**
 * Batch operations (批量操作, issue 23): submitted as JSON rows or as an uploaded sheet, previewed
 * with dryRun (every row checked, the refused ones listed by line), applied (decided whole, then
 * carried out row by row), and read back with the result of every row, as JSON, CSV or XLSX.
 */
import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpException,
  HttpStatus,
  Inject,
  Param,
  Post,
  Query,
  Req,
  UploadedFile,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiOperation, ApiProperty, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { AccessControl } from '../../application/access/access-control';
import { OPERATIONS } from '../../application/batch/batch-rows';
import { PlanBatch, type SubmittedRow } from '../../application/batch/batch.commands';
import { GetBatch } from '../../application/batch/batch.queries';
import { byPrincipal, COMMAND_BUS, type CommandBus } from '../../application/commands/command-bus';
import { QUERY_BUS, type QueryBus } from '../../application/queries/query-bus';
import { BATCH_MAX_ROWS, BATCH_OPERATIONS, type BatchOperation } from '../../domain/batch/batch.decider';
import { AdministratorBeforeUpload, UploadGuard } from '../auth/auth.guard';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { readBatchSheet } from '../import/batch-sheet';
import { UnreadableImportFile } from '../import/spreadsheet-reader';
import { type HttpRequestLike, principalOf } from './http-exchange';
import { fileResponse, toCsv, workbookOf } from './read-model-responses';

const BATCH_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

class BatchRowDto {
  @ApiProperty({ description: 'What the row acts on: a person id, or an account id for FREEZE and CLOSE' })
  @IsString()
  @MaxLength(128)
  target!: string;

  @ApiProperty({ description: 'The operation’s fields, e.g. { "toOrgNodeId": "edu", "title": "科员" } for TRANSFER' })
  @IsObject()
  fields!: Record<string, string>;
}

export class BatchDto {
  @ApiProperty({ description: 'Chosen by the client: the same id again is the same batch (nothing applied twice)' })
  @Matches(BATCH_ID)
  batchId!: string;

  @ApiProperty({ enum: BATCH_OPERATIONS })
  @IsIn(BATCH_OPERATIONS)
  operation!: BatchOperation;

  @ApiProperty({ type: [BatchRowDto] })
  @IsArray()
  @ArrayMaxSize(BATCH_MAX_ROWS)
  @ValidateNested({ each: true })
  @Type(() => BatchRowDto)
  rows!: BatchRowDto[];

  @ApiProperty({ required: false, description: 'Check every row and list the refused ones; write nothing' })
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;

  @ApiProperty({ required: false, description: '文号 of the notice behind the batch (person changes need it, 000:9)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  sourceRef?: string;

  @ApiProperty({ required: false, description: '业务发生日期 of every row (person changes need it), YYYY-MM-DD' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  effectiveAt?: string;
}

const RESULT_LABELS = { DONE: '已办理', UNCHANGED: '无需变更', REFUSED: '未办理', PENDING: '办理中' } as const;

@ApiTags('batches (批量操作)')
@Controller('batches')
export class BatchController {
  constructor(
    @Inject(COMMAND_BUS) private readonly commands: CommandBus,
    @Inject(QUERY_BUS) private readonly queries: QueryBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private plan(
    req: HttpRequestLike,
    batchId: string,
    operation: BatchOperation,
    rows: SubmittedRow[],
    dryRun: boolean,
    meta: { reason?: string; sourceRef?: string; effectiveAt?: string },
  ) {
    const principal = principalOf(req);
    const metadata = {
      actor: AccessControl.actorOf(principal),
      jurisdiction: this.config.jurisdiction,
      reason: meta.reason ?? null,
      sourceRef: meta.sourceRef ?? null,
      ...(meta.effectiveAt ? { effectiveAt: meta.effectiveAt } : {}),
    };
    return this.commands.execute(new PlanBatch(batchId, operation, rows, dryRun, metadata, byPrincipal(principal)));
  }

  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Preview (dryRun) or apply a batch of rows: TRANSFER, DEPARTURE, FREEZE, CLOSE, ADD_TO_TAG, ADD_TO_GROUP',
  })
  submit(@Req() req: HttpRequestLike, @Body() body: BatchDto) {
    const rows = body.rows.map((row, i) => ({ line: i + 1, target: row.target, fields: row.fields }));
    return this.plan(req, body.batchId, body.operation, rows, body.dryRun === true, body);
  }

  @Post('upload')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary:
      'Preview (dryRun=true) or apply a batch from an uploaded sheet (XLSX or CSV); rows are named by their line',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiQuery({ name: 'operation', enum: BATCH_OPERATIONS })
  @ApiQuery({ name: 'batchId' })
  @ApiQuery({ name: 'dryRun', required: false, type: Boolean })
  @ApiQuery({ name: 'effectiveAt', required: false, description: '业务发生日期, YYYY-MM-DD' })
  @ApiQuery({ name: 'sourceRef', required: false, description: '依据文号' })
  @ApiQuery({ name: 'reason', required: false })
  @AdministratorBeforeUpload('批量操作')
  @UseGuards(UploadGuard)
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: 16 * 1024 * 1024, files: 1 } }))
  async upload(
    @Req() req: HttpRequestLike,
    @UploadedFile() file: { originalname: string; buffer: Buffer } | undefined,
    @Query('operation') operation: string,
    @Query('batchId') batchId: string,
    @Query('dryRun') dryRun?: string,
    @Query('effectiveAt') effectiveAt?: string,
    @Query('sourceRef') sourceRef?: string,
    @Query('reason') reason?: string,
  ) {
    const bad = (message: string) => new HttpException({ code: 'VALIDATION_FAILED', message }, HttpStatus.BAD_REQUEST);
    if (!file) throw bad('请上传批量操作表（字段 file）');
    if (!(BATCH_OPERATIONS as readonly string[]).includes(operation))
      throw bad(`operation 应为 ${BATCH_OPERATIONS.join('、')} 之一`);
    if (!BATCH_ID.test(batchId ?? '')) throw bad('batchId 应为 1–128 位字母、数字或 _ . : -');
    const op = operation as BatchOperation;
    const rows = await readBatchSheet(file.originalname, file.buffer, OPERATIONS[op]).catch((error: unknown) => {
      if (error instanceof UnreadableImportFile)
        throw new HttpException({ code: error.code, message: error.message }, HttpStatus.BAD_REQUEST);
      throw error;
    });
    if (rows.length > BATCH_MAX_ROWS) throw bad(`批量操作最多 ${BATCH_MAX_ROWS} 行，请分批提交`);
    if (effectiveAt !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(effectiveAt)) throw bad('effectiveAt 应为 YYYY-MM-DD');
    if ((sourceRef?.length ?? 0) > 200 || (reason?.length ?? 0) > 500)
      throw bad('sourceRef 最长 200 字，reason 最长 500 字');
    return this.plan(req, batchId, op, rows, dryRun === 'true', { sourceRef, reason, effectiveAt });
  }

  @Get(':batchId')
  @ApiOperation({ summary: 'A batch and the result of every row (format=csv|xlsx: the result sheet)' })
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'csv', 'xlsx'] })
  async result(@Req() req: HttpRequestLike, @Param('batchId') batchId: string, @Query('format') format = 'json') {
    if (!['json', 'csv', 'xlsx'].includes(format))
      throw new HttpException(
        { code: 'VALIDATION_FAILED', message: 'format 应为 json、csv 或 xlsx' },
        HttpStatus.BAD_REQUEST,
      );
    const report = await this.queries.execute(new GetBatch(principalOf(req), batchId));
    if (format === 'json') return report;
    const header = ['行号', '对象', '结果', '原因代码', '原因'];
    const rows = report.rows.map((r) => [r.line, r.target, RESULT_LABELS[r.result], r.code ?? '', r.reason ?? '']);
    if (format === 'csv') return fileResponse('csv', toCsv(header, rows), `batch-${batchId}`);
    return fileResponse('xlsx', await workbookOf('办理结果', header, rows), `batch-${batchId}`);
  }
}
