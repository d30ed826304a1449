/**
 * Command-line entry: `npm run cli -- import <files...>` (or `node dist/src/cli.js import …`).
 * Uses the same configuration (environment variables) and store as the service.
 */
import 'reflect-metadata';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { SingleBar } from 'cli-progress';
import { Command } from 'commander';
import { applyImport, type ImportProblem, planImport } from './application/import/directory-import';
import { OrgTreeService } from './application/org-structure/org-tree.service';
import { PersonService } from './application/people/person.service';
import { CLOCK, type Clock } from './application/ports/clock';
import { AppModule } from './infrastructure/app.module';
import { APP_CONFIG, type AppConfig, ConfigurationError, loadConfig } from './infrastructure/config/app-config';
import { readImportFiles, UnreadableImportFile } from './infrastructure/import/spreadsheet-reader';

function printProblems(problems: readonly ImportProblem[]): void {
  process.stderr.write(`导入文件有 ${problems.length} 处错误，未写入任何数据：\n`);
  for (const problem of problems) process.stderr.write(`  ${problem.sheet} 第 ${problem.line} 行：${problem.reason}\n`);
}

async function importCommand(files: string[], options: { dryRun?: boolean; actor: string; sourceRef?: string }): Promise<number> {
  const config = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
  const app = await NestFactory.createApplicationContext(AppModule.forConfig(config), { logger: false });
  try {
    const appConfig = app.get<AppConfig>(APP_CONFIG);
    const clock = app.get<Clock>(CLOCK);
    const started = Date.now();
    const sheets = await readImportFiles(await Promise.all(files.map(async (file) => ({ name: basename(file), content: await readFile(file) }))));
    const actor = { accountId: options.actor, role: 'SYSTEM_ADMIN' as const };
    const context = { tree: app.get(OrgTreeService), people: app.get(PersonService), today: clock.now().toISOString().slice(0, 10), jurisdiction: appConfig.jurisdiction, actor };
    const plan = await planImport(sheets.orgRows, sheets.personRows, context);
    process.stderr.write(
      `已校验 ${sheets.orgRows.length} 个组织、${sheets.personRows.length} 名人员（${((Date.now() - started) / 1000).toFixed(1)} 秒）：新增组织 ${plan.orgCommands.length}，新增人员 ${plan.people.length}，已存在且相同而跳过 ${plan.skippedNodes + plan.skippedPeople}\n`,
    );
    if (plan.problems.length > 0) {
      printProblems(plan.problems);
      return 1;
    }
    if (options.dryRun) return 0;
    const bar = new SingleBar({ format: '导入人员 {bar} {percentage}% | {value}/{total} | {speed} 人/秒 | 剩余 {eta_formatted}', hideCursor: true, stream: process.stderr });
    bar.start(plan.people.length, 0, { speed: '0' });
    const applying = Date.now();
    const result = await applyImport(plan, context, { actor, jurisdiction: appConfig.jurisdiction, sourceRef: options.sourceRef ?? files.map((f) => basename(f)).join(', '), reason: '批量导入' }, (done) => {
      bar.update(done, { speed: Math.round(done / Math.max(0.001, (Date.now() - applying) / 1000)).toString() });
    });
    bar.stop();
    process.stderr.write(`完成：新增组织 ${result.nodesCreated}，新增人员 ${result.peopleRegistered}，用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒\n`);
    if (result.failures.length > 0) {
      printProblems(result.failures);
      return 1;
    }
    return 0;
  } finally {
    await app.close();
  }
}

const program = new Command().name('govcollab').description('政务协同办公平台 back end: command-line tools');
program
  .command('import')
  .description('Import an org tree and its people from the XLSX template (sheets 组织, 人员) or CSV files')
  .argument('<files...>', '.xlsx or .csv files')
  .option('--dry-run', 'validate only, write nothing')
  .option('--actor <accountId>', 'the account recorded as the actor', 'cli-import')
  .option('--source-ref <ref>', 'source reference recorded on every event (default: the file names)')
  .action(async (files: string[], options) => {
    process.exitCode = await importCommand(files, options);
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof ConfigurationError || error instanceof UnreadableImportFile) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 2;
    return;
  }
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
