/**
 * `node -r @swc-node/register bench/time-travel.ts <DATA_DIR> <SUBTREE_ROOT> [PEOPLE]` — on an existing
 * store (JURISDICTION bench, as `npm run bench` makes it): starts the service, waits until its start-up
 * work is done (BENCH_SETTLE_S, default 10 s after /health answers), then times 200 one-person as-of
 * reads and 3 subtree as-of reads over HTTP, as the scale bench's service step does, and prints one
 * JSON line with a hash of the subtree's answer (to compare two builds). SERVICE_NODE_ARGS adds arguments to the service's node (e.g. `--cpu-prof`).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { mulberry32 } from '../src/tools/synthetic/synthetic-jurisdiction';

const ROOT = join(__dirname, '..');
const [dataDir, root, peopleArg] = process.argv.slice(2);
const people = Number(peopleArg ?? 1_500_000);
const env = {
  ...process.env,
  DATA_DIR: dataDir,
  JURISDICTION: 'bench',
  LOG_LEVEL: 'warn',
  WEBHOOKS_ENABLED: 'false',
  RATE_LIMIT_PER_MINUTE: '10000000',
};
const msSince = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e6;
const round = (n: number) => Math.round(n * 10) / 10;

void (async () => {
  const token = spawnSync(
    process.execPath,
    ['-r', '@swc-node/register', `${ROOT}/src/cli.ts`, 'token', '--account', 'acc-admin', '--ttl', '2h'],
    { cwd: ROOT, env, encoding: 'utf8' },
  ).stdout.trim();
  const port = 42_000 + Math.floor(Math.random() * 1000);
  const nodeArgs = (process.env.SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const service = spawn(
    process.execPath,
    [...nodeArgs, '--max-old-space-size=3072', '-r', '@swc-node/register', `${ROOT}/src/main.ts`],
    { cwd: ROOT, env: { ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const started = process.hrtime.bigint();
  const ok = () =>
    fetch(`http://127.0.0.1:${port}/health`).then(
      (r) => r.ok,
      () => false,
    );
  while (!(await ok())) await new Promise((r) => setTimeout(r, 200));
  const upS = round(msSince(started) / 1000);
  await new Promise((r) => setTimeout(r, Number(process.env.BENCH_SETTLE_S ?? 10) * 1000));
  const get = async (path: string) => {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await response.json()) as Record<string, unknown>;
    if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(body).slice(0, 300)}`);
    return body;
  };
  const random = mulberry32(13);
  const now = encodeURIComponent(new Date().toISOString());
  const personTimes: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t = process.hrtime.bigint();
    await get(`/audit/Person/p${Math.floor(random() * people)}/as-of?recordedAt=${now}`);
    personTimes.push(msSince(t));
  }
  personTimes.sort((a, b) => a - b);
  const runs: number[] = [];
  let part: Record<string, unknown> = {};
  for (let i = 0; i < 3; i++) {
    const t = process.hrtime.bigint();
    part = await get(`/audit/snapshot?root=${root}&effectiveOn=2025-06-30`);
    runs.push(round(msSince(t)));
  }
  service.kill('SIGTERM');
  await new Promise((r) => service.once('exit', r));
  // The scale bench's percentile, so that the figures compare.
  const at = (p: number) =>
    round(personTimes[Math.min(personTimes.length - 1, Math.floor((p / 100) * personTimes.length))]);
  console.log(
    JSON.stringify({
      serviceUpS: upS,
      personAsOfP50Ms: at(50),
      personAsOfP99Ms: at(99),
      subtree: {
        root,
        people: (part.persons as unknown[]).length,
        nodes: (part.nodes as unknown[]).length,
        // Two builds answer the same iff these agree (the store unchanged between them).
        sha256: createHash('sha256')
          .update(JSON.stringify({ nodes: part.nodes, persons: part.persons }))
          .digest('hex'),
      },
      subtreeAsOfMs: runs,
      subtreeAsOfMedianMs: [...runs].sort((a, b) => a - b)[1],
    }),
  );
})();
