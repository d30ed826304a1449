/**
 * A process that carries out a batch of transfers on a store file, for the SIGKILL test beside it:
 *   node -r @swc-node/register batch-worker.ts <file>
 * It prints "ready" before the batch is submitted; the test kills it somewhere after that.
 */
import { PlanBatch } from '../../src/application/batch/batch.commands';
import { byPlatform } from '../../src/application/commands/command-bus';
import { platformOn, WORKER_META } from '../restructuring/restructuring-worker';

export const BATCH_ID = 'b-kill';
export const BATCH_META = { ...WORKER_META, effectiveAt: '2025-06-01', sourceRef: '青人社〔2025〕9号' };

export function transfers(people: number) {
  return Array.from({ length: people }, (_, n) => ({
    line: n + 2,
    target: `p${n}`,
    fields: { toOrgNodeId: 'edu', title: '科员' },
  }));
}

/** Submits the batch and waits until it is carried out. */
export async function submit(platform: ReturnType<typeof platformOn>['platform'], people: number): Promise<void> {
  await platform.bus.execute(
    new PlanBatch(BATCH_ID, 'TRANSFER', transfers(people), false, BATCH_META, byPlatform('test')),
  );
  await platform.batches.settled();
}

async function main(): Promise<void> {
  const [file, people] = process.argv.slice(2);
  const { store, platform } = platformOn(file);
  process.stdout.write('ready\n');
  await submit(platform, Number(people));
  await store.close();
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  });
}
