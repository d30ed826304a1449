/**
 * Crash safety of the embedded store: a child process appending in a loop is killed with SIGKILL at
 * a random moment, many times over the same file. After each kill the store is reopened and every
 * acknowledged append must be there, revisions gapless, and no batch partly visible.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { SqliteEventStore } from '../../src/infrastructure/event-store/sqlite/sqlite-event-store';
import { makeTempDir } from '../support/temp-dir';

const ROUNDS = 12;

function runUntilKilled(
  file: string,
  killAfterMs: number,
): Promise<{ acked: string[]; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(
      process.execPath,
      ['-r', '@swc-node/register', join(__dirname, 'fixtures/append-loop.ts'), file],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, SWC_NODE_PROJECT: join(__dirname, '../../tsconfig.json') },
      },
    );
    let out = '';
    let err = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      if (out === '' && chunk.toString().startsWith('READY')) setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      out += chunk.toString();
    });
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') return reject(new Error(`child ended without being killed: ${err}`));
      resolve({ acked: out.split('\n').filter((line) => line.startsWith('ACK ')), signal });
    });
  });
}

describe('SqliteEventStore crash safety (SIGKILL during appends)', () => {
  it(`keeps every acknowledged append, gapless and whole, across ${ROUNDS} kills`, async () => {
    const dir = makeTempDir();
    const file = join(dir.path, 'events.sqlite');
    const acknowledged = new Map<string, { streamId: string; revision: bigint }>();
    let totalAcked = 0;
    try {
      for (let round = 0; round < ROUNDS; round++) {
        const { acked } = await runUntilKilled(file, 20 + Math.floor(Math.random() * 400));
        for (const line of acked) {
          const [, streamId, lastRevision, ids] = line.split(' ');
          const eventIds = ids.split(',');
          eventIds.forEach((eventId, i) => {
            acknowledged.set(eventId, { streamId, revision: BigInt(lastRevision) - BigInt(eventIds.length - 1 - i) });
          });
        }
        totalAcked += acked.length;

        const store = new SqliteEventStore({ file });
        const all = [];
        for (
          let page = await store.readAll({ maxCount: 5000 });
          page.length > 0;
          page = await store.readAll({ from: page[page.length - 1].position, maxCount: 5000 })
        ) {
          all.push(...page);
        }
        const byId = new Map(all.map((e) => [e.eventId, e]));
        for (const [eventId, where] of acknowledged) {
          const found = byId.get(eventId);
          expect(found && { streamId: found.streamId, revision: found.revision }).toEqual(where);
        }
        const byStream = new Map<string, bigint[]>();
        const batches = new Map<string, { size: number; seen: number }>();
        for (const e of all) {
          byStream.set(e.streamId, [...(byStream.get(e.streamId) ?? []), e.revision]);
          const batch = batches.get(e.data.batchId as string) ?? { size: e.data.size as number, seen: 0 };
          batch.seen++;
          batches.set(e.data.batchId as string, batch);
        }
        for (const revisions of byStream.values()) {
          expect(revisions).toEqual(revisions.map((_, i) => BigInt(i)));
        }
        for (const batch of batches.values()) expect(batch.seen).toBe(batch.size);
        await store.close();
      }
      // The test means something only if the child got work done before being killed.
      expect(totalAcked).toBeGreaterThan(ROUNDS);
    } finally {
      dir.remove();
    }
  });
});
