/**
 * Command-line entry: `npm run cli -- <command>` (or `node dist/src/cli.js <command>`). Each command
 * is one file under src/cli/ and dispatches on the buses of the service's own module graph; the
 * policies, projections and webhook delivery stay with the service. Errors end as exit codes:
 * 1 a refused rule, 2 a bad argument, configuration or file.
 */
import 'reflect-metadata';
import { Command } from 'commander';
import { registerBackup } from './cli/backup';
import { registerBootstrap } from './cli/bootstrap';
import { registerGenerate } from './cli/generate';
import { registerImport } from './cli/import';
import { registerProof } from './cli/proof';
import { registerRebuild } from './cli/rebuild';
import { registerReport } from './cli/report';
import { registerLoginLink, registerToken } from './cli/token';
import { registerVerify } from './cli/verify';
import { DomainError } from './domain/shared/domain-error';
import { BackupError } from './infrastructure/backup/embedded-backup';
import { ConfigurationError } from './infrastructure/config/app-config';
import { UnreadableImportFile } from './infrastructure/import/spreadsheet-reader';
import { InvalidPeriodError } from './read-models/assessment/period';
import { privateByDefault } from './infrastructure/system/data-directory';

// Files the CLI creates (stores, backups, reports) are the owner's alone.
privateByDefault();

const program = new Command().name('govcollab').description('政务协同办公平台 back end: command-line tools');
for (const register of [
  registerImport,
  registerBootstrap,
  registerToken,
  registerLoginLink,
  registerRebuild,
  registerReport,
  registerGenerate,
  registerVerify,
  registerProof,
  registerBackup,
])
  register(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof DomainError) {
    process.stderr.write(`${error.code}：${error.message}\n`);
    process.exitCode = 1;
    return;
  }
  if (error instanceof BackupError) {
    process.stderr.write(`${error.code}：${error.message}\n`);
    process.exitCode = 2;
    return;
  }
  if (
    error instanceof ConfigurationError ||
    error instanceof UnreadableImportFile ||
    error instanceof InvalidPeriodError
  ) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 2;
    return;
  }
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
