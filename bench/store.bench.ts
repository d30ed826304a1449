/**
 * npm run bench:store — the embedded event store against raw better-sqlite3 on an equivalent table
 * (same schema and indexes, same pragmas: WAL, synchronous=FULL), in the same process.
 *
 * Workloads, each run REPEATS times on fresh files, median reported:
 *  - batched append: batches of 1,000 events, one append call per batch;
 *  - concurrent single-event appends: 64 writers, each appending one event at a time to its own
 *    stream with the exact expected revision (the shape of command traffic);
 *  - readAll: the whole log in pages, data and metadata parsed from JSON.
 * The last line is JSON with the figures, for scripts.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { type EventToAppend, NO_STREAM } from '../src/application/ports/event-store.port';
import type { Position } from '../src/application/event-store/position';
import { EVENTS_SCHEMA, SqliteEventStore } from '../src/infrastructure/event-store/sqlite/sqlite-event-store';

const REPEATS = Number(process.env.BENCH_REPEATS ?? 5);
const BATCHES = Number(process.env.BENCH_BATCHES ?? 100);
const BATCH_SIZE = 1000;
const WRITERS = 64;
const EVENTS_PER_WRITER = Number(process.env.BENCH_EVENTS_PER_WRITER ?? 250);

/** A realistic event: a person's post change with a full envelope (~700 bytes as JSON). */
function makeEvent(i: number): EventToAppend {
  return {
    eventId: randomUUID(),
    type: 'PersonPostChanged',
    data: {
      personId: `p-${i}`,
      orgNodeId: `n-${i % 997}`,
      changes: { title: { from: '科员', to: '副主任科员' }, postLevel: { from: '一级科员', to: '四级主任科员' } },
    },
    metadata: {
      schemaVersion: 1,
      recordedAt: '2025-03-04T08:00:00.000Z',
      effectiveAt: '2025-03-01',
      actor: { accountId: 'a-42', personId: 'p-42', role: 'TIERED_ADMIN' },
      reason: '职务调整',
      sourceRef: '青人社〔2025〕17号',
      correlationId: randomUUID(),
      causationId: null,
      jurisdiction: 'qingpu',
    },
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function freshFile(): { file: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'bench-store-'));
  return { file: join(dir, 'events.sqlite'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

function openRaw(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(EVENTS_SCHEMA);
  return db;
}

const batches = () =>
  Array.from({ length: BATCHES }, (_, b) =>
    Array.from({ length: BATCH_SIZE }, (_, i) => makeEvent(b * BATCH_SIZE + i)),
  );

async function storeBatched(): Promise<{ eps: number; file: string; remove: () => void }> {
  const work = batches();
  const { file, remove } = freshFile();
  const store = new SqliteEventStore({ file });
  const start = process.hrtime.bigint();
  for (let b = 0; b < work.length; b++) await store.append(`Person-${b}`, work[b], NO_STREAM);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await store.close();
  return { eps: (BATCHES * BATCH_SIZE) / seconds, file, remove };
}

function rawBatched(): number {
  const work = batches();
  const { file, remove } = freshFile();
  const db = openRaw(file);
  const insert = db.prepare(
    'INSERT INTO events (stream_id, revision, event_id, type, data, metadata, created) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const writeBatch = db.transaction((streamId: string, events: EventToAppend[]) => {
    const created = Date.now();
    for (let i = 0; i < events.length; i++) {
      const e = events[i];
      insert.run(streamId, i, e.eventId, e.type, JSON.stringify(e.data), JSON.stringify(e.metadata), created);
    }
  });
  const start = process.hrtime.bigint();
  for (let b = 0; b < work.length; b++) writeBatch(`Person-${b}`, work[b]);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  db.close();
  remove();
  return (BATCHES * BATCH_SIZE) / seconds;
}

async function storeConcurrentSingles(): Promise<number> {
  const { file, remove } = freshFile();
  const store = new SqliteEventStore({ file });
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, w) => {
      for (let n = 0; n < EVENTS_PER_WRITER; n++) {
        await store.append(`Person-w${w}`, [makeEvent(n)], n === 0 ? NO_STREAM : BigInt(n - 1));
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await store.close();
  remove();
  return (WRITERS * EVENTS_PER_WRITER) / seconds;
}

/** Raw: one transaction (one fsync) per event, as 64 writers without group commit would do. */
async function rawConcurrentSingles(): Promise<number> {
  const { file, remove } = freshFile();
  const db = openRaw(file);
  const head = db.prepare('SELECT revision FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1').pluck();
  const insert = db.prepare(
    'INSERT INTO events (stream_id, revision, event_id, type, data, metadata, created) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const writeOne = db.transaction((streamId: string, e: EventToAppend, expected: number) => {
    const current = (head.get(streamId) as number | undefined) ?? -1;
    if (current !== expected) throw new Error('conflict');
    insert.run(
      streamId,
      expected + 1,
      e.eventId,
      e.type,
      JSON.stringify(e.data),
      JSON.stringify(e.metadata),
      Date.now(),
    );
  });
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, w) => {
      for (let n = 0; n < EVENTS_PER_WRITER; n++) {
        await Promise.resolve();
        writeOne(`Person-w${w}`, makeEvent(n), n - 1);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  db.close();
  remove();
  return (WRITERS * EVENTS_PER_WRITER) / seconds;
}

async function storeReadAll(file: string): Promise<number> {
  const store = new SqliteEventStore({ file });
  let count = 0;
  const start = process.hrtime.bigint();
  let from: Position | 'start' = 'start';
  for (;;) {
    const page = await store.readAll({ from, maxCount: 4096 });
    if (page.length === 0) break;
    count += page.length;
    from = page[page.length - 1].position;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await store.close();
  if (count !== BATCHES * BATCH_SIZE) throw new Error(`readAll saw ${count} events`);
  return count / seconds;
}

function rawReadAll(file: string): number {
  const db = new Database(file, { readonly: true });
  const page = db
    .prepare(
      'SELECT position, stream_id, revision, event_id, type, data, metadata, created FROM events WHERE position > ? ORDER BY position LIMIT 4096',
    )
    .raw(true);
  let count = 0;
  let cursor = 0;
  const start = process.hrtime.bigint();
  for (;;) {
    const rows = page.all(cursor) as unknown[][];
    if (rows.length === 0) break;
    for (const row of rows) {
      JSON.parse(row[5] as string);
      JSON.parse(row[6] as string);
    }
    count += rows.length;
    cursor = rows[rows.length - 1][0] as number;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  db.close();
  return count / seconds;
}

async function main(): Promise<void> {
  const runs = {
    batched: [] as number[],
    rawBatched: [] as number[],
    concurrent: [] as number[],
    rawConcurrent: [] as number[],
    readAll: [] as number[],
    rawReadAll: [] as number[],
  };
  for (let r = 0; r < REPEATS; r++) {
    // Alternate which side goes first so that warm-up and disk state favour neither.
    const storeFirst = r % 2 === 0;
    const raw = storeFirst ? undefined : rawBatched();
    const { eps, file, remove } = await storeBatched();
    runs.batched.push(eps);
    runs.rawBatched.push(raw ?? rawBatched());
    const rawRead = storeFirst ? undefined : rawReadAll(file);
    runs.readAll.push(await storeReadAll(file));
    runs.rawReadAll.push(rawRead ?? rawReadAll(file));
    remove();
    runs.concurrent.push(await storeConcurrentSingles());
    runs.rawConcurrent.push(await rawConcurrentSingles());
    process.stderr.write(`run ${r + 1}/${REPEATS} done\n`);
  }
  const m = Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, Math.round(median(v))])) as Record<
    keyof typeof runs,
    number
  >;
  const rows: Array<[string, number, number]> = [
    [`append, batches of ${BATCH_SIZE}`, m.batched, m.rawBatched],
    [`append, ${WRITERS} concurrent single-event writers`, m.concurrent, m.rawConcurrent],
    ['readAll with JSON parsing', m.readAll, m.rawReadAll],
  ];
  console.log(
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  );
  console.log(
    `Medians of ${REPEATS} runs; ${BATCHES * BATCH_SIZE} events per batched run, ${WRITERS * EVENTS_PER_WRITER} per concurrent run.`,
  );
  console.log('| workload | store events/s | raw better-sqlite3 events/s | store / raw |');
  console.log('|---|---:|---:|---:|');
  for (const [name, store, raw] of rows)
    console.log(
      `| ${name} | ${store.toLocaleString('en')} | ${raw.toLocaleString('en')} | ${(store / raw).toFixed(2)} |`,
    );
  console.log(`Peak RSS: ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`);
  console.log(
    JSON.stringify({
      batched_append_eps: m.batched,
      raw_batched_append_eps: m.rawBatched,
      batched_ratio: Number((m.batched / m.rawBatched).toFixed(3)),
      concurrent_single_eps: m.concurrent,
      raw_concurrent_single_eps: m.rawConcurrent,
      readall_eps: m.readAll,
      raw_readall_eps: m.rawReadAll,
    }),
  );
}

void main();
