/** `import`: an org tree and its people from the XLSX template or CSV files, validated whole before anything is written. */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { SingleBar } from 'cli-progress';
import { AccessControl } from '../application/access/access-control';
import { COMMAND_BUS, type CommandBus } from '../application/commands/command-bus';
import { ImportDirectory, type ImportPlan } from '../application/import/directory-import';
import { spreadsheetSource } from '../infrastructure/import/spreadsheet-reader';
import type { Command } from 'commander';
import { printProblems, withApp } from './app-context';

async function importCommand(
  files: string[],
  options: { dryRun?: boolean; actor: string; sourceRef?: string },
): Promise<number> {
  return withApp(async (app) => {
    const started = Date.now();
    // The import is a system admin's act (bulk changes to the whole tree): the handler checks the account is one.
    const principal = await app.get(AccessControl).principalOf({ kind: 'ACCOUNT', accountId: options.actor });
    // The files' bytes are held (a city's workbook is tens of MiB); their rows are streamed, twice.
    const source = spreadsheetSource(
      await Promise.all(files.map(async (file) => ({ name: basename(file), content: await readFile(file) }))),
    );
    const bar = new SingleBar({
      format: '导入人员 {bar} {percentage}% | {value}/{total} | {speed} 人/秒 | 剩余 {eta_formatted}',
      hideCursor: true,
      stream: process.stderr,
    });
    let applying = 0;
    const onPlanned = (plan: ImportPlan) => {
      const rows = `${plan.rows.org} 个组织、${plan.rows.person} 名人员`;
      process.stderr.write(
        `已校验 ${rows}（${((Date.now() - started) / 1000).toFixed(1)} 秒）：新增组织 ${plan.orgCommands.length}，新增人员 ${plan.peopleToRegister}，已存在且相同而跳过 ${plan.skippedNodes + plan.skippedPeople}\n`,
      );
      if (plan.problems.length > 0 || options.dryRun) return;
      bar.start(plan.peopleToRegister, 0, { speed: '0' });
      applying = Date.now();
    };
    const onProgress = (done: number) => {
      bar.update(done, { speed: Math.round(done / Math.max(0.001, (Date.now() - applying) / 1000)).toString() });
    };
    const sourceRef = options.sourceRef ?? files.map((f) => basename(f)).join(', ');
    const command = new ImportDirectory(source, principal, {
      dryRun: options.dryRun,
      sourceRef,
      onPlanned,
      onProgress,
    });
    const { plan, result } = await app.get<CommandBus>(COMMAND_BUS).execute(command);
    if (plan.problems.length > 0) {
      printProblems(plan.problems);
      return 1;
    }
    if (result === null) return 0;
    bar.stop();
    process.stderr.write(
      `完成：新增组织 ${result.nodesCreated}，新增人员 ${result.peopleRegistered}，用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒\n`,
    );
    if (result.failures.length > 0) {
      printProblems(result.failures);
      return 1;
    }
    return 0;
  });
}

export function registerImport(program: Command): void {
  program
    .command('import')
    .description('Import an org tree and its people from the XLSX template (sheets 组织, 人员) or CSV files')
    .argument('<files...>', '.xlsx or .csv files')
    .option('--dry-run', 'validate only, write nothing')
    .requiredOption('--actor <accountId>', 'the acting system-admin account (recorded as the actor)')
    .option('--source-ref <ref>', 'source reference recorded on every event (default: the file names)')
    .action(async (files: string[], options) => {
      process.exitCode = await importCommand(files, options);
    });
}
