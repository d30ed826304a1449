/** What the SIGKILL suites share: a worker process killed once a store file holds so many more events, and a store's history by stream. */
import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import type { EventStore } from '../../src/application/ports/event-store.port';

export function eventCount(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** Each stream's events as (type, data) lines: runs interleave streams differently, never one stream's events. */
export async function historyByStream(store: EventStore): Promise<Record<string, string[]>> {
  const byStream: Record<string, string[]> = {};
  for (const e of await store.readAll({ maxCount: 1_000_000 }))
    (byStream[e.streamId] ??= []).push(`${e.type} ${JSON.stringify(e.data)}`);
  return byStream;
}

/**
 * Runs `worker` (a TypeScript file, with `args`) on the store `file` and kills it with SIGKILL once
 * `written` more events are in the store (0: as soon as it prints that it is ready).
 */
export async function killedAfter(
  worker: string,
  args: readonly string[],
  file: string,
  written: number,
): Promise<void> {
  const base = eventCount(file);
  const child = spawn(process.execPath, ['-r', '@swc-node/register', worker, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  while (written > 0 && eventCount(file) < base + written && child.exitCode === null)
    await new Promise((resolve) => setTimeout(resolve, 1));
  child.kill('SIGKILL');
  await exited;
}
