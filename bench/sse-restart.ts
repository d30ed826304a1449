/**
 * `node -r @swc-node/register bench/sse-restart.ts <DATA_DIR>` — on an existing store (JURISDICTION
 * bench, as `npm run bench` makes it): starts the service, opens an SSE stream at `from=end` as soon
 * as it answers /health, sends one profile change and prints the delay from sending it to its
 * delivery; then stops the service (which saves the live feed's snapshot). Run it twice: the first
 * run on a store folds the whole published history, the second resumes from the snapshot.
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const dataDir = process.argv[2];
const env = {
  ...process.env,
  DATA_DIR: dataDir,
  JURISDICTION: 'bench',
  LOG_LEVEL: 'warn',
  WEBHOOKS_ENABLED: 'false',
  RATE_LIMIT_PER_MINUTE: '10000000',
};
void (async () => {
  const token = spawnSync(
    process.execPath,
    ['-r', '@swc-node/register', `${ROOT}/src/cli.ts`, 'token', '--account', 'acc-admin', '--ttl', '2h'],
    { cwd: ROOT, env, encoding: 'utf8' },
  ).stdout.trim();
  const port = 41_000 + Math.floor(Math.random() * 1000);
  const started = Date.now();
  const service = spawn(
    process.execPath,
    ['--max-old-space-size=3072', '-r', '@swc-node/register', `${ROOT}/src/main.ts`],
    { cwd: ROOT, env: { ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  for (;;) {
    if (
      await fetch(`http://127.0.0.1:${port}/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const up = (Date.now() - started) / 1000;
  const controller = new AbortController();
  const response = await fetch(`http://127.0.0.1:${port}/events/stream?from=end&types=PersonProfileUpdated`, {
    headers: { authorization: `Bearer ${token}` },
    signal: controller.signal,
  });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (!text.includes('retry:')) text += decoder.decode((await reader.read()).value, { stream: true });
  let phone = '';
  let sent = 0n;
  for (let i = 1; ; i++) {
    phone = `0571-${String(20_000_000 + Math.floor(Math.random() * 1e7))}`;
    sent = process.hrtime.bigint();
    const r = await fetch(`http://127.0.0.1:${port}/persons/p${i * 7919}/profile`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ changes: { officePhone: phone } }),
    });
    await r.arrayBuffer();
    if (r.ok) break;
  }
  while (!text.includes(phone)) text += decoder.decode((await reader.read()).value, { stream: true });
  const delay = Number(process.hrtime.bigint() - sent) / 1e6;
  controller.abort();
  console.log(
    JSON.stringify({
      serviceUpS: up,
      sseOpenedAfterS: (Date.now() - started) / 1000,
      sseFirstLiveEventMs: Math.round(delay * 10) / 10,
    }),
  );
  const stopAt = Date.now();
  service.kill('SIGTERM');
  await new Promise((r) => service.once('exit', r));
  console.log(JSON.stringify({ stopS: (Date.now() - stopAt) / 1000 }));
})();
