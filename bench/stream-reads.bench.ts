/**
 * node -r @swc-node/register bench/stream-reads.bench.ts — the reads commands make of streams that
 * do not exist, on an embedded store of 90,000 events (30,000 streams of 3): the raw statements with
 * a bound LIMIT, a literal one and none, then the store's readStream forwards and its last-event
 * read. Microseconds per read, medians of 3 passes over 30,000 streams; ends with one line of JSON.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { NO_STREAM } from '../src/application/ports/event-store.port';
import { SqliteEventStore } from '../src/infrastructure/event-store/sqlite/sqlite-event-store';

const STREAMS = 30_000;
const COLUMNS = 'position, stream_id, revision, event_id, type, data, metadata, created, hash';
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function perRead(read: (streamId: string) => unknown, streams: string[]): Promise<number> {
  const passes: number[] = [];
  for (let pass = 0; pass < 3; pass++) {
    const started = process.hrtime.bigint();
    for (const streamId of streams) await read(`${streamId}-${pass}`);
    passes.push(Number(process.hrtime.bigint() - started) / 1e3 / streams.length);
  }
  return median(passes);
}

async function knownEmpty(store: SqliteEventStore, streams: string[]): Promise<number> {
  const last = (s: string) => store.readStream(`${s}-k`, { direction: 'backwards', maxCount: 1 });
  await perRead(last, streams);
  return perRead(last, streams);
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-reads-'));
  const file = join(dir, 'events.sqlite');
  try {
    const store = new SqliteEventStore({ file });
    const event = () => ({ eventId: randomUUID(), type: 'Noted', data: { n: 1 }, metadata: { schemaVersion: 1 } });
    for (let start = 0; start < STREAMS; start += 1000) {
      const batch = Array.from({ length: 1000 }, (_, i) => `Person-${start + i}`);
      await Promise.all(batch.map((streamId) => store.append(streamId, [event(), event(), event()], NO_STREAM)));
    }
    const absent = Array.from({ length: STREAMS }, (_, i) => `UniqueValue-Mobile-${randomUUID()}-${i}`);
    const db = new Database(file, { readonly: true });
    const statement = (sql: string) => db.prepare(sql).raw(true);
    const boundLimit = statement(
      `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?`,
    );
    const literalLimit = statement(
      `SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT 5`,
    );
    const noLimit = statement(`SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision`);
    const figures = {
      raw_bound_limit_us: await perRead((s) => boundLimit.all(s, 0, -1), absent),
      raw_literal_limit_us: await perRead((s) => literalLimit.all(s, 0), absent),
      raw_no_limit_us: await perRead((s) => noLimit.all(s, 0), absent),
      read_forwards_us: await perRead((s) => store.readStream(`${s}-f`), absent),
      read_last_us: await perRead((s) => store.readStream(`${s}-l`, { direction: 'backwards', maxCount: 1 }), absent),
      // Streams just read: now known to be empty.
      read_last_known_empty_us: await knownEmpty(store, absent.slice(0, 10_000)),
    };
    db.close();
    await store.close();
    for (const [name, us] of Object.entries(figures)) console.log(`${name.padEnd(26)} ${us.toFixed(2)} µs`);
    console.log(JSON.stringify(Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, Number(v.toFixed(2))]))));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
