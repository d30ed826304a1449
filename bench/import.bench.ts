/**
 * npm run bench:import — a 30,000-person district imported through the CLI (progress bar on
 * stderr) into a fresh embedded store, then the same file again (which must change nothing).
 * Ends with one line of JSON.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { generateDistrict } from '../src/tools/district-workbook';

const PEOPLE = Number(process.env.BENCH_IMPORT_PEOPLE ?? 30000);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-import-'));
  try {
    const { workbook, nodes } = await generateDistrict(PEOPLE);
    const file = join(dir, 'district.xlsx');
    writeFileSync(file, workbook);
    const cli = (args: string[], stdout: 'ignore' | 'inherit' = 'inherit') => {
      const child = spawnSync(
        process.execPath,
        ['-r', '@swc-node/register', join(__dirname, '../src/cli.ts'), ...args],
        {
          env: { ...process.env, DATA_DIR: join(dir, 'data'), JURISDICTION: 'qingpu' },
          stdio: ['ignore', stdout, 'inherit'],
        },
      );
      if (child.status !== 0) throw new Error(`${args[0]} exited with ${child.status}`);
    };
    // The root and the first system admin, who then imports (the root in the file matches and is skipped).
    cli(
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
    const run = () => {
      const started = process.hrtime.bigint();
      cli(['import', '--actor', 'acc-admin', file]);
      return Number(process.hrtime.bigint() - started) / 1e9;
    };
    const first = run();
    const second = run();
    console.log(
      `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    );
    console.log(
      `District file: ${nodes} org nodes, ${PEOPLE} people (XLSX ${(workbook.length / 2 ** 20).toFixed(1)} MiB)`,
    );
    console.log(`First import (CLI, start to exit): ${first.toFixed(1)} s, ${Math.round(PEOPLE / first)} people/s`);
    console.log(`Same file again (validated, nothing written): ${second.toFixed(1)} s`);
    console.log(
      JSON.stringify({
        import_people: PEOPLE,
        import_nodes: nodes,
        import_seconds: Number(first.toFixed(1)),
        reimport_seconds: Number(second.toFixed(1)),
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
