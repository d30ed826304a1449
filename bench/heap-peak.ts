/**
 * Preloaded (`-r`) into a benchmarked step: the peak of its V8 heap (used size, sampled every
 * 100 ms and at exit), written to BENCH_HEAP_FILE when the process exits. RSS says what the
 * machine gave the process; this says what the program held.
 */
import { writeFileSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';

const file = process.env.BENCH_HEAP_FILE;
if (file) {
  let peak = 0;
  const sample = () => {
    peak = Math.max(peak, getHeapStatistics().used_heap_size);
  };
  setInterval(sample, 100).unref();
  process.on('exit', () => {
    sample();
    writeFileSync(file, String(peak));
  });
}
