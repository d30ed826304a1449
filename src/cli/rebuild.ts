/** `rebuild`: read models rebuilt from the event store into a new generation, then switched to (resumable). */
import { SingleBar } from 'cli-progress';
import { CLOCK, type Clock } from '../application/ports/clock.port';
import { ProjectionEngine } from '../application/projections/projection-engine';
import type { Command } from 'commander';
import { withApp } from './app-context';
import { APP_CONFIG, type AppConfig } from '../infrastructure/config/app-config';

export async function rebuildCommand(names: string[], options: { quiet?: boolean }): Promise<number> {
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
    const { rebuildBatchSize } = app.get<AppConfig>(APP_CONFIG);
    const { processed } = await engine.rebuild(
      chosen,
      (progress) => {
        const seconds = Math.max(0.001, (clock.now().getTime() - started) / 1000);
        if (!options.quiet)
          bar.update(Math.round(progress.fraction * 1000), {
            processed: progress.processed,
            eps: Math.round(progress.processed / seconds),
          });
      },
      rebuildBatchSize,
    );
    if (!options.quiet) bar.stop();
    const seconds = (clock.now().getTime() - started) / 1000;
    process.stderr.write(`已重建 ${chosen.join('、')}：${processed} 个事件，用时 ${seconds.toFixed(1)} 秒\n`);
    return 0;
  });
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
