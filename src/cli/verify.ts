/** `verify`: the hash chain recomputed over every event; with --rebuild, then every read model rebuilt. */
import { EVENT_STORE, type EventStore } from '../application/ports/event-store.port';
import { verifyChain } from '../application/integrity/hash-chain';
import type { Command } from 'commander';
import { withApp } from './app-context';
import { rebuildCommand } from './rebuild';

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

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description(
      'Recompute the hash chain of every event and name the first one where it breaks (exit code 3); with --rebuild, then rebuild every read model',
    )
    .option('--rebuild', 'rebuild every read model once the chain is intact')
    .action(async (options: { rebuild?: boolean }) => {
      process.exitCode = await verifyCommand(options);
    });
}
