/**
 * npm run bench:read — the read side on the 30,000-person district (embedded SQLite stores):
 * raw `readAll` throughput, rebuild throughput through every projection (events/s) in the same
 * run (in worker threads, as `cli rebuild` does, and in one thread), `resolve(viewer, target)` latency and directory search latency (p50/p99 over random
 * viewers, targets, name fragments and mobile numbers). Ends with one line of JSON.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { pagesOfAll, ProjectionEngine } from '../src/application/projections/projection-engine';
import { ReadModels } from '../src/application/projections/read-models';
import { SqliteEventStore } from '../src/infrastructure/event-store/sqlite/sqlite-event-store';
import { SqliteReadStore } from '../src/infrastructure/read-store/sqlite/sqlite-read-store';
import { largestFirst, rebuildInParallel } from '../src/infrastructure/read-store/parallel-rebuild';
import { SystemClock } from '../src/infrastructure/system/system-clock';
import { DIRECTORY, PERSONS, type PersonDoc } from '../src/read-models/directory/directory.projection';
import { DirectoryQueries } from '../src/read-models/directory/directory.queries';
import { readModelProjections } from '../src/read-models/projections';

const ALL_PROJECTIONS = readModelProjections({ timeZone: 'Asia/Shanghai' });
import { generateDistrict, mulberry32 } from '../src/tools/district-workbook';

const PEOPLE = Number(process.env.BENCH_READ_PEOPLE ?? 30000);
const SAMPLES = Number(process.env.BENCH_READ_SAMPLES ?? 5000);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-read-'));
  try {
    const { workbook } = await generateDistrict(PEOPLE);
    const file = join(dir, 'district.xlsx');
    writeFileSync(file, workbook);
    const cli = (args: string[]) => {
      const child = spawnSync(
        process.execPath,
        ['-r', '@swc-node/register', join(__dirname, '../src/cli.ts'), ...args],
        {
          env: { ...process.env, DATA_DIR: join(dir, 'data'), JURISDICTION: 'qingpu' },
          stdio: ['ignore', 'ignore', 'inherit'],
        },
      );
      if (child.status !== 0) throw new Error(`${args[0]} exited with ${child.status}`);
    };
    cli([
      'bootstrap',
      '--root-name',
      '青浦区',
      '--name',
      '管理员',
      '--id-number',
      '310118197001010088',
      '--gender',
      '2',
      '--mobile',
      '13000000000',
    ]);
    cli(['import', '--actor', 'acc-admin', file]);

    const events = new SqliteEventStore({ file: join(dir, 'data', 'events.sqlite') });
    // Raw readAll: every event read and parsed, nothing else.
    let total = 0;
    let start = process.hrtime.bigint();
    for await (const page of pagesOfAll(events)) total += page.length;
    const rawSeconds = seconds(start);

    const readStore = new SqliteReadStore(join(dir, 'data', 'read-models.sqlite'));
    const engine = new ProjectionEngine(events, readStore, ALL_PROJECTIONS, new SystemClock(), {
      info: () => undefined,
      error: (m) => process.stderr.write(`${m}\n`),
    });
    const names = ALL_PROJECTIONS.map((p) => p.name);
    start = process.hrtime.bigint();
    await engine.rebuild(names);
    const singleSeconds = seconds(start);
    // As `cli rebuild` does it by default: a worker thread per core, the largest read model first.
    start = process.hrtime.bigint();
    await rebuildInParallel(
      {
        eventsFile: join(dir, 'data', 'events.sqlite'),
        readModelsFile: join(dir, 'data', 'read-models.sqlite'),
        timeZone: 'Asia/Shanghai',
        batchSize: 20_000,
        busyTimeoutMs: 600_000,
      },
      await largestFirst(readStore, ALL_PROJECTIONS, names),
      availableParallelism(),
      () => undefined,
      (_level, message) => process.stderr.write(`${message}\n`),
    );
    const rebuildSeconds = seconds(start);

    const models = new ReadModels(readStore, null, () => Date.now());
    const queries = new DirectoryQueries(models);
    const persons = (await models.find(DIRECTORY, PERSONS, { status: 'ACTIVE' })) as PersonDoc[];
    const random = mulberry32(7);
    const pick = () => persons[Math.floor(random() * persons.length)];

    const resolveTimes: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const [viewer, target] = [pick(), pick()];
      const t = process.hrtime.bigint();
      await queries.resolve(viewer.id, target.id);
      resolveTimes.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    const searchTimes: number[] = [];
    let found = 0;
    for (let i = 0; i < SAMPLES; i++) {
      const viewer = pick();
      const target = pick();
      const chars = [...target.name];
      // Alternately a whole mobile number and a two-character fragment of a name.
      const text = i % 2 === 0 ? target.mobile : chars.slice(Math.max(0, chars.length - 2)).join('');
      const t = process.hrtime.bigint();
      found += (await queries.search({ kind: 'PERSON', personId: viewer.id }, text)).length;
      searchTimes.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    resolveTimes.sort((a, b) => a - b);
    searchTimes.sort((a, b) => a - b);

    const rawEps = Math.round(total / rawSeconds);
    const rebuildEps = Math.round(total / rebuildSeconds);
    const singleEps = Math.round(total / singleSeconds);
    console.log(
      `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    );
    console.log(`District: ${PEOPLE} people, ${total} events`);
    console.log(`Raw readAll: ${rawSeconds.toFixed(2)} s, ${rawEps} events/s`);
    console.log(
      `Rebuild of ${names.join(', ')} in ${availableParallelism()} threads: ${rebuildSeconds.toFixed(2)} s, ${rebuildEps} events/s (${((rebuildEps / rawEps) * 100).toFixed(0)} % of raw)`,
    );
    console.log(
      `The same in one thread: ${singleSeconds.toFixed(2)} s, ${singleEps} events/s (${((singleEps / rawEps) * 100).toFixed(0)} % of raw)`,
    );
    console.log(
      `resolve: p50 ${percentile(resolveTimes, 50).toFixed(3)} ms, p99 ${percentile(resolveTimes, 99).toFixed(3)} ms over ${SAMPLES}`,
    );
    console.log(
      `search: p50 ${percentile(searchTimes, 50).toFixed(3)} ms, p99 ${percentile(searchTimes, 99).toFixed(3)} ms over ${SAMPLES} (${found} results in all)`,
    );
    await readStore.close();
    await events.close();
    console.log(
      JSON.stringify({
        rebuild_eps: rebuildEps,
        raw_readall_eps: rawEps,
        rebuild_ratio: Number((rebuildEps / rawEps).toFixed(3)),
        single_thread_rebuild_eps: singleEps,
        resolve_p99_ms: Number(percentile(resolveTimes, 99).toFixed(3)),
        search_p99_ms: Number(percentile(searchTimes, 99).toFixed(3)),
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
