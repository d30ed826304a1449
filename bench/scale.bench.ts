/**
 * npm run bench — the scale benchmarks on the embedded default, for each size in BENCH_SIZES
 * (default `district,province`), each in a fresh data directory, each step in its own process
 * (its peak RSS read from /proc while it runs):
 *
 *   1. import: `cli generate --size <size>` writes the seeded synthetic jurisdiction (events/s);
 *   2. rebuild: `cli rebuild` of every read model from the events;
 *   3. assessment report 2025 (`cli report assessment --format html`);
 *   4. resolve and search latencies on the rebuilt read models (in this process);
 *   5. HTTP commands (district only unless BENCH_HTTP_SIZE says otherwise): the service started on
 *      the data, autocannon with 64 connections posting profile changes to random people.
 *
 * Each size's figures are saved to bench/results/scale-<size>.json; BENCHMARKS.md's scale section
 * is rewritten from every saved result (with the machine and the command that reproduces it).
 * Ends with one line of JSON: province_import_s, province_rebuild_s, province_peak_rss_mib,
 * http_commands_per_s, http_p99_ms (null for what this run did not measure).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { activePeople, profileChanges } from './profile-changes';
import { ReadModels } from '../src/application/projections/read-models';
import { SqliteReadStore } from '../src/infrastructure/read-store/sqlite/sqlite-read-store';
import {
  JURISDICTION_SIZES,
  type JurisdictionSize,
  mulberry32,
  syntheticMobile,
} from '../src/tools/synthetic/synthetic-jurisdiction';
import { DirectoryQueries } from '../src/read-models/directory/directory.queries';

const ROOT = join(__dirname, '..');
const SIZES = (process.env.BENCH_SIZES ?? 'district,province').split(',').map((s) => s.trim()) as JurisdictionSize[];
const HTTP_SIZE = process.env.BENCH_HTTP_SIZE ?? 'district';
const HTTP_SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 20);
const HTTP_CONNECTIONS = 64;
const SAMPLES = Number(process.env.BENCH_LATENCY_SAMPLES ?? 2000);
const RESULTS = join(__dirname, 'results');

interface StepResult {
  seconds: number;
  peakRssMiB: number;
}

interface SizeResult {
  size: JurisdictionSize;
  date: string;
  machine: string;
  command: string;
  events: number;
  people: number;
  groups: number;
  nodes: number;
  import: StepResult & { eventsPerSecond: number };
  rebuild: (StepResult & { eventsPerSecond: number }) | null;
  report: StepResult | null;
  resolve: { p50: number; p99: number } | null;
  search: { p50: number; p99: number } | null;
  http: {
    commandsPerSecond: number;
    p50: number;
    p99: number;
    non2xx: number;
    errors: number;
    serviceStartSeconds: number;
    servicePeakRssMiB: number;
  } | null;
}

const machine = () =>
  `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;

/** Peak RSS of a running child, from /proc (VmHWM is the kernel's own high-water mark). */
function watchRss(child: ChildProcess): () => number {
  let peak = 0;
  const read = () => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
      if (hwm) peak = Math.max(peak, Number(hwm[1]) / 1024);
    } catch {
      /* the process has ended */
    }
  };
  const timer = setInterval(read, 250);
  return () => {
    clearInterval(timer);
    return Math.round(peak);
  };
}

function cli(
  dataDir: string,
  args: string[],
  extraEnv: Record<string, string> = {},
): Promise<StepResult & { stdout: string }> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(
      process.execPath,
      ['--max-old-space-size=3072', '-r', '@swc-node/register', join(ROOT, 'src/cli.ts'), ...args],
      {
        cwd: ROOT,
        env: { ...process.env, DATA_DIR: dataDir, JURISDICTION: 'bench', LOG_LEVEL: 'warn', ...extraEnv },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const stopWatching = watchRss(child);
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const peakRssMiB = stopWatching();
      if (code !== 0) reject(new Error(`cli ${args[0]} exited with ${code}`));
      else resolve({ seconds: Number(process.hrtime.bigint() - started) / 1e9, peakRssMiB, stdout });
    });
  });
}

const round = (n: number, digits = 1) => Number(n.toFixed(digits));
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function latencies(dataDir: string, people: number): Promise<Pick<SizeResult, 'resolve' | 'search'>> {
  const readStore = new SqliteReadStore(join(dataDir, 'read-models.sqlite'));
  try {
    const queries = new DirectoryQueries(new ReadModels(readStore, null, () => Date.now()));
    const random = mulberry32(7);
    const someone = () => `p${Math.floor(random() * people)}`;
    const resolveTimes: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const t = process.hrtime.bigint();
      await queries.resolve(someone(), someone());
      resolveTimes.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    const searchTimes: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const n = Math.floor(random() * people);
      // Alternately a whole mobile number and a two-character name fragment.
      const text = i % 2 === 0 ? syntheticMobile(n) : ['王伟', '李娜', '张敏', '刘洋', '陈静'][i % 5];
      const t = process.hrtime.bigint();
      await queries.search({ kind: 'PERSON', personId: someone() }, text);
      searchTimes.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    resolveTimes.sort((a, b) => a - b);
    searchTimes.sort((a, b) => a - b);
    return {
      resolve: { p50: round(percentile(resolveTimes, 50), 3), p99: round(percentile(resolveTimes, 99), 3) },
      search: { p50: round(percentile(searchTimes, 50), 3), p99: round(percentile(searchTimes, 99), 3) },
    };
  } finally {
    await readStore.close();
  }
}

async function httpCommands(dataDir: string): Promise<NonNullable<SizeResult['http']>> {
  const people = await activePeople(dataDir);
  const token = (await cli(dataDir, ['token', '--account', 'acc-admin', '--ttl', '2h'])).stdout.trim();
  const port = 39_000 + Math.floor(Math.random() * 1000);
  const started = process.hrtime.bigint();
  const service = spawn(
    process.execPath,
    ['--max-old-space-size=3072', '-r', '@swc-node/register', join(ROOT, 'src/main.ts')],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        JURISDICTION: 'bench',
        PORT: String(port),
        LOG_LEVEL: 'warn',
        WEBHOOKS_ENABLED: 'false',
        // One admin token drives the whole load: the per-credential limit would measure itself.
        RATE_LIMIT_PER_MINUTE: '10000000',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const stopWatching = watchRss(service);
  const stop = async () => {
    if (service.exitCode === null) {
      service.kill('SIGTERM');
      await new Promise((r) => service.once('exit', r));
    }
    return stopWatching();
  };
  try {
    for (;;) {
      if (service.exitCode !== null) throw new Error(`service exited with ${service.exitCode}`);
      const ok = await fetch(`http://127.0.0.1:${port}/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const serviceStartSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const result = await profileChanges({
      port,
      token,
      people,
      connections: HTTP_CONNECTIONS,
      seconds: HTTP_SECONDS,
      seed: 11,
    });
    const servicePeakRssMiB = await stop();
    return {
      commandsPerSecond: result.commandsPerSecond,
      p50: result.p50,
      p99: result.p99,
      non2xx: result.non2xx,
      errors: result.errors,
      serviceStartSeconds: round(serviceStartSeconds),
      servicePeakRssMiB,
    };
  } finally {
    await stop();
  }
}

async function benchSize(size: JurisdictionSize): Promise<SizeResult> {
  const dir = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), `bench-${size}-`));
  const dataDir = join(dir, 'data');
  try {
    process.stderr.write(`\n== ${size}: generate ==\n`);
    const generated = await cli(dataDir, ['generate', '--size', size]);
    const totals = JSON.parse(generated.stdout.trim().split('\n').at(-1)!) as {
      events: number;
      people: number;
      groups: number;
      nodes: number;
    };
    process.stderr.write(`== ${size}: rebuild ==\n`);
    // The CLI's defaults are the fast settings (REBUILD_BATCH_SIZE).
    const rebuild = await cli(dataDir, ['rebuild', '--quiet']);
    process.stderr.write(`== ${size}: assessment report 2025 ==\n`);
    const report = await cli(dataDir, [
      'report',
      'assessment',
      '--as',
      'acc-admin',
      '--period',
      '2025',
      '--format',
      'html',
      '--out',
      join(dir, 'report.html'),
    ]);
    process.stderr.write(`== ${size}: resolve and search ==\n`);
    const lat = await latencies(dataDir, JURISDICTION_SIZES[size].people);
    let http: SizeResult['http'] = null;
    if (HTTP_SIZE === size) {
      process.stderr.write(`== ${size}: HTTP commands, ${HTTP_CONNECTIONS} connections, ${HTTP_SECONDS} s ==\n`);
      http = await httpCommands(dataDir);
    }
    return {
      size,
      date: new Date().toISOString().slice(0, 10),
      machine: machine(),
      command: `BENCH_SIZES=${size} npm run bench`,
      events: totals.events,
      people: totals.people,
      groups: totals.groups,
      nodes: totals.nodes,
      import: {
        seconds: round(generated.seconds),
        peakRssMiB: generated.peakRssMiB,
        eventsPerSecond: Math.round(totals.events / generated.seconds),
      },
      rebuild: {
        seconds: round(rebuild.seconds),
        peakRssMiB: rebuild.peakRssMiB,
        eventsPerSecond: Math.round(totals.events / rebuild.seconds),
      },
      report: { seconds: round(report.seconds), peakRssMiB: report.peakRssMiB },
      ...lat,
      http,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const TARGETS = { import: 600, rebuild: 300, rss: 4096, commands: 2000, p99: 50 };
const verdict = (ok: boolean) => (ok ? 'met' : '**not met**');

function markdown(results: SizeResult[]): string {
  const lines = [
    '<!-- scale:start (written by `npm run bench` from bench/results/*.json) -->',
    '## Scale: synthetic jurisdictions (`npm run bench`)',
    '',
    'Each size is generated by `npm run cli -- generate --size <size>` (seeded, deterministic: the',
    "domain's deciders produce every event, with reservations, envelopes and timeliness) into a fresh",
    'embedded store; then every read model is rebuilt (`cli rebuild`), the 2025 assessment report',
    'rendered (`cli report assessment --format html`), resolve and search timed on the read models,',
    'and (district) the service started and loaded over HTTP with autocannon, 64 connections, each',
    'request an `UpdatePersonProfile` (a new office phone) of a random person still in post. Every step runs in its',
    'own process; peak RSS is its kernel high-water mark (VmHWM).',
    '',
    '| size | machine, date | events | import | rebuild | report 2025 | peak RSS (import / rebuild / report) | resolve p50 / p99 | search p50 / p99 | reproduce |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const r of results) {
    lines.push(
      `| ${r.size} (${r.people.toLocaleString('en')} people, ${r.groups.toLocaleString('en')} groups, ${r.nodes.toLocaleString('en')} nodes) | ${r.machine}, ${r.date} | ${r.events.toLocaleString('en')} | ${r.import.seconds} s (${r.import.eventsPerSecond.toLocaleString('en')} events/s) | ${r.rebuild ? `${r.rebuild.seconds} s (${r.rebuild.eventsPerSecond.toLocaleString('en')} events/s)` : '–'} | ${r.report ? `${r.report.seconds} s` : '–'} | ${r.import.peakRssMiB} / ${r.rebuild?.peakRssMiB ?? '–'} / ${r.report?.peakRssMiB ?? '–'} MiB | ${r.resolve ? `${r.resolve.p50} / ${r.resolve.p99} ms` : '–'} | ${r.search ? `${r.search.p50} / ${r.search.p99} ms` : '–'} | \`${r.command}\` |`,
    );
  }
  const province = results.find((r) => r.size === 'province');
  const http = results.find((r) => r.http)?.http ?? null;
  lines.push('', 'Targets (embedded default):', '');
  if (province) {
    const rss = Math.max(
      province.import.peakRssMiB,
      province.rebuild?.peakRssMiB ?? 0,
      province.report?.peakRssMiB ?? 0,
    );
    lines.push(
      `- province import < 10 min: ${province.import.seconds} s, ${verdict(province.import.seconds < TARGETS.import)}`,
    );
    lines.push(
      `- province rebuild < 5 min: ${province.rebuild?.seconds ?? '–'} s, ${verdict((province.rebuild?.seconds ?? Infinity) < TARGETS.rebuild)}`,
    );
    lines.push(`- province peak RSS < 4 GiB: ${rss} MiB, ${verdict(rss < TARGETS.rss)}`);
  } else lines.push('- province: not measured yet');
  if (http) {
    lines.push(
      `- HTTP commands ≥ 2,000/s with p99 < 50 ms at 64 connections: ${http.commandsPerSecond.toLocaleString('en')}/s, p50 ${http.p50} ms, p99 ${http.p99} ms (${http.non2xx} non-2xx, ${http.errors} errors; service up in ${http.serviceStartSeconds} s, its peak RSS ${http.servicePeakRssMiB} MiB), ${verdict(http.commandsPerSecond >= TARGETS.commands && http.p99 < TARGETS.p99)}`,
    );
  }
  lines.push('<!-- scale:end -->');
  return lines.join('\n');
}

function writeBenchmarks(results: SizeResult[]): void {
  const file = join(ROOT, 'BENCHMARKS.md');
  const current = readFileSync(file, 'utf8');
  const section = markdown(results);
  const start = current.indexOf('<!-- scale:start');
  const end = current.indexOf('<!-- scale:end -->');
  const next =
    start >= 0 && end > start
      ? current.slice(0, start) + section + current.slice(end + '<!-- scale:end -->'.length)
      : current.replace(/\n## /, `\n${section}\n\n## `);
  writeFileSync(file, next);
}

async function main(): Promise<void> {
  mkdirSync(RESULTS, { recursive: true });
  const measured: SizeResult[] = [];
  for (const size of SIZES) {
    if (!(size in JURISDICTION_SIZES)) throw new Error(`unknown size ${size}`);
    const result = await benchSize(size);
    measured.push(result);
    writeFileSync(join(RESULTS, `scale-${size}.json`), `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(result)}\n`);
  }
  const saved = readdirSync(RESULTS)
    .filter((f) => /^scale-.*\.json$/.test(f))
    .map((f) => JSON.parse(readFileSync(join(RESULTS, f), 'utf8')) as SizeResult)
    .sort((a, b) => Object.keys(JURISDICTION_SIZES).indexOf(a.size) - Object.keys(JURISDICTION_SIZES).indexOf(b.size));
  if (existsSync(join(ROOT, 'BENCHMARKS.md'))) writeBenchmarks(saved);
  const province = measured.find((r) => r.size === 'province');
  const http = measured.find((r) => r.http)?.http ?? null;
  process.stdout.write(
    `${JSON.stringify({
      province_import_s: province?.import.seconds ?? null,
      province_rebuild_s: province?.rebuild?.seconds ?? null,
      province_peak_rss_mib: province
        ? Math.max(province.import.peakRssMiB, province.rebuild?.peakRssMiB ?? 0, province.report?.peakRssMiB ?? 0)
        : null,
      http_commands_per_s: http?.commandsPerSecond ?? null,
      http_p99_ms: http?.p99 ?? null,
    })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
