/** The service as its own process (src/main.ts), as operators run it, on a data directory. */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from './ports';
import { TEST_JWT_SECRET } from './test-app';

export interface ServiceProcess {
  readonly child: ChildProcess;
  readonly base: string;
}

/** Starts the service on `dataDir` with `env` over the suites' defaults, and waits until it is live. */
export async function startServiceProcess(dataDir: string, env: Record<string, string>): Promise<ServiceProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join(__dirname, '../../src/main.ts')], {
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      JURISDICTION: 'qingpu',
      JWT_SECRET: TEST_JWT_SECRET,
      PORT: String(port),
      LOG_LEVEL: 'silent',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let waited = 0; waited < 60_000; waited += 100) {
    if (child.exitCode !== null) throw new Error(`the service exited with ${child.exitCode}`);
    const up = await fetch(`${base}/health/live`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return { child, base };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the service did not start');
}
