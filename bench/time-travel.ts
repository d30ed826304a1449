/**
 * `node -r @swc-node/register bench/time-travel.ts <DATA_DIR> <SUBTREE_ROOT> [PEOPLE]` — on an existing
 * store (JURISDICTION bench, as `npm run bench` makes it): starts the service, waits until its start-up
 * work is done (BENCH_SETTLE_S, default 10 s after /health answers), then times 200 one-person as-of
 * reads and 3 subtree as-of reads over HTTP, as the scale bench's service step does, and prints one
 * JSON line with a hash of the subtree's answer (to compare two builds).
 */
import { createHash } from 'node:crypto';
import { mulberry32 } from '../src/tools/synthetic/synthetic-jurisdiction';
import { startKeptStoreService } from './kept-store-service';

const [dataDir, root, peopleArg] = process.argv.slice(2);
const people = Number(peopleArg ?? 1_500_000);
const msSince = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e6;
const round = (n: number) => Math.round(n * 10) / 10;

void (async () => {
  const { port, token, upS, stop } = await startKeptStoreService(dataDir);
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
  await stop();
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
