/**
 * The console's bundle budget, checked in the test command: the JavaScript a first visit loads
 * before any page (the entry chunk and what it imports statically), gzipped, must stay under
 * CONSOLE_BUDGET_KB. Pages are chunks of their own and are not counted; the limit and why are in
 * the README ("Web console"). Prints the figures and one JSON line.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_KB = 300;

interface Chunk {
  readonly file: string;
  readonly isEntry?: boolean;
  readonly imports?: readonly string[];
  readonly dynamicImports?: readonly string[];
}

const dist = join(__dirname, '..', 'web', 'dist');
const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8')) as Record<string, Chunk>;
const entries = Object.keys(manifest).filter((key) => manifest[key].isEntry);
if (entries.length !== 1)
  throw new Error(`expected one entry chunk in the console's manifest, found ${entries.length}`);

const initial = new Set<string>();
const visit = (key: string) => {
  if (initial.has(key)) return;
  initial.add(key);
  for (const imported of manifest[key].imports ?? []) visit(imported);
};
visit(entries[0]);

const sizes = [...initial].map((key) => {
  const bytes = readFileSync(join(dist, manifest[key].file));
  return { file: manifest[key].file, bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
});
const gzipKb = sizes.reduce((sum, s) => sum + s.gzip, 0) / 1024;
for (const s of sizes)
  console.log(`${s.file}: ${(s.bytes / 1024).toFixed(1)} kB, ${(s.gzip / 1024).toFixed(1)} kB gzipped`);
console.log(`initial JavaScript: ${gzipKb.toFixed(1)} kB gzipped (budget ${BUDGET_KB} kB)`);
console.log(JSON.stringify({ consoleInitialJsGzipKb: Number(gzipKb.toFixed(1)), budgetKb: BUDGET_KB }));
if (gzipKb > BUDGET_KB) {
  console.error(
    `the console's initial JavaScript (${gzipKb.toFixed(1)} kB gzipped) is over its budget of ${BUDGET_KB} kB`,
  );
  process.exit(1);
}
