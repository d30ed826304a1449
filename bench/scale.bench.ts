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
 *   6. on the service started on the data: time travel (one person as of a recorded time, a subtree of
 *      about 5,000 people as of a date) and an SSE stream opened at `from=end` (the delay from sending
 *      a command to the delivery of its event, at once after start and again once warm).
 *
 * Resumable: each size runs in BENCH_DIR/bench-<size> (default bench/.runs), each finished step's
 * figures saved in its steps.json; a run started again skips what is done (an interrupted generate
 * starts over on an empty store, an interrupted rebuild resumes its generation). BENCH_FRESH=1
 * throws an earlier run away. The directory is removed once the size is done, unless BENCH_KEEP=1.
 *
 * Each size's figures are saved to bench/results/scale-<size>.json; BENCHMARKS.md's scale section
 * is rewritten from every saved result (with the machine and the command that reproduces it).
 * Ends with one line of JSON: province_import_s, province_rebuild_s, province_peak_rss_mib,
 * http_commands_per_s, http_p99_ms (null for what this run did not measure).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
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
  /** The peak of the V8 heap's used size (bench/heap-peak.ts). */
  peakHeapMiB?: number;
}

interface ServiceResult {
  serviceStartSeconds: number;
  servicePeakRssMiB: number;
  personAsOf: { p50: number; p99: number; samples: number };
  subtreeAsOf: { root: string; people: number; nodes: number; medianMs: number; runs: number[] };
  sse: { coldMs: number; coldOpenedAfterStartS: number; warmMs: number };
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
  service?: ServiceResult | null;
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
    const heapFile = join(dataDir, '..', `heap-${process.pid}-${Date.now()}`);
    const child = spawn(
      process.execPath,
      [
        '--max-old-space-size=3072',
        '-r',
        '@swc-node/register',
        '-r',
        join(__dirname, 'heap-peak.ts'),
        join(ROOT, 'src/cli.ts'),
        ...args,
      ],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          DATA_DIR: dataDir,
          JURISDICTION: 'bench',
          LOG_LEVEL: 'warn',
          BENCH_HEAP_FILE: heapFile,
          ...extraEnv,
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const stopWatching = watchRss(child);
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const peakRssMiB = stopWatching();
      const peakHeapMiB = existsSync(heapFile)
        ? Math.round(Number(readFileSync(heapFile, 'utf8')) / 2 ** 20)
        : undefined;
      rmSync(heapFile, { force: true });
      if (code !== 0) reject(new Error(`cli ${args[0]} exited with ${code}`));
      else resolve({ seconds: Number(process.hrtime.bigint() - started) / 1e9, peakRssMiB, peakHeapMiB, stdout });
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

interface RunningService {
  readonly port: number;
  readonly token: string;
  readonly startSeconds: number;
  /** Stops the service (if still running) and returns its peak RSS. */
  stop(): Promise<number>;
}

async function startService(dataDir: string): Promise<RunningService> {
  const token = (await cli(dataDir, ['token', '--account', 'acc-admin', '--ttl', '4h'])).stdout.trim();
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
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, token, startSeconds: round(Number(process.hrtime.bigint() - started) / 1e9), stop };
}

const msSince = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e6;

/** A profile change of someone in post (tried on random people until one is accepted): its new phone, when sent. */
async function changeSomeone(
  service: RunningService,
  people: number,
  random: () => number,
): Promise<{ phone: string; sent: bigint }> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const officePhone = `0571-${String(Math.floor(10_000_000 + random() * 89_999_999))}`;
    const sent = process.hrtime.bigint();
    const response = await fetch(`http://127.0.0.1:${service.port}/persons/p${Math.floor(random() * people)}/profile`, {
      method: 'POST',
      headers: { authorization: `Bearer ${service.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ changes: { officePhone } }),
    });
    const body = (await response.json()) as { events?: unknown[] };
    // A run resumed on a kept store draws the same numbers: a phone a person already has changes nothing.
    if (response.ok && (body.events?.length ?? 0) > 0) return { phone: officePhone, sent };
  }
  throw new Error('no profile change accepted in 50 attempts');
}

/** Opens SSE at from=end, appends one change, and measures from the sending of its command to its delivery. */
async function sseDelay(service: RunningService, people: number, random: () => number): Promise<number> {
  const controller = new AbortController();
  const response = await fetch(`http://127.0.0.1:${service.port}/events/stream?from=end&types=PersonProfileUpdated`, {
    headers: { authorization: `Bearer ${service.token}`, accept: 'text/event-stream' },
    signal: controller.signal,
  });
  if (!response.ok || !response.body) throw new Error(`SSE answered ${response.status}`);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  // The stream has answered (its head is read); what is appended from now on is live.
  while (!text.includes('retry:')) text += decoder.decode((await reader.read()).value, { stream: true });
  const { phone, sent } = await changeSomeone(service, people, random);
  try {
    while (!text.includes(phone)) {
      const chunk = await reader.read();
      if (chunk.done) throw new Error('SSE ended before the event came');
      text += decoder.decode(chunk.value, { stream: true });
    }
    return round(msSince(sent), 1);
  } finally {
    controller.abort();
  }
}

async function getJson(service: RunningService, path: string): Promise<Record<string, unknown>> {
  const response = await fetch(`http://127.0.0.1:${service.port}${path}`, {
    headers: { authorization: `Bearer ${service.token}` },
  });
  const body = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(body).slice(0, 300)}`);
  return body;
}

/** The subtree the time-travel step asks for: a county's towns (about 5,000 people in a province). */
const SUBTREE_ROOT: Record<JurisdictionSize, string> = { district: 'root-t0', city: 'root-c0-t', province: 'm0-c0-t' };

async function serviceMeasures(dataDir: string, size: JurisdictionSize): Promise<ServiceResult> {
  const people = JURISDICTION_SIZES[size].people;
  const random = mulberry32(13);
  const started = process.hrtime.bigint();
  const service = await startService(dataDir);
  try {
    process.stderr.write(`   service up in ${service.startSeconds} s; SSE from=end at once\n`);
    const coldOpenedAfterStartS = round(msSince(started) / 1000);
    const coldMs = await sseDelay(service, people, random);
    process.stderr.write(`   cold SSE delay ${coldMs} ms; time travel\n`);
    const personTimes: number[] = [];
    const now = encodeURIComponent(new Date().toISOString());
    for (let i = 0; i < 200; i++) {
      const t = process.hrtime.bigint();
      await getJson(service, `/audit/Person/p${Math.floor(random() * people)}/as-of?recordedAt=${now}`);
      personTimes.push(msSince(t));
    }
    personTimes.sort((a, b) => a - b);
    const root = SUBTREE_ROOT[size];
    const runs: number[] = [];
    let part: Record<string, unknown> = {};
    for (let i = 0; i < 3; i++) {
      const t = process.hrtime.bigint();
      part = await getJson(service, `/audit/snapshot?root=${root}&effectiveOn=2025-06-30`);
      runs.push(round(msSince(t), 1));
    }
    const warmMs = await sseDelay(service, people, random);
    const median = [...runs].sort((a, b) => a - b)[1];
    return {
      serviceStartSeconds: service.startSeconds,
      servicePeakRssMiB: await service.stop(),
      personAsOf: {
        p50: round(percentile(personTimes, 50), 2),
        p99: round(percentile(personTimes, 99), 2),
        samples: personTimes.length,
      },
      subtreeAsOf: {
        root,
        people: (part.persons as unknown[]).length,
        nodes: (part.nodes as unknown[]).length,
        medianMs: median,
        runs,
      },
      sse: { coldMs, coldOpenedAfterStartS, warmMs },
    };
  } finally {
    await service.stop();
  }
}

async function httpCommands(dataDir: string): Promise<NonNullable<SizeResult['http']>> {
  const people = await activePeople(dataDir);
  const service = await startService(dataDir);
  try {
    const result = await profileChanges({
      port: service.port,
      token: service.token,
      people,
      connections: HTTP_CONNECTIONS,
      seconds: HTTP_SECONDS,
      seed: 11,
    });
    return {
      commandsPerSecond: result.commandsPerSecond,
      p50: result.p50,
      p99: result.p99,
      non2xx: result.non2xx,
      errors: result.errors,
      serviceStartSeconds: service.startSeconds,
      servicePeakRssMiB: await service.stop(),
    };
  } finally {
    await service.stop();
  }
}

interface Steps {
  generate?: StepResult & { totals: { events: number; people: number; groups: number; nodes: number } };
  rebuild?: StepResult & { threadPeakHeapMiB?: number[] };
  report?: StepResult;
  latencies?: Pick<SizeResult, 'resolve' | 'search'>;
  service?: ServiceResult;
  http?: NonNullable<SizeResult['http']>;
}

async function benchSize(size: JurisdictionSize): Promise<SizeResult> {
  const dir = join(process.env.BENCH_DIR ?? join(__dirname, '.runs'), `bench-${size}`);
  const dataDir = join(dir, 'data');
  const stepsFile = join(dir, 'steps.json');
  if (process.env.BENCH_FRESH === '1') rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const steps = (existsSync(stepsFile) ? JSON.parse(readFileSync(stepsFile, 'utf8')) : {}) as Steps;
  async function step<K extends keyof Steps>(name: K, title: string, run: () => Promise<Steps[K]>) {
    if (steps[name] !== undefined) {
      process.stderr.write(`== ${size}: ${title}: done in an earlier run ==\n`);
      return steps[name]!;
    }
    process.stderr.write(`\n== ${size}: ${title} ==\n`);
    steps[name] = await run();
    writeFileSync(stepsFile, `${JSON.stringify(steps, null, 2)}\n`);
    return steps[name]!;
  }

  const generated = await step('generate', 'generate', async () => {
    // A store left by an interrupted generate cannot be continued: start it over.
    rmSync(dataDir, { recursive: true, force: true });
    const { stdout, ...measured } = await cli(dataDir, ['generate', '--size', size]);
    const totals = JSON.parse(stdout.trim().split('\n').at(-1)!) as NonNullable<Steps['generate']>['totals'];
    return { ...measured, totals };
  });
  // The CLI's defaults are the fast settings (REBUILD_BATCH_SIZE); an interrupted rebuild resumes.
  const rebuild = await step('rebuild', 'rebuild', async () => {
    const { stdout, ...measured } = await cli(dataDir, ['rebuild', '--quiet']);
    // The read models are built in worker threads: their heaps, summed (an upper bound of what was held at once), with the CLI's own.
    const { threadPeakHeapMiB } = JSON.parse(stdout.trim().split('\n').at(-1)!) as { threadPeakHeapMiB: number[] };
    const threads = threadPeakHeapMiB.reduce((a, b) => a + b, 0);
    return { ...measured, peakHeapMiB: (measured.peakHeapMiB ?? 0) + threads, threadPeakHeapMiB };
  });
  const report = await step('report', 'assessment report 2025', async () => {
    const { stdout: _, ...measured } = await cli(dataDir, [
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
    return measured;
  });
  const lat = await step('latencies', 'resolve and search', () => latencies(dataDir, JURISDICTION_SIZES[size].people));
  const service = await step('service', 'time travel and SSE on the service', () => serviceMeasures(dataDir, size));
  const http =
    HTTP_SIZE === size
      ? await step('http', `HTTP commands, ${HTTP_CONNECTIONS} connections, ${HTTP_SECONDS} s`, () =>
          httpCommands(dataDir),
        )
      : null;
  const { totals } = generated;
  const result: SizeResult = {
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
      peakHeapMiB: generated.peakHeapMiB,
      eventsPerSecond: Math.round(totals.events / generated.seconds),
    },
    rebuild: {
      ...rebuild,
      seconds: round(rebuild.seconds),
      eventsPerSecond: Math.round(totals.events / rebuild.seconds),
    },
    report: { ...report, seconds: round(report.seconds) },
    ...lat,
    service,
    http,
  };
  // BENCH_KEEP=1 leaves the store for measurements after the run (bench/sse-restart.ts).
  if (process.env.BENCH_KEEP !== '1') rmSync(dir, { recursive: true, force: true });
  return result;
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
  lines.push(
    '',
    'Peak V8 heap (used size, bench/heap-peak.ts) of each step, and what the service answers on the same data',
    '(time travel over HTTP; SSE opened at `from=end`, the delay from sending a command to the delivery of its event):',
    '',
    '| size | peak heap (import / rebuild / report) | person as of, p50 / p99 | subtree as of (median of 3) | SSE first live event: at service start / warm | service up, peak RSS |',
    '|---|---:|---:|---:|---:|---:|',
  );
  for (const r of results) {
    const s = r.service;
    lines.push(
      `| ${r.size} | ${r.import.peakHeapMiB ?? '–'} / ${r.rebuild?.peakHeapMiB ?? '–'} / ${r.report?.peakHeapMiB ?? '–'} MiB | ${s ? `${s.personAsOf.p50} / ${s.personAsOf.p99} ms` : '–'} | ${s ? `${s.subtreeAsOf.medianMs} ms (\`${s.subtreeAsOf.root}\`: ${s.subtreeAsOf.people.toLocaleString('en')} people, ${s.subtreeAsOf.nodes} nodes)` : '–'} | ${s ? `${s.sse.coldMs} ms (opened ${s.sse.coldOpenedAfterStartS} s after the start) / ${s.sse.warmMs} ms` : '–'} | ${s ? `${s.serviceStartSeconds} s, ${s.servicePeakRssMiB} MiB` : '–'} |`,
    );
  }
  const province = results.find((r) => r.size === 'province');
  const district = results.find((r) => r.size === 'district');
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
    lines.push(
      `- province report 2025 < 60 s: ${province.report?.seconds ?? '–'} s, ${verdict((province.report?.seconds ?? Infinity) < 60)}`,
    );
    const heap = province.rebuild?.peakHeapMiB;
    const base = district?.rebuild?.peakHeapMiB;
    lines.push(
      `- province rebuild's peak heap within 1.5× the district's: ${heap ?? '–'} / ${base ?? '–'} MiB, ${verdict(heap !== undefined && base !== undefined && heap <= 1.5 * base)}`,
    );
    lines.push(
      `- province resolve p99 < 1 ms: ${province.resolve?.p99 ?? '–'} ms, ${verdict((province.resolve?.p99 ?? Infinity) < 1)}; search p99 < 20 ms: ${province.search?.p99 ?? '–'} ms, ${verdict((province.search?.p99 ?? Infinity) < 20)}`,
    );
    const s = province.service;
    if (s) {
      lines.push(
        `- province SSE at \`from=end\` delivers its first live event < 1 s: ${s.sse.coldMs} ms at service start, ${s.sse.warmMs} ms warm, ${verdict(s.sse.coldMs < 1000 && s.sse.warmMs < 1000)}`,
      );
      lines.push(
        `- province as of: one entity < 50 ms (p99 ${s.personAsOf.p99} ms), ${verdict(s.personAsOf.p99 < 50)}; a ${s.subtreeAsOf.people.toLocaleString('en')}-person subtree < 2 s (${s.subtreeAsOf.medianMs} ms), ${verdict(s.subtreeAsOf.medianMs < 2000)}`,
      );
    }
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
