/** `generate`: a seeded synthetic jurisdiction written into the store (run again after an interruption to finish it). */
import { SingleBar } from 'cli-progress';
import { EVENT_STORE, type EventStore } from '../application/ports/event-store.port';
import { APP_CONFIG, type AppConfig } from '../infrastructure/config/app-config';
import {
  JURISDICTION_SIZES,
  type JurisdictionSize,
  SYNTHETIC_ADMIN,
  writeSyntheticHistory,
} from '../tools/synthetic/synthetic-jurisdiction';
import { WORKING_DAY_CALENDAR, type WorkingDayCalendar } from '../application/ports/working-day-calendar.port';
import { timelinessOf } from '../application/calendar/working-days';
import type { Command } from 'commander';
import { withApp } from './app-context';

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

export function registerGenerate(program: Command): void {
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
}
