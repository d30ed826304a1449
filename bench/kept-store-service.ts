/**
 * The service on an existing store (JURISDICTION bench, as `npm run bench` makes it), for the
 * scripts that measure it there: its environment, an admin token, and the service started and
 * stopped. SERVICE_NODE_ARGS adds arguments to the service's node (e.g. `--cpu-prof`).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

export const benchEnv = (dataDir: string, extra: Record<string, string> = {}) => ({
  ...process.env,
  DATA_DIR: dataDir,
  JURISDICTION: 'bench',
  LOG_LEVEL: 'warn',
  WEBHOOKS_ENABLED: 'false',
  // One admin token drives the whole load: the per-credential limit would measure itself.
  RATE_LIMIT_PER_MINUTE: '10000000',
  ...extra,
});

export interface KeptStoreService {
  readonly port: number;
  readonly token: string;
  /** When it was spawned (process.hrtime), and seconds until /health answered. */
  readonly spawnedAt: bigint;
  readonly upS: number;
  /** SIGTERM, and the seconds until it exited. */
  stop(): Promise<number>;
}

export async function startKeptStoreService(dataDir: string): Promise<KeptStoreService> {
  const token = spawnSync(
    process.execPath,
    ['-r', '@swc-node/register', `${ROOT}/src/cli.ts`, 'token', '--account', 'acc-admin', '--ttl', '2h'],
    { cwd: ROOT, env: benchEnv(dataDir), encoding: 'utf8' },
  ).stdout.trim();
  const port = 41_000 + Math.floor(Math.random() * 2000);
  const nodeArgs = (process.env.SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const spawnedAt = process.hrtime.bigint();
  const child: ChildProcess = spawn(
    process.execPath,
    [...nodeArgs, '--max-old-space-size=3072', '-r', '@swc-node/register', `${ROOT}/src/main.ts`],
    { cwd: ROOT, env: benchEnv(dataDir, { PORT: String(port) }), stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const healthy = () =>
    fetch(`http://127.0.0.1:${port}/health`).then(
      (r) => r.ok,
      () => false,
    );
  while (!(await healthy())) await new Promise((r) => setTimeout(r, 200));
  const upS = Math.round(Number(process.hrtime.bigint() - spawnedAt) / 1e8) / 10;
  return {
    port,
    token,
    spawnedAt,
    upS,
    stop: async () => {
      const at = Date.now();
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      return (Date.now() - at) / 1000;
    },
  };
}
