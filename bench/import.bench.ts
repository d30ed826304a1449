/**
 * npm run bench:import — the import template of a district (30,000 people) and of a city
 * (300,000; BENCH_IMPORT_PEOPLE lists the sizes) imported through the CLI (progress bar on
 * stderr) into a fresh embedded store, then the same file again (which must change nothing).
 * Each import's wall time and peak RSS (the kernel's VmHWM); ends with one line of JSON.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { generateDistrict } from '../src/tools/district-workbook';

const SIZES = (process.env.BENCH_IMPORT_PEOPLE ?? '30000,300000').split(',').map(Number);

interface Run {
  readonly seconds: number;
  readonly peakRssMiB: number;
}

function cli(dataDir: string, args: string[], stdout: 'ignore' | 'inherit' = 'inherit'): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, ['-r', '@swc-node/register', join(__dirname, '../src/cli.ts'), ...args], {
      env: { ...process.env, DATA_DIR: dataDir, JURISDICTION: 'qingpu' },
      stdio: ['ignore', stdout, 'inherit'],
    });
    let peak = 0;
    const timer = setInterval(() => {
      try {
        const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (hwm) peak = Math.max(peak, Number(hwm[1]) / 1024);
      } catch {
        /* ended */
      }
    }, 250);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(timer);
      if (code !== 0) reject(new Error(`${args[0]} exited with ${code}`));
      else resolve({ seconds: Number(process.hrtime.bigint() - started) / 1e9, peakRssMiB: Math.round(peak) });
    });
  });
}

async function importOnce(people: number) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-import-'));
  const dataDir = join(dir, 'data');
  try {
    const { workbook, nodes } = await generateDistrict(people);
    const file = join(dir, 'jurisdiction.xlsx');
    writeFileSync(file, workbook);
    // The root and the first system admin, who then imports (the root in the file matches and is skipped).
    await cli(
      dataDir,
      [
        'bootstrap',
        '--root-name',
        '青浦区',
        '--name',
        '管理员',
        '--id-number',
        '310118197001010088',
        '--gender',
        '2',
        '--mobile',
        '13000000000',
      ],
      'ignore',
    );
    const first = await cli(dataDir, ['import', '--actor', 'acc-admin', file]);
    const again = await cli(dataDir, ['import', '--actor', 'acc-admin', file]);
    const mib = (workbook.length / 2 ** 20).toFixed(1);
    console.log(`${people.toLocaleString('en')} people, ${nodes} org nodes (XLSX ${mib} MiB):`);
    console.log(
      `  first import (CLI, start to exit): ${first.seconds.toFixed(1)} s, ${Math.round(people / first.seconds)} people/s, peak RSS ${first.peakRssMiB} MiB`,
    );
    console.log(`  same file again (validated, nothing written): ${again.seconds.toFixed(1)} s`);
    return { people, nodes, first, again };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  );
  const runs = [];
  for (const people of SIZES) runs.push(await importOnce(people));
  const largest = runs[runs.length - 1];
  console.log(
    JSON.stringify({
      import_people: largest.people,
      import_nodes: largest.nodes,
      import_seconds: Number(largest.first.seconds.toFixed(1)),
      import_people_per_s: Math.round(largest.people / largest.first.seconds),
      import_peak_rss_mib: largest.first.peakRssMiB,
      reimport_seconds: Number(largest.again.seconds.toFixed(1)),
    }),
  );
}

void main();
