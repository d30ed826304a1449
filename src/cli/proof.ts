/**
 * `proof`: a self-contained proof file for one event (the event, its leaf, the inclusion path,
 * the signed checkpoint and the verifier key), read through the query bus as the account the
 * operator names; `checkpoint`: sign a checkpoint now. Both first bring the Merkle log up to the
 * store's head here (the service does it continuously; the CLI may run without it).
 */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { AccessControl } from '../application/access/access-control';
import { byPrincipal, COMMAND_BUS, type CommandBus } from '../application/commands/command-bus';
import { SignCheckpoint } from '../application/integrity/integrity-log.commands';
import { ProveInclusion } from '../application/integrity/proofs.queries';
import { CLOCK, type Clock } from '../application/ports/clock.port';
import { EVENT_STORE, type EventStore } from '../application/ports/event-store.port';
import { READ_STORE, type ReadStore } from '../application/ports/read-store.port';
import { ProjectionEngine } from '../application/projections/projection-engine';
import { QUERY_BUS, type QueryBus } from '../application/queries/query-bus';
import { APP_CONFIG, type AppConfig } from '../infrastructure/config/app-config';
import { integrityLogProjection } from '../read-models/integrity-log/integrity-log.projection';
import { withApp } from './app-context';

type App = Parameters<Parameters<typeof withApp>[0]>[0];

/** Feeds the Merkle log up to the store's head, alone. */
export async function catchUpIntegrityLog(app: App): Promise<void> {
  const store = app.get<EventStore>(EVENT_STORE);
  const quiet = { info: () => undefined, error: (message: string) => process.stderr.write(`${message}\n`) };
  const engine = new ProjectionEngine(
    store,
    app.get<ReadStore>(READ_STORE),
    [integrityLogProjection],
    app.get<Clock>(CLOCK),
    quiet,
  );
  const head = await store.headPosition();
  if (head === null) return;
  await engine.start();
  try {
    // A log never built is built by the engine's build feed first, then followed live.
    while (!(await engine.waitFor(head, 60_000)));
  } finally {
    await engine.stop();
  }
}

async function principalOf(app: App, accountId: string) {
  return app.get(AccessControl).principalOf({ kind: 'ACCOUNT', accountId });
}

async function sign(app: App, accountId: string) {
  const principal = await principalOf(app, accountId);
  const { jurisdiction } = app.get<AppConfig>(APP_CONFIG);
  const metadata = { actor: AccessControl.actorOf(principal), jurisdiction };
  return app.get<CommandBus>(COMMAND_BUS).execute(new SignCheckpoint(metadata, byPrincipal(principal)));
}

async function proofCommand(options: { event: string; as: string; checkpoint?: string; full?: boolean; out?: string }) {
  return withApp(async (app) => {
    await catchUpIntegrityLog(app);
    const principal = await principalOf(app, options.as);
    const query = () => new ProveInclusion(principal, options.event, options.checkpoint, options.full ?? false);
    let proof;
    try {
      proof = await app.get<QueryBus>(QUERY_BUS).execute(query());
    } catch (error) {
      // Not covered yet and no checkpoint asked for: sign one now (as that account), then prove.
      if ((error as { code?: string }).code !== 'EVENT_NOT_YET_CHECKPOINTED') throw error;
      await sign(app, options.as);
      await catchUpIntegrityLog(app);
      proof = await app.get<QueryBus>(QUERY_BUS).execute(query());
    }
    const text = `${JSON.stringify(proof, null, 2)}\n`;
    if (options.out) {
      await writeFile(options.out, text);
      process.stderr.write(
        `已写出事件 ${options.event} 的包含证明：${options.out}（第 ${proof.leafIndex} 个事件，检查点 ${proof.treeSize}）\n` +
          `离线校验：node examples/verify-proof.js ${options.out} --key '${proof.verifierKey}'\n`,
      );
    } else process.stdout.write(text);
    return 0;
  });
}

async function checkpointCommand(options: { as: string }) {
  return withApp(async (app) => {
    await catchUpIntegrityLog(app);
    const checkpoint = await sign(app, options.as);
    process.stdout.write(checkpoint.note);
    process.stderr.write(
      checkpoint.signed
        ? `已签署检查点：${checkpoint.size} 个事件\n`
        : `最新检查点已覆盖全部事件（${checkpoint.size} 个）\n`,
    );
    return 0;
  });
}

export function registerProof(program: Command): void {
  program
    .command('proof')
    .description('Write a self-contained inclusion proof of one event (check it with examples/verify-proof.js)')
    .requiredOption('--event <eventId>', 'the event')
    .requiredOption('--as <accountId>', 'a jurisdiction-wide auditor or system admin')
    .option('--checkpoint <size>', 'prove against this signed checkpoint (default: the latest)')
    .option('--full', 'the event data in full, personal fields included (system admins)')
    .option('--out <file>', 'write to this file instead of standard output')
    .action(async (options: { event: string; as: string; checkpoint?: string; full?: boolean; out?: string }) => {
      process.exitCode = await proofCommand(options);
    });
  program
    .command('checkpoint')
    .description('Sign a checkpoint of the Merkle log now (prints it as a signed note)')
    .requiredOption('--as <accountId>', 'a system admin')
    .action(async (options: { as: string }) => {
      process.exitCode = await checkpointCommand(options);
    });
}
