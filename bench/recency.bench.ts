/**
 * node -r @swc-node/register bench/recency.bench.ts — why the caches evict a tenth at a time:
 * 300,000 keys noted past a limit of 100,000, the oldest deleted one at a time through a fresh
 * `keys()` iterator each time, against `keepRecent` (src/application/shared/recency.ts).
 * Median of 3 runs each; ends with one line of JSON.
 */
import { keepRecent } from '../src/application/shared/recency';

const LIMIT = 100_000;
const NOTES = 400_000;

function oneAtATime(map: Map<string, number>, key: string, value: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > LIMIT) map.delete(map.keys().next().value!);
}

function aTenthAtATime(map: Map<string, number>, key: string, value: number): void {
  map.delete(key);
  map.set(key, value);
  keepRecent(map, LIMIT);
}

function time(note: (map: Map<string, number>, key: string, value: number) => void): number {
  const map = new Map<string, number>();
  const started = process.hrtime.bigint();
  for (let i = 0; i < NOTES; i++) note(map, `s${i}`, i);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const one: number[] = [];
const tenth: number[] = [];
for (let run = 0; run < 3; run++) {
  one.push(time(oneAtATime));
  tenth.push(time(aTenthAtATime));
}
console.log(
  `${NOTES - LIMIT} evictions past ${LIMIT}: one at a time ${median(one).toFixed(0)} ms, a tenth at a time ${median(tenth).toFixed(0)} ms`,
);
console.log(
  JSON.stringify({
    evict_one_at_a_time_ms: Math.round(median(one)),
    evict_a_tenth_at_a_time_ms: Math.round(median(tenth)),
  }),
);
