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
  UseInterceptors,
} from '@nestjs/common';
import { FilesInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { applyImport, planImport } from '../../application/import/directory-import';
import { OrgTreeService } from '../../application/org-tree/org-tree.service';
import { PersonService } from '../../application/person/person.service';
import { CLOCK, type Clock } from '../../application/ports/clock';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { readImportFiles, UnreadableImportFile } from '../import/spreadsheet-reader';
import { CommandHeaders } from './api-docs';
import { AccessControl } from '../../application/access/access-control';
import { type HttpRequestLike, type HttpResponseLike, principalOf } from './command-http';

@ApiTags('import (批量导入)')
@Controller('imports')
export class ImportController {
  constructor(
    @Inject(OrgTreeService) private readonly tree: OrgTreeService,
    @Inject(PersonService) private readonly people: PersonService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(AccessControl) private readonly access: AccessControl,
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
  @UseInterceptors(FilesInterceptor('files', 10, { limits: { fileSize: 64 * 1024 * 1024 } }))
  async import(
    @UploadedFiles() files: Array<{ originalname: string; buffer: Buffer }> | undefined,
    @Query('dryRun') dryRun: string | undefined,
    @Req() req: HttpRequestLike,
    @Res({ passthrough: true }) res: HttpResponseLike,
  ) {
    const principal = principalOf(req);
    this.access.authorize(principal, AccessControl.systemAdmin('批量导入组织和人员'));
    const actor = AccessControl.actorOf(principal);
    if (!files || files.length === 0)
      throw new HttpException(
        { code: 'VALIDATION_FAILED', message: '请上传导入文件（字段 files）' },
        HttpStatus.BAD_REQUEST,
      );
    let sheets;
    try {
      sheets = await readImportFiles(files.map((file) => ({ name: file.originalname, content: file.buffer })));
    } catch (error) {
      if (error instanceof UnreadableImportFile)
        throw new HttpException({ code: error.code, message: error.message }, HttpStatus.BAD_REQUEST);
      throw error;
    }
    const context = {
      tree: this.tree,
      people: this.people,
      today: this.clock.now().toISOString().slice(0, 10),
      jurisdiction: this.config.jurisdiction,
      actor,
    };
    const plan = await planImport(sheets.orgRows, sheets.personRows, context);
    const summary = {
      nodesToCreate: plan.orgCommands.length,
      peopleToRegister: plan.people.length,
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
    if (dryRun === 'true') return { dryRun: true, ...summary };
    const result = await applyImport(plan, context, {
      actor,
      jurisdiction: this.config.jurisdiction,
      sourceRef: files.map((f) => f.originalname).join(', '),
      reason: '批量导入',
    });
    res.status(result.failures.length > 0 ? HttpStatus.MULTI_STATUS : HttpStatus.OK);
    return { ...summary, ...result };
  }
}
