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
  constructor(@Inject(COMMAND_BUS) private readonly commands: CommandBus) {}

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
}
