/**
 * npm run bench:lists — the lists of issue 23 on a generated jurisdiction (embedded SQLite stores):
 * `generate --size <BENCH_SIZE>` (default district; province as `BENCH_SIZE=province`), the
 * org tree and the inventory read models rebuilt, then the first page (50 rows) of every list with
 * no filter and with each filter it offers, as a system admin and as a tiered admin of one
 * unit's subtree: p50/p99 over SAMPLES reads each. Ends with one line of JSON.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ReadModels } from '../src/application/projections/read-models';
import { SqliteReadStore } from '../src/infrastructure/read-store/sqlite/sqlite-read-store';
import { SystemClock } from '../src/infrastructure/system/system-clock';
import type { Principal } from '../src/domain/access/access-policy';
import { type ListName, LISTS } from '../src/read-models/inventory/inventory.lists';
import { ListInventory, ListInventoryHandler } from '../src/read-models/inventory/inventory.queries';
import { NODES, ORG_TREE } from '../src/read-models/org-tree/org-tree.projection';

const SIZE = process.env.BENCH_SIZE ?? 'district';
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 40);

/** A value for each filter that the generated data holds. */
const SAMPLE_VALUES: Readonly<Record<string, string>> = {
  type: 'USER',
  status: 'ACTIVE',
  signedInBefore: '2025-06-01',
  passwordOlderThanDays: '90',
  expiresBefore: '2026-01-01',
  kind: 'UNIT',
  withoutAdmin: 'true',
  withoutOwner: 'true',
  holdsDeparted: 'true',
  staleDays: '90',
  accessMode: 'SSO',
  reviewDueBefore: '2025-06-01',
  securityAudit: 'PASSED',
  cryptoAssessment: 'PASSED',
  sharedWith: 'root',
  employmentType: 'ON_ESTABLISHMENT',
  directoryClass: 'Q3',
};

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

function admin(type: 'SYSTEM_ADMIN' | 'TIERED_ADMIN', adminScope: string[]): Principal {
  return {
    kind: 'ACCOUNT',
    account: {
      status: 'ACTIVE',
      accountId: `bench-${type}`,
      type,
      loginName: 'bench',
      personId: null,
      appId: null,
      sponsorOrgNodeId: null,
      expiresAt: null,
      adminScope,
      readRoles: [],
      activatedAt: null,
      passwordChangedAt: null,
      signIns: { latestAt: null, seen: {} },
    },
  };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-lists-'));
  const cli = (args: string[]) => {
    const started = performance.now();
    const child = spawnSync(process.execPath, ['-r', '@swc-node/register', join(__dirname, '../src/cli.ts'), ...args], {
      env: { ...process.env, DATA_DIR: join(dir, 'data'), JURISDICTION: 'qingpu', LOG_LEVEL: 'error' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (child.status !== 0) throw new Error(`${args[0]} exited with ${child.status}`);
    return (performance.now() - started) / 1000;
  };
  try {
    console.log(`bench:lists — ${cpus().length} CPUs, ${Math.round(totalmem() / 2 ** 30)} GiB; ${SIZE}`);
    const generated = cli(['generate', '--size', SIZE]);
    const rebuilt = cli(['rebuild', '--quiet', ORG_TREE, 'inventory']);
    console.log(`generated in ${generated.toFixed(0)} s, org tree and inventory rebuilt in ${rebuilt.toFixed(0)} s`);
    const readStore = new SqliteReadStore(join(dir, 'data', 'read-models.sqlite'));
    const models = new ReadModels(readStore, null, () => Date.now());
    const handler = new ListInventoryHandler(models, new SystemClock());
    // A tiered admin of the unit with the most nodes under it but one level down from the root.
    const level2 = (await models.find(ORG_TREE, NODES, { level: 2 }, { limit: 1 }))[0];
    const principals = { system: admin('SYSTEM_ADMIN', []), tiered: admin('TIERED_ADMIN', [level2.id]) };
    const figures: Array<{ list: ListName; filter: string; who: string; p50: number; p99: number; rows: number }> = [];
    for (const list of Object.keys(LISTS) as ListName[]) {
      for (const filter of ['(none)', ...Object.keys(LISTS[list].filters)]) {
        for (const [who, principal] of Object.entries(principals)) {
          const params = filter === '(none)' ? {} : { [filter]: SAMPLE_VALUES[filter] ?? 'x' };
          const times: number[] = [];
          let rows = 0;
          for (let i = 0; i < SAMPLES; i++) {
            const t = performance.now();
            const page = await handler.execute(new ListInventory(principal, list, { ...params, limit: '50' }));
            times.push(performance.now() - t);
            rows = page.items.length;
          }
          figures.push({ list, filter, who, p50: percentile(times, 50), p99: percentile(times, 99), rows });
        }
      }
    }
    await readStore.close();
    for (const f of figures)
      console.log(
        `${f.list.padEnd(12)} ${f.filter.padEnd(22)} ${f.who.padEnd(7)} p50 ${f.p50.toFixed(1).padStart(7)} ms  p99 ${f.p99.toFixed(1).padStart(7)} ms  (${f.rows} rows)`,
      );
    const worst = figures.reduce((a, b) => (b.p99 > a.p99 ? b : a));
    const result = {
      bench: 'lists',
      size: SIZE,
      samples: SAMPLES,
      worstFirstPageP99Ms: Math.round(worst.p99 * 10) / 10,
      worst: `${worst.list} ${worst.filter} ${worst.who}`,
      underTarget: figures.filter((f) => f.p99 < 50).length,
      reads: figures.length,
    };
    writeFileSync(
      join(__dirname, 'results', `lists-${SIZE}.json`),
      `${JSON.stringify({ ...result, figures }, null, 2)}\n`,
    );
    console.log(JSON.stringify(result));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
