import {
  Controller,
  HttpCode,
  HttpException,
  HttpStatus,
  Inject,
  Post,
  Query,
  Req,
  Res,
  UploadedFiles,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { FilesInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { COMMAND_BUS, type CommandBus } from '../../application/commands/command-bus';
import { ImportDirectory } from '../../application/import/directory-import';
import { UpdateDirectory } from '../../application/import/directory-update';
import { AccessControl } from '../../application/access/access-control';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { spreadsheetSource, UnreadableImportFile } from '../import/spreadsheet-reader';
import { CommandHeaders } from './api-docs';
import { SystemAdminBeforeUpload, UploadGuard } from '../auth/auth.guard';

/** An import's upload: a few workbooks or CSV files, each well within what a province's tree and people take. */
const MAX_FILES = 4;
const MAX_FILE_BYTES = 32 * 1024 * 1024;
import { type HttpRequestLike, type HttpResponseLike, principalOf } from './http-exchange';

@ApiTags('import (批量导入)')
@Controller('imports')
export class ImportController {
  constructor(
    @Inject(COMMAND_BUS) private readonly commands: CommandBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  @CommandHeaders()
  @ApiOperation({
    summary:
      'Import the org tree and people from the XLSX template or CSV files; validated whole before anything is written',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: { type: 'object', properties: { files: { type: 'array', items: { type: 'string', format: 'binary' } } } },
  })
  @ApiQuery({ name: 'dryRun', required: false, type: Boolean })
  @SystemAdminBeforeUpload('批量导入组织和人员')
  @UseGuards(UploadGuard)
  @UseInterceptors(FilesInterceptor('files', MAX_FILES, { limits: { fileSize: MAX_FILE_BYTES, files: MAX_FILES } }))
  async import(
    @UploadedFiles() files: Array<{ originalname: string; buffer: Buffer }> | undefined,
    @Query('dryRun') dryRun: string | undefined,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    if (!files || files.length === 0)
      throw new HttpException(
        { code: 'VALIDATION_FAILED', message: '请上传导入文件（字段 files）' },
        HttpStatus.BAD_REQUEST,
      );
    const source = spreadsheetSource(files.map((file) => ({ name: file.originalname, content: file.buffer })));
    const sourceRef = files.map((f) => f.originalname).join(', ');
    const options = { dryRun: dryRun === 'true', sourceRef };
    const { plan, result } = await this.commands
      .execute(new ImportDirectory(source, principalOf(req), options))
      .catch((error: unknown) => {
        // Read while planned: an unreadable file is found then, before anything is written.
        if (error instanceof UnreadableImportFile)
          throw new HttpException({ code: error.code, message: error.message }, HttpStatus.BAD_REQUEST);
        throw error;
      });
    const summary = {
      nodesToCreate: plan.orgCommands.length,
      peopleToRegister: plan.peopleToRegister,
      skipped: plan.skippedNodes + plan.skippedPeople,
    };
    if (plan.problems.length > 0) {
      throw new HttpException(
        {
          code: 'IMPORT_INVALID',
          message: `导入文件有 ${plan.problems.length} 处错误，未写入任何数据`,
          details: { problems: plan.problems, ...summary },
        },
        HttpStatus.UNPROCESSABLE_ENTITY,
      );
    }
    if (result === null) return { dryRun: true, ...summary };
    res.status(result.failures.length > 0 ? HttpStatus.MULTI_STATUS : HttpStatus.OK);
    return { ...summary, ...result };
  }

  @Post('updates')
  @HttpCode(HttpStatus.OK)
  @CommandHeaders()
  @ApiOperation({
    summary:
      'Import as update: the differences between a changed workbook and the tree and people as they stand (new, renamed, moved, changed, transferred, gone), previewed (dryRun) or applied as one batch (GET /batches/{batchId})',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: { type: 'object', properties: { files: { type: 'array', items: { type: 'string', format: 'binary' } } } },
  })
  @ApiQuery({ name: 'batchId' })
  @ApiQuery({ name: 'dryRun', required: false, type: Boolean })
  @ApiQuery({ name: 'effectiveAt', required: false, description: '业务发生日期 of the changes, YYYY-MM-DD' })
  @ApiQuery({ name: 'sourceRef', required: false, description: '依据文号' })
  @SystemAdminBeforeUpload('按导入文件更新组织和人员')
  @UseGuards(UploadGuard)
  @UseInterceptors(FilesInterceptor('files', MAX_FILES, { limits: { fileSize: MAX_FILE_BYTES, files: MAX_FILES } }))
  async update(
    @UploadedFiles() files: Array<{ originalname: string; buffer: Buffer }> | undefined,
    @Query('batchId') batchId: string | undefined,
    @Query('dryRun') dryRun: string | undefined,
    @Query('effectiveAt') effectiveAt: string | undefined,
    @Query('sourceRef') sourceRef: string | undefined,
    @Req() req: HttpRequestLike,
  ) {
    const bad = (message: string) => new HttpException({ code: 'VALIDATION_FAILED', message }, HttpStatus.BAD_REQUEST);
    if (!files || files.length === 0) throw bad('请上传导入文件（字段 files）');
    if (!/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/.test(batchId ?? ''))
      throw bad('batchId 应为 1–128 位字母、数字或 _ . : -');
    if (effectiveAt !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(effectiveAt)) throw bad('effectiveAt 应为 YYYY-MM-DD');
    const principal = principalOf(req);
    const metadata = {
      actor: AccessControl.actorOf(principal),
      jurisdiction: this.config.jurisdiction,
      reason: '按导入文件更新',
      sourceRef: sourceRef ?? files.map((f) => f.originalname).join(', '),
      ...(effectiveAt ? { effectiveAt } : {}),
    };
    const source = spreadsheetSource(files.map((file) => ({ name: file.originalname, content: file.buffer })));
    return this.commands
      .execute(new UpdateDirectory(source, batchId!, dryRun === 'true', metadata, principal))
      .catch((error: unknown) => {
        if (error instanceof UnreadableImportFile)
          throw new HttpException({ code: error.code, message: error.message }, HttpStatus.BAD_REQUEST);
        throw error;
      });
  }
}
