/**
 * npm run bench:integrity — the Merkle log on the embedded store (issue 22), in one process: the
 * event store and read store on files (WAL, synchronous=FULL), the log's projection fed live as in
 * the service, and the service's checkpoint signing (SignCheckpointHandler, Ed25519) at the
 * default cadence (INTEGRITY_CHECKPOINT_INTERVAL_MS, 500 ms) through the Checkpointer.
 *
 * Each run, on fresh files:
 *  - integration while appending: APPEND_EVENTS realistic events appended as fast as the store
 *    takes them (batches of 100, 4 appenders); events integrated per second = events / time from
 *    the first append to the log covering the last one;
 *  - time to checkpoint: events appended at RATE events/s for STEADY_SECONDS (a batch every 10 ms);
 *    for each batch, the time from its append returning to the first signed checkpoint covering it;
 *  - catch-up: the same history integrated again into a fresh log (a rebuild), alone: what the
 *    log can integrate when it is not waiting for appends;
 *  - proof generation: PROOFS inclusion proofs of random events (the full proof file: event read
 *    from the store, path, checkpoint) and PROOFS / 10 consistency proofs, one at a time.
 * Medians over REPEATS runs; the last line is JSON with the figures.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { generateKeyPairSync } from 'node:crypto';
import { AccessControl } from '../src/application/access/access-control';
import type { BusCommand, CommandBus } from '../src/application/commands/command-bus';
import { DeciderCommandRunner } from '../src/application/commands/decider-command-runner';
import { checkpointKey } from '../src/application/integrity/checkpoint';
import { Checkpointer } from '../src/application/integrity/checkpointer';
import { SignCheckpointHandler } from '../src/application/integrity/integrity-log.command-handler';
import type { SignCheckpoint, SignedCheckpoint } from '../src/application/integrity/integrity-log.commands';
import { MerkleLogReader } from '../src/application/integrity/merkle-log';
import { IntegrityProofs } from '../src/application/integrity/proofs.queries';
import { OrgTree } from '../src/application/org-node/org-tree';
import type { EventToAppend } from '../src/application/ports/event-store.port';
import { ProjectionEngine } from '../src/application/projections/projection-engine';
import { ReadModels } from '../src/application/projections/read-models';
import { SqliteEventStore } from '../src/infrastructure/event-store/sqlite/sqlite-event-store';
import { SqliteReadStore } from '../src/infrastructure/read-store/sqlite/sqlite-read-store';
import { SystemClock } from '../src/infrastructure/system/system-clock';
import { TimeOrderedUuidGenerator } from '../src/infrastructure/system/uuid-generator';
import { integrityLogProjection } from '../src/read-models/integrity-log/integrity-log.projection';

const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const APPEND_EVENTS = Number(process.env.BENCH_APPEND_EVENTS ?? 100_000);
const RATE = Number(process.env.BENCH_RATE ?? 3000);
const STEADY_SECONDS = Number(process.env.BENCH_STEADY_SECONDS ?? 20);
const PROOFS = Number(process.env.BENCH_PROOFS ?? 2000);
const CADENCE_MS = Number(process.env.INTEGRITY_CHECKPOINT_INTERVAL_MS ?? 500);
const quiet = { info: () => undefined, error: (message: string) => console.error(message) };
const clock = new SystemClock();
const ids = new TimeOrderedUuidGenerator();

/** A person's post change with a full envelope (~700 bytes as JSON), as the store bench uses. */
function makeEvent(i: number): EventToAppend {
  return {
    eventId: randomUUID(),
    type: 'PersonPostChanged',
    data: { personId: `p-${i}`, orgNodeId: `n-${i % 997}`, changes: { title: { from: '科员', to: '副主任科员' } } },
    metadata: {
      schemaVersion: 1,
      recordedAt: new Date().toISOString(),
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

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const median = (values: number[]) => percentile(values, 50);
const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

async function oneRun() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-integrity-'));
  const store = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
  const readStore = new SqliteReadStore(join(dir, 'read-models.sqlite'));
  const engine = new ProjectionEngine(store, readStore, [integrityLogProjection], clock, quiet);
  const log = new MerkleLogReader(new ReadModels(readStore, engine, () => Date.now()));
  const key = checkpointKey('gov-collab/bench', generateKeyPairSync('ed25519').privateKey);
  const access = new AccessControl(store, new OrgTree(store, 'bench'), clock, 3, false);
  const signer = new SignCheckpointHandler(new DeciderCommandRunner(store, clock, ids), log, key, access, clock);
  const signatures: Array<{ size: number; at: number }> = [];
  const bus: CommandBus = {
    execute: async <A>(command: BusCommand<A>) => {
      const signed = await signer.execute(command as unknown as SignCheckpoint);
      if (signed.signed) signatures.push({ size: signed.size, at: performance.now() });
      return signed as SignedCheckpoint as A;
    },
  };
  const checkpointer = new Checkpointer(bus, 'bench', CADENCE_MS, quiet);
  await engine.start();
  checkpointer.start();
  try {
    // ---- integration while appending, as fast as the store takes it ----
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async (_, writer) => {
        while (next < APPEND_EVENTS) {
          const from = next;
          next += 100;
          const batch = Array.from({ length: Math.min(100, APPEND_EVENTS - from) }, (_, i) => makeEvent(from + i));
          await store.append(`Person-w${writer}-${from % 50}`, batch, 'any');
        }
      }),
    );
    const appendedIn = performance.now() - started;
    await engine.waitFor((await store.headPosition())!, 600_000);
    const integratedIn = performance.now() - started;
    const integrated = (await log.head()).size;

    // ---- time to checkpoint at a steady rate ----
    const batches: Array<{ eventId: string; at: number }> = [];
    const perBatch = Math.max(1, Math.round(RATE / 100));
    const steadyStart = performance.now();
    for (let i = 0; performance.now() - steadyStart < STEADY_SECONDS * 1000; i++) {
      const due = steadyStart + i * 10;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const batch = Array.from({ length: perBatch }, (_, k) => makeEvent(i * perBatch + k));
      await store.append(`Person-steady-${i % 50}`, batch, 'any');
      batches.push({ eventId: batch[batch.length - 1].eventId, at: performance.now() });
    }
    const steadyEvents = batches.length * perBatch;
    const steadyRate = steadyEvents / ((performance.now() - steadyStart) / 1000);
    await engine.waitFor((await store.headPosition())!, 60_000);
    await new Promise((resolve) => setTimeout(resolve, CADENCE_MS * 3));
    const toCheckpoint: number[] = [];
    for (const batch of batches) {
      const leaf = await log.leafOf(batch.eventId);
      const covering = signatures.find((s) => s.size > leaf!.index && s.at >= batch.at);
      if (covering) toCheckpoint.push(covering.at - batch.at);
    }
    const uncovered = batches.length - toCheckpoint.length;

    // ---- proof generation ----
    await checkpointer.stop();
    const proofs = new IntegrityProofs(log, store, key);
    const latest = (await log.latestCheckpoint())!;
    const inclusion: number[] = [];
    for (let i = 0; i < PROOFS; i++) {
      const [leaf] = await log.leaves(Math.floor(Math.random() * latest.size), 1);
      const t = performance.now();
      await proofs.inclusion(leaf.eventId, undefined, true);
      inclusion.push(performance.now() - t);
    }
    const sizes = (await log.checkpoints(0, 100_000)).map((c) => c.size);
    const consistency: number[] = [];
    for (let i = 0; i < PROOFS / 10; i++) {
      const from = sizes[Math.floor(Math.random() * sizes.length)];
      const t = performance.now();
      await proofs.consistency(from, latest.size);
      consistency.push(performance.now() - t);
    }
    // ---- catch-up: the whole history again into a fresh log ----
    const fresh = new SqliteReadStore(join(dir, 'rebuilt.sqlite'));
    const rebuilder = new ProjectionEngine(store, fresh, [integrityLogProjection], clock, quiet, { batchSize: 20_000 });
    const rebuildStart = performance.now();
    const { processed } = await rebuilder.rebuild([integrityLogProjection.name]);
    const rebuiltPerSecond = processed / ((performance.now() - rebuildStart) / 1000);
    await fresh.close();
    return {
      rebuiltPerSecond,
      appendedPerSecond: APPEND_EVENTS / (appendedIn / 1000),
      integratedPerSecond: integrated / (integratedIn / 1000),
      integrated,
      steadyRate,
      checkpoints: signatures.length,
      toCheckpointP50: percentile(toCheckpoint, 50),
      toCheckpointP99: percentile(toCheckpoint, 99),
      uncovered,
      inclusionP50: percentile(inclusion, 50),
      inclusionP99: percentile(inclusion, 99),
      consistencyP50: percentile(consistency, 50),
      consistencyP99: percentile(consistency, 99),
    };
  } finally {
    await checkpointer.stop();
    await engine.stop();
    await readStore.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(
    `bench:integrity — ${cpus().length} CPUs, ${Math.round(totalmem() / 2 ** 30)} GiB; ${APPEND_EVENTS} events appended, ` +
      `then ${RATE} events/s for ${STEADY_SECONDS} s, cadence ${CADENCE_MS} ms, ${PROOFS} proofs; ${REPEATS} runs`,
  );
  const runs: Array<Awaited<ReturnType<typeof oneRun>>> = [];
  for (let r = 1; r <= REPEATS; r++) {
    const run = await oneRun();
    runs.push(run);
    console.log(
      `run ${r}: integrated ${Math.round(run.integratedPerSecond)} events/s (appended ${Math.round(run.appendedPerSecond)}/s; ` +
        `catch-up alone ${Math.round(run.rebuiltPerSecond)}/s); ` +
        `at ${Math.round(run.steadyRate)}/s: ${run.checkpoints} checkpoints, to checkpoint p50 ${round(run.toCheckpointP50)} ms p99 ${round(run.toCheckpointP99)} ms ` +
        `(${run.uncovered} batches uncovered); inclusion proof p50 ${round(run.inclusionP50, 2)} ms p99 ${round(run.inclusionP99, 2)} ms, ` +
        `consistency p99 ${round(run.consistencyP99, 2)} ms`,
    );
  }
  const of = (field: keyof (typeof runs)[number]) => median(runs.map((run) => run[field]));
  const result = {
    bench: 'integrity',
    runs: REPEATS,
    cadenceMs: CADENCE_MS,
    integratedPerSecond: Math.round(of('integratedPerSecond')),
    appendedPerSecond: Math.round(of('appendedPerSecond')),
    catchUpPerSecond: Math.round(of('rebuiltPerSecond')),
    steadyRatePerSecond: Math.round(of('steadyRate')),
    toCheckpointMs: { p50: round(of('toCheckpointP50')), p99: round(of('toCheckpointP99')) },
    inclusionProofMs: { p50: round(of('inclusionP50'), 2), p99: round(of('inclusionP99'), 2) },
    consistencyProofMs: { p50: round(of('consistencyP50'), 2), p99: round(of('consistencyP99'), 2) },
    uncoveredBatches: runs.map((run) => run.uncovered),
    targets: {
      integratedPerSecond: of('integratedPerSecond') >= 3000,
      toCheckpointP99Under1s: of('toCheckpointP99') < 1000,
      proofP99Under5ms: of('inclusionP99') < 5,
    },
  };
  writeFileSync(join(__dirname, 'results', 'integrity.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result));
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
