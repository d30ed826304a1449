/**
 * Command-line entry: `npm run cli -- <command>` (or `node dist/src/cli.js <command>`):
 * `bootstrap` (root node, first system admin and a token), `token` (a token for an existing
 * account or for the gateway service), `import`, `rebuild` (read models), `report assessment` (年度综合考核) and `verify` (hash chain). Uses the same configuration (environment
 * variables) and store as the service; the policies stay with the service.
 */
import 'reflect-metadata';
import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { SingleBar } from 'cli-progress';
import { Command } from 'commander';
import { AccessControl } from './application/access/access-control';
import { GetAccount } from './application/account/account.queries';
import { BootstrapJurisdiction, type BootstrapRequest } from './application/bootstrap/bootstrap-jurisdiction';
import { COMMAND_BUS, type CommandBus } from './application/commands/command-bus';
import { ImportDirectory, type ImportPlan, type ImportProblem } from './application/import/directory-import';
import { QUERY_BUS, type QueryBus } from './application/queries/query-bus';
import { CLOCK, type Clock } from './application/ports/clock';
import { EVENT_STORE, type EventStore } from './application/event-store/event-store.port';
import { verifyChain } from './application/integrity/hash-chain';
import { ProjectionEngine } from './application/projections/projection-engine';
import { activeGeneration, READ_STORE, type ReadStore } from './application/read-store/read-store.port';
import { AssessmentQueries } from './read-models/assessment/assessment.queries';
import { ASSESSMENT } from './read-models/assessment/assessment.projection';
import { InvalidPeriodError } from './read-models/assessment/period';
import { reportCsv, reportHtml, reportWorkbook } from './infrastructure/reports/assessment-report.render';
import { AppModule } from './infrastructure/app.module';
import { TokenService } from './infrastructure/auth/token-service';
import { DomainError } from './domain/shared/domain-error';
import type { EmploymentType } from './domain/person/person.decider';
import { APP_CONFIG, type AppConfig, ConfigurationError, loadConfig } from './infrastructure/config/app-config';
import { readImportFiles, UnreadableImportFile } from './infrastructure/import/spreadsheet-reader';
import { BackupError, backupEmbedded, restoreEmbedded } from './infrastructure/backup/embedded-backup';
import {
  JURISDICTION_SIZES,
  type JurisdictionSize,
  SYNTHETIC_ADMIN,
  writeSyntheticHistory,
} from './tools/synthetic/synthetic-jurisdiction';
import { timelinessOf, WORKING_DAY_CALENDAR, type WorkingDayCalendar } from './application/ports/working-day-calendar';

function printProblems(problems: readonly ImportProblem[]): void {
  process.stderr.write(`导入文件有 ${problems.length} 处错误，未写入任何数据：\n`);
  for (const problem of problems) process.stderr.write(`  ${problem.sheet} 第 ${problem.line} 行：${problem.reason}\n`);
}

/** The service's module graph without HTTP and without the policy engine (that is the service's job). */
async function withApp<T>(
  work: (app: Awaited<ReturnType<typeof NestFactory.createApplicationContext>>) => Promise<T>,
): Promise<T> {
  const config = loadConfig({
    ...process.env,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    POLICIES_ENABLED: 'false',
    PROJECTIONS_ENABLED: 'false',
  });
  const app = await NestFactory.createApplicationContext(AppModule.forConfig(config), { logger: false });
  try {
    return await work(app);
  } finally {
    await app.close();
  }
}

interface BootstrapOptions {
  rootId: string;
  rootName: string;
  personId: string;
  name: string;
  idNumber: string;
  gender: string;
  mobile: string;
  employment: EmploymentType;
  accountId: string;
  login: string;
  ttl: string;
}

async function bootstrapCommand(options: BootstrapOptions): Promise<number> {
  return withApp(async (app) => {
    const config = app.get<AppConfig>(APP_CONFIG);
    const request: BootstrapRequest = {
      root: { orgNodeId: options.rootId, name: options.rootName },
      admin: {
        personId: options.personId,
        name: options.name,
        idNumber: options.idNumber,
        gender: options.gender,
        mobile: options.mobile,
        officePhone: null,
        employment: {
          type: options.employment,
          establishmentType: options.employment === 'ON_ESTABLISHMENT' ? 'ADMINISTRATIVE' : null,
        },
        rank: null,
        politicalStatus: null,
        leadershipDuties: null,
      },
      account: { accountId: options.accountId, loginName: options.login },
    };
    const result = await app.get<CommandBus>(COMMAND_BUS).execute(new BootstrapJurisdiction(request));
    process.stderr.write(
      result.created.length > 0
        ? `辖区 ${config.jurisdiction} 已初始化：${result.created.join('，')}\n`
        : `辖区 ${config.jurisdiction} 此前已初始化，未作改动\n`,
    );
    process.stdout.write(
      `${await app.get(TokenService).issue({ kind: 'ACCOUNT', accountId: result.accountId }, options.ttl)}\n`,
    );
    return 0;
  });
}

async function tokenCommand(options: { account?: string; service?: string; ttl: string }): Promise<number> {
  if (!options.account === !options.service) {
    process.stderr.write('请指定 --account <账号编号> 或 --service <服务名>（二者选一）\n');
    return 2;
  }
  return withApp(async (app) => {
    if (options.account) {
      // The token command is the operator's: it reads the account as the platform itself.
      const platform = { kind: 'SERVICE' as const, name: 'cli' };
      const { account } = await app.get<QueryBus>(QUERY_BUS).execute(new GetAccount(platform, options.account));
      const status = account?.status ?? 'NONE';
      if (status === 'NONE' || status === 'CLOSED') {
        process.stderr.write(`账号 ${options.account} ${status === 'NONE' ? '不存在' : '已注销'}，不签发凭证\n`);
        return 1;
      }
      if (status !== 'ACTIVE')
        process.stderr.write(`注意：账号 ${options.account} 当前状态为 ${status}，凭用此凭证的请求将被拒绝（403）\n`);
    }
    const credential = options.account
      ? { kind: 'ACCOUNT' as const, accountId: options.account }
      : { kind: 'SERVICE' as const, name: options.service! };
    process.stdout.write(`${await app.get(TokenService).issue(credential, options.ttl)}\n`);
    return 0;
  });
}

async function importCommand(
  files: string[],
  options: { dryRun?: boolean; actor: string; sourceRef?: string },
): Promise<number> {
  return withApp(async (app) => {
    const started = Date.now();
    // The import is a system admin's act (bulk changes to the whole tree): the handler checks the account is one.
    const principal = await app.get(AccessControl).principalOf({ kind: 'ACCOUNT', accountId: options.actor });
    const sheets = async () =>
      readImportFiles(
        await Promise.all(files.map(async (file) => ({ name: basename(file), content: await readFile(file) }))),
      );
    const bar = new SingleBar({
      format: '导入人员 {bar} {percentage}% | {value}/{total} | {speed} 人/秒 | 剩余 {eta_formatted}',
      hideCursor: true,
      stream: process.stderr,
    });
    let applying = 0;
    const onPlanned = (plan: ImportPlan, counted: { orgRows: number; personRows: number }) => {
      const rows = `${counted.orgRows} 个组织、${counted.personRows} 名人员`;
      process.stderr.write(
        `已校验 ${rows}（${((Date.now() - started) / 1000).toFixed(1)} 秒）：新增组织 ${plan.orgCommands.length}，新增人员 ${plan.people.length}，已存在且相同而跳过 ${plan.skippedNodes + plan.skippedPeople}\n`,
      );
      if (plan.problems.length > 0 || options.dryRun) return;
      bar.start(plan.people.length, 0, { speed: '0' });
      applying = Date.now();
    };
    const onProgress = (done: number) => {
      bar.update(done, { speed: Math.round(done / Math.max(0.001, (Date.now() - applying) / 1000)).toString() });
    };
    const sourceRef = options.sourceRef ?? files.map((f) => basename(f)).join(', ');
    const command = new ImportDirectory(sheets, principal, {
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

const program = new Command().name('govcollab').description('政务协同办公平台 back end: command-line tools');
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

program
  .command('bootstrap')
  .description(
    'Create the root node, the first system admin (person and SYSTEM_ADMIN account, activated) and print a token for it',
  )
  .requiredOption('--root-name <name>', 'name of the root node, e.g. 青浦区')
  .option('--root-id <id>', 'id of the root node', 'root')
  .requiredOption('--name <name>', "the admin's real name")
  .requiredOption('--id-number <idNumber>', "the admin's 18-character ID number")
  .requiredOption('--gender <code>', 'GB/T 2261.1 code: 1 male, 2 female')
  .requiredOption('--mobile <mobile>', "the admin's 11-digit mobile")
  .option('--employment <type>', 'ON_ESTABLISHMENT, CONTRACTED or EXTERNAL_TEMPORARY', 'ON_ESTABLISHMENT')
  .option('--person-id <id>', "the admin's person id", 'p-admin')
  .option('--account-id <id>', "the admin's account id", 'acc-admin')
  .option('--login <loginName>', "the admin's login name", 'admin')
  .option('--ttl <duration>', 'token lifetime, e.g. 8h, 30d', '8h')
  .action(async (options: BootstrapOptions) => {
    process.exitCode = await bootstrapCommand(options);
  });

program
  .command('token')
  .description('Print a bearer token for an existing account, or for a service (the gateway that reports usage)')
  .option('--account <accountId>', 'the account the token stands for')
  .option('--service <name>', 'a service credential, e.g. gateway')
  .option('--ttl <duration>', 'token lifetime, e.g. 8h, 30d', '8h')
  .action(async (options: { account?: string; service?: string; ttl: string }) => {
    process.exitCode = await tokenCommand(options);
  });

async function rebuildCommand(names: string[], options: { quiet?: boolean }): Promise<number> {
  return withApp(async (app) => {
    const engine = app.get(ProjectionEngine);
    const all = engine.projections.map((p) => p.name);
    const chosen = names.length === 0 || names.includes('all') ? all : names;
    const unknown = chosen.filter((n) => !all.includes(n));
    if (unknown.length > 0) {
      process.stderr.write(`未知的读模型：${unknown.join('、')}（可选：${all.join('、')}、all）\n`);
      return 2;
    }
    const clock = app.get<Clock>(CLOCK);
    const started = clock.now().getTime();
    const bar = new SingleBar({
      format: '重建读模型 [{bar}] {percentage}% | {processed} 个事件 | {eps} 事件/秒 | 预计剩余 {eta_formatted}',
      hideCursor: true,
      etaBuffer: 50,
    });
    if (!options.quiet) bar.start(1000, 0, { processed: 0, eps: 0 });
    const { processed } = await engine.rebuild(chosen, (progress) => {
      const seconds = Math.max(0.001, (clock.now().getTime() - started) / 1000);
      if (!options.quiet)
        bar.update(Math.round(progress.fraction * 1000), {
          processed: progress.processed,
          eps: Math.round(progress.processed / seconds),
        });
    });
    if (!options.quiet) bar.stop();
    const seconds = (clock.now().getTime() - started) / 1000;
    process.stderr.write(`已重建 ${chosen.join('、')}：${processed} 个事件，用时 ${seconds.toFixed(1)} 秒\n`);
    return 0;
  });
}

async function verifyCommand(options: { rebuild?: boolean }): Promise<number> {
  const chainStatus = await withApp(async (app) => {
    const result = await verifyChain(app.get<EventStore>(EVENT_STORE), (checked) => {
      if (checked % 100_000 < 4096) process.stderr.write(`已校验 ${checked} 个事件…\n`);
    });
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    if (result.ok) process.stderr.write(`哈希链完整：${result.checked} 个事件，链头 ${result.headHash}\n`);
    else
      process.stderr.write(
        `哈希链在事件 ${result.firstBreak!.eventId}（${result.firstBreak!.streamId} 第 ${result.firstBreak!.revision} 版，位置 ${result.firstBreak!.position}）处断开：该事件或其之前的记录被改动\n`,
      );
    return result.ok ? 0 : 3;
  });
  if (chainStatus !== 0 || !options.rebuild) return chainStatus;
  return rebuildCommand([], { quiet: true });
}

/** The embedded store's files; EventStoreDB and MongoDB are backed up with their own tools (docs/operations.md). */
function embeddedDataDir(action: string): string | null {
  const config = loadConfig(process.env);
  if (config.esdbConnectionString) {
    process.stderr.write(
      `已配置 EventStoreDB：${action}请用其自带工具（见 docs/operations.md），本命令只处理内置存储\n`,
    );
    return null;
  }
  return config.dataDir;
}

async function backupCommand(target: string): Promise<number> {
  const dataDir = embeddedDataDir('备份');
  if (dataDir === null) return 2;
  const manifest = backupEmbedded(dataDir, target, new Date());
  process.stderr.write(
    `已备份 ${manifest.events} 个事件（链头位置 ${manifest.headPosition ?? '无'}）到 ${target}；可在服务运行时执行\n`,
  );
  process.stdout.write(`${JSON.stringify(manifest, null, 2)}\n`);
  return 0;
}

async function restoreCommand(source: string, options: { replace?: boolean }): Promise<number> {
  const dataDir = embeddedDataDir('恢复');
  if (dataDir === null) return 2;
  const { manifest, movedAside } = await restoreEmbedded(source, dataDir, new Date(), options.replace === true);
  // The chain was checked on the very file now in place (checked, then renamed): not read a second time.
  process.stderr.write(`哈希链完整：${manifest.events} 个事件，链头 ${manifest.headHash}\n`);
  process.stderr.write(
    `已从 ${source} 恢复 ${manifest.events} 个事件到 ${dataDir}（备份时间 ${manifest.createdAt}）\n`,
  );
  for (const file of movedAside) process.stderr.write(`  原文件已改名保留：${file}\n`);
  process.stderr.write('正在重建读模型…\n');
  return rebuildCommand([], { quiet: true });
}

program
  .command('rebuild')
  .description(
    'Rebuild read models from the event store into a new generation, then switch to it (resumable: run again after an interruption)',
  )
  .argument('[projections...]', 'names of the read models, or all (default)')
  .option('--quiet', 'no progress bar')
  .action(async (names: string[], options: { quiet?: boolean }) => {
    process.exitCode = await rebuildCommand(names, options);
  });

const REPORT_FORMATS = ['json', 'csv', 'xlsx', 'html'] as const;

async function assessmentReportCommand(options: {
  period: string;
  format: string;
  out?: string;
  rebuild?: boolean;
}): Promise<number> {
  if (!(REPORT_FORMATS as readonly string[]).includes(options.format)) {
    process.stderr.write(`--format 应为 ${REPORT_FORMATS.join('、')} 之一\n`);
    return 2;
  }
  return withApp(async (app) => {
    const readStore = app.get<ReadStore>(READ_STORE);
    // The service keeps the read model current; without one (or when asked) build it here first.
    if (options.rebuild || !activeGeneration(await readStore.generations(ASSESSMENT))) {
      process.stderr.write('正在构建考核读模型…\n');
      const { processed } = await app.get(ProjectionEngine).rebuild([ASSESSMENT]);
      process.stderr.write(`考核读模型已构建：${processed} 个事件\n`);
    }
    const report = await app.get(AssessmentQueries).report(options.period);
    const body =
      options.format === 'json'
        ? Buffer.from(`${JSON.stringify(report, null, 2)}\n`)
        : options.format === 'csv'
          ? Buffer.from(reportCsv(report), 'utf8')
          : options.format === 'xlsx'
            ? await reportWorkbook(report)
            : Buffer.from(reportHtml(report), 'utf8');
    if (options.out) {
      await writeFile(options.out, body);
      process.stderr.write(
        `已生成 ${report.period.label}考核报告：${options.out}（${report.units.length} 个节点，${report.ranking.length} 个单位参与排名）\n`,
      );
    } else process.stdout.write(body);
    return 0;
  });
}

const report = program.command('report').description('Reports from the read models');
report
  .command('assessment')
  .description('The assessment report (年度综合考核) of a period: 2025, 2025-Q3 or 2025-06')
  .requiredOption('--period <period>', 'a year (2025), quarter (2025-Q3) or month (2025-06)')
  .option('--format <format>', `one of ${REPORT_FORMATS.join(', ')}`, 'json')
  .option('--out <file>', 'write to this file instead of standard output')
  .option('--rebuild', 'rebuild the assessment read model from the events first')
  .action(async (options: { period: string; format: string; out?: string; rebuild?: boolean }) => {
    process.exitCode = await assessmentReportCommand(options);
  });

async function generateCommand(options: {
  size: string;
  seed: string;
  people?: string;
  groups?: string;
}): Promise<number> {
  if (!(options.size in JURISDICTION_SIZES)) {
    process.stderr.write(`--size 应为 ${Object.keys(JURISDICTION_SIZES).join('、')} 之一\n`);
    return 2;
  }
  const counts = [options.seed, options.people, options.groups].filter((v) => v !== undefined);
  if (counts.some((v) => !/^\d{1,9}$/.test(v!))) {
    process.stderr.write('--seed、--people、--groups 应为非负整数\n');
    return 2;
  }
  return withApp(async (app) => {
    const config = app.get<AppConfig>(APP_CONFIG);
    const store = app.get<EventStore>(EVENT_STORE);
    const calendar = app.get<WorkingDayCalendar>(WORKING_DAY_CALENDAR);
    const size = options.size as JurisdictionSize;
    const people = options.people === undefined ? JURISDICTION_SIZES[size].people : Number(options.people);
    const started = Date.now();
    const bar = new SingleBar({
      format: '生成 {bar} {percentage}% | {value}/{total} 人 | {events} 个事件 | {eps} 事件/秒 | 剩余 {eta_formatted}',
      hideCursor: true,
      stream: process.stderr,
      etaBuffer: 50,
    });
    bar.start(people + 1, 0, { events: 0, eps: 0 });
    const totals = await writeSyntheticHistory(
      store,
      {
        size,
        seed: Number(options.seed),
        jurisdiction: config.jurisdiction,
        people,
        groups: options.groups === undefined ? undefined : Number(options.groups),
        timeliness: (effectiveAt, recordedAt) =>
          timelinessOf(calendar, effectiveAt, recordedAt, config.timeZone, config.timelinessDeadlineDays),
        isWorkingDay: (date) => calendar.isWorkingDay(date),
      },
      (t) =>
        bar.update(t.people, {
          events: t.events,
          eps: Math.round(t.events / Math.max(0.001, (Date.now() - started) / 1000)),
        }),
    );
    bar.stop();
    const seconds = (Date.now() - started) / 1000;
    process.stderr.write(
      `已生成 ${config.jurisdiction}（${size}）：组织 ${totals.nodes}，人员 ${totals.people}，账号 ${totals.accounts}，工作群 ${totals.groups}，应用 ${totals.apps}；${totals.events} 个事件，用时 ${seconds.toFixed(1)} 秒\n`,
    );
    process.stderr.write(
      `系统管理员账号 ${SYNTHETIC_ADMIN.accountId}（npm run cli -- token --account ${SYNTHETIC_ADMIN.accountId}）\n`,
    );
    process.stdout.write(`${JSON.stringify({ ...totals, seconds })}\n`);
    return 0;
  });
}

program
  .command('generate')
  .description(
    'Write a seeded synthetic jurisdiction (tree, people with posts and history 2023–2025, accounts, work groups, apps) into the store; run again after an interruption to finish it',
  )
  .option('--size <size>', `one of ${Object.keys(JURISDICTION_SIZES).join(', ')}`, 'district')
  .option('--seed <n>', 'the seed: same seed and size, same events', '20251121')
  .option('--people <n>', "override the size's head count")
  .option('--groups <n>', "override the size's work-group count")
  .action(async (options: { size: string; seed: string; people?: string; groups?: string }) => {
    process.exitCode = await generateCommand(options);
  });

program
  .command('verify')
  .description(
    'Recompute the hash chain of every event and name the first one where it breaks (exit code 3); with --rebuild, then rebuild every read model',
  )
  .option('--rebuild', 'rebuild every read model once the chain is intact')
  .action(async (options: { rebuild?: boolean }) => {
    process.exitCode = await verifyCommand(options);
  });

program
  .command('backup')
  .description(
    'Online backup of the embedded event store (and the keys beside it) into a new directory, while the service runs',
  )
  .argument('<dir>', 'a new, empty directory')
  .action(async (dir: string) => {
    process.exitCode = await backupCommand(dir);
  });

program
  .command('restore')
  .description(
    "Check a backup (checksum, hash chain), put it in place as DATA_DIR's event store, then rebuild the read models; the service must be stopped",
  )
  .argument('<dir>', 'a directory written by backup')
  .option('--replace', 'replace an existing store (its files are renamed, not deleted)')
  .action(async (dir: string, options: { replace?: boolean }) => {
    process.exitCode = await restoreCommand(dir, options);
  });

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
