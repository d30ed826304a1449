/** `rebuild`: read models rebuilt from the event store into a new generation, then switched to (resumable). */
import { SingleBar } from 'cli-progress';
import { CLOCK, type Clock } from '../application/ports/clock.port';
import { ProjectionEngine } from '../application/projections/projection-engine';
import type { Command } from 'commander';
import { withApp } from './app-context';
import { APP_CONFIG, type AppConfig } from '../infrastructure/config/app-config';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { EVENT_STORE, type EventStore } from '../application/ports/event-store.port';
import { READ_STORE, type ReadStore } from '../application/ports/read-store.port';
import { SqliteEventStore } from '../infrastructure/event-store/sqlite/sqlite-event-store';
import { largestFirst, rebuildInParallel } from '../infrastructure/read-store/parallel-rebuild';
import { LiveFeedHub } from '../application/published-events/live-feed-hub';
import { liveFeedScopeIndex } from '../infrastructure/live-stream/scope-index-file';

/** The live feed hub's fold (its scope index), named as the read models are. */
const LIVE_FEED_SCOPES = 'live_feed_scopes';

/** A thread's commit may wait while another builds a large index at its promotion (minutes on a province). */
const REBUILD_BUSY_TIMEOUT_MS = 30 * 60_000;

export async function rebuildCommand(names: string[], options: { quiet?: boolean }): Promise<number> {
  return withApp(async (app) => {
    const engine = app.get(ProjectionEngine);
    const config = app.get<AppConfig>(APP_CONFIG);
    const projections = engine.projections.map((p) => p.name);
    // The live feeds' fold, kept beside the embedded store: rebuilt with the read models, or alone by its name.
    const all = config.esdbConnectionString ? projections : [...projections, LIVE_FEED_SCOPES];
    const chosen = names.length === 0 || names.includes('all') ? all : names;
    const chosenProjections = chosen.filter((n) => n !== LIVE_FEED_SCOPES);
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
    const show = (fraction: number, processed: number) => {
      const seconds = Math.max(0.001, (clock.now().getTime() - started) / 1000);
      if (!options.quiet) bar.update(Math.round(fraction * 1000), { processed, eps: Math.round(processed / seconds) });
    };
    const threads = config.rebuildThreads === 0 ? availableParallelism() : config.rebuildThreads;
    // Its own pass, on this thread beside the rebuild's: the service's first start on the store is then live at once.
    const scopes = chosen.includes(LIVE_FEED_SCOPES)
      ? foldLiveFeedScopes(app.get<EventStore>(EVENT_STORE), config.dataDir, clock)
      : null;
    // Awaited below; a failure of the read models' rebuild first must not leave this one unhandled.
    scopes?.catch(() => undefined);
    const embedded = app.get<EventStore>(EVENT_STORE) instanceof SqliteEventStore && !config.mongodbUri;
    let processed = 0;
    let threadPeaks: readonly number[] = [];
    if (embedded && threads > 1 && chosenProjections.length > 1) {
      const order = await largestFirst(app.get<ReadStore>(READ_STORE), engine.projections, chosenProjections);
      const result = await rebuildInParallel(
        {
          eventsFile: join(config.dataDir, 'events.sqlite'),
          readModelsFile: join(config.dataDir, 'read-models.sqlite'),
          timeZone: config.timeZone,
          batchSize: config.rebuildBatchSize,
          busyTimeoutMs: REBUILD_BUSY_TIMEOUT_MS,
        },
        order,
        threads,
        show,
        (level, message) => (level === 'error' ? process.stderr.write(`${message}\n`) : undefined),
      );
      processed = result.processed;
      threadPeaks = result.peakHeapBytes;
    } else if (chosenProjections.length > 0) {
      const result = await engine.rebuild(
        chosenProjections,
        (progress) => show(progress.fraction, progress.processed),
        config.rebuildBatchSize,
      );
      processed = result.processed;
    }
    const liveFeedScopes = await scopes;
    if (!options.quiet) bar.stop();
    const seconds = (clock.now().getTime() - started) / 1000;
    if (chosenProjections.length > 0)
      process.stderr.write(
        `已重建 ${chosenProjections.join('、')}：${processed} 个事件，用时 ${seconds.toFixed(1)} 秒\n`,
      );
    if (liveFeedScopes === 'held') process.stderr.write('实时事件流的范围索引由正在运行的服务维护，本次未重建\n');
    else if (liveFeedScopes)
      process.stderr.write(
        `实时事件流的范围索引：${liveFeedScopes.events} 个事件，用时 ${liveFeedScopes.seconds.toFixed(1)} 秒\n`,
      );
    // For scripts (the scale bench): the rebuild threads' heaps are not the CLI's own.
    const mib = (bytes: number) => Math.round(bytes / 2 ** 20);
    process.stdout.write(
      `${JSON.stringify({ readModels: chosenProjections, events: processed, seconds, threadPeakHeapMiB: threadPeaks.map(mib), liveFeedScopes })}\n`,
    );
    return 0;
  });
}

/** The live feed hub's fold, started over and brought to the head; `held` if a running service keeps it. */
async function foldLiveFeedScopes(
  store: EventStore,
  dataDir: string,
  clock: Clock,
): Promise<{ events: number; seconds: number } | 'held'> {
  const started = clock.now().getTime();
  const hub = new LiveFeedHub(store, undefined, undefined, liveFeedScopeIndex(dataDir));
  try {
    const events = await hub.catchUp({ startOver: true });
    return events === 'held' ? 'held' : { events, seconds: (clock.now().getTime() - started) / 1000 };
  } finally {
    await hub.stop();
  }
}

export function registerRebuild(program: Command): void {
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
}
