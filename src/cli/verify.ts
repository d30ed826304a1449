/**
 * `verify`: the hash chain recomputed over every event; the Merkle log's every leaf recomputed and
 * the tree checked against every checkpoint ever signed and every one given with --checkpoint (an
 * auditor's kept signed notes); with --rebuild, then every read model rebuilt.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { verifyChain } from '../application/integrity/hash-chain';
import { verifyLog } from '../application/integrity/log-verification';
import { IntegrityProofs } from '../application/integrity/proofs.queries';
import { EVENT_STORE, type EventStore } from '../application/ports/event-store.port';
import { withApp } from './app-context';
import { catchUpIntegrityLog } from './proof';
import { rebuildCommand } from './rebuild';

const progress = (what: string) => (checked: number) => {
  if (checked % 100_000 < 4096) process.stderr.write(`${what} ${checked} 个事件…\n`);
};

async function verifyCommand(options: { rebuild?: boolean; checkpoint?: string[] }): Promise<number> {
  const kept = (options.checkpoint ?? []).map((file) => readFileSync(file, 'utf8'));
  const status = await withApp(async (app) => {
    const store = app.get<EventStore>(EVENT_STORE);
    const chain = await verifyChain(store, progress('已校验哈希链'));
    if (chain.ok) process.stderr.write(`哈希链完整：${chain.checked} 个事件，链头 ${chain.headHash}\n`);
    else
      process.stderr.write(
        `哈希链在事件 ${chain.firstBreak!.eventId}（${chain.firstBreak!.streamId} 第 ${chain.firstBreak!.revision} 版，位置 ${chain.firstBreak!.position}）处断开：该事件或其之前的记录被改动\n`,
      );
    await catchUpIntegrityLog(app);
    const proofs = app.get(IntegrityProofs);
    const log = await verifyLog(store, proofs.log, proofs.key, kept, progress('已重算默克尔叶子'));
    process.stdout.write(`${JSON.stringify({ ...chain, ok: chain.ok && log.ok, log }, null, 2)}\n`);
    const mismatch = log.firstMismatch;
    if (mismatch)
      process.stderr.write(
        `默克尔日志第 ${mismatch.leafIndex} 个叶子与存储的事件不符（${mismatch.reason}：日志记录的是事件 ${mismatch.loggedEventId}，存储中此处是 ${mismatch.eventId ?? '（无）'}）：该事件被改动、删除或调换了顺序\n`,
      );
    const inconsistent = log.checkpoints.firstInconsistent;
    if (inconsistent)
      process.stderr.write(
        `${inconsistent.kept ? '所保存的' : '已签署的'}第 ${inconsistent.size} 个事件处的检查点与现有历史不一致（${inconsistent.reason}）：历史已被改写\n`,
      );
    if (log.ok)
      process.stderr.write(
        `默克尔日志一致：${log.events} 个事件，根哈希 ${log.rootHash}，与 ${log.checkpoints.checked} 个检查点一致\n`,
      );
    return chain.ok && log.ok ? 0 : 3;
  });
  if (status !== 0 || !options.rebuild) return status;
  return rebuildCommand([], { quiet: true });
}

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description(
      'Recompute the hash chain and every leaf of the Merkle log, check the tree against every signed checkpoint (and those given), and name the first event where it breaks (exit code 3); with --rebuild, then rebuild every read model',
    )
    .option('--checkpoint <files...>', 'signed checkpoints kept elsewhere (signed notes) that the history must extend')
    .option('--rebuild', 'rebuild every read model once the history is intact')
    .action(async (options: { rebuild?: boolean; checkpoint?: string[] }) => {
      process.exitCode = await verifyCommand(options);
    });
}
