/**
 * `node -r @swc-node/register bench/sse-restart.ts <DATA_DIR>` — on an existing store (JURISDICTION
 * bench, as `npm run bench` makes it): starts the service, opens an SSE stream at `from=end` as soon
 * as it answers /health, sends one profile change and prints the delay from sending it to its
 * delivery; then stops the service (which saves the live feed's snapshot). Run it twice: the first
 * run on a store folds the whole published history, the second resumes from the snapshot.
 */
import { startKeptStoreService } from './kept-store-service';

const dataDir = process.argv[2];
void (async () => {
  const { port, token, spawnedAt, upS: up, stop } = await startKeptStoreService(dataDir);
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
      sseOpenedAfterS: Number(process.hrtime.bigint() - spawnedAt) / 1e9,
      sseFirstLiveEventMs: Math.round(delay * 10) / 10,
    }),
  );
  console.log(JSON.stringify({ stopS: await stop() }));
})();
