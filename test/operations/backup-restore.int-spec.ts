/**
 * Backup and restore of the embedded default (004 七(三)), through the CLI as an operator runs it:
 * an online backup taken while the service writes holds every event acknowledged before it began
 * and is a prefix of the store; restore checks it (checksum, hash chain), never overwrites data
 * without --replace (and then keeps the old files), refuses a damaged backup, and rebuilds the
 * read models to what the service had.
 */
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import request from 'supertest';
import { ProjectionEngine } from '../../src/application/projections/projection-engine';
import type { ReadStore } from '../../src/application/ports/read-store.port';
import { SqliteReadStore } from '../../src/infrastructure/read-store/sqlite/sqlite-read-store';
import { readModelProjections } from '../../src/read-models/projections';
import { buildHistory, dumpReadModels, expectSameReadModels } from '../support/read-models';
import { runCli, runCliAsync } from '../support/cli';
import { makeTempDir } from '../support/temp-dir';
import { startTestApp, TEST_JWT_SECRET } from '../support/test-app';

const env = (dataDir: string) => ({
  ...process.env,
  DATA_DIR: dataDir,
  JURISDICTION: 'qingpu',
  JWT_SECRET: TEST_JWT_SECRET,
  LOG_LEVEL: 'silent',
});
const cli = (dataDir: string, args: string[]) => runCli(env(dataDir), args);
const cliAsync = (dataDir: string, args: string[]) => runCliAsync(env(dataDir), args);

type Row = [number, string, number, string, string];
function rowsOf(file: string): Row[] {
  const db = new Database(file, { readonly: true });
  try {
    return db
      .prepare('SELECT position, stream_id, revision, event_id, hash FROM events ORDER BY position')
      .raw(true)
      .all() as Row[];
  } finally {
    db.close();
  }
}

describe('backup and restore of the embedded store (CLI)', () => {
  jest.setTimeout(300_000);
  const dir = makeTempDir();
  afterAll(() => dir.remove());
  const live = join(dir.path, 'live');
  const backup = join(dir.path, 'backup');
  const projections = readModelProjections({ timeZone: 'Asia/Shanghai' });
  let backupRows: Row[] = [];

  it('an online backup, taken while the service writes, holds everything acknowledged before it and is a prefix of the store', async () => {
    const app = await startTestApp({}, { keepDir: live });
    try {
      await buildHistory(app, 20);
      const acknowledged = (await app.store.readAll({ maxCount: 100_000 })).map((e) => e.eventId);
      // The service goes on writing (profile changes over HTTP, 8 at a time) while the backup runs in its own process.
      let backingUp = true;
      let written = 0;
      const writer = async (lane: number) => {
        for (let n = 0; backingUp; n++) {
          const response = await request(app.app.getHttpServer())
            .post(`/persons/p${lane}/profile`)
            .set(app.admin)
            .send({ changes: { officePhone: `021-5${String(lane).padStart(2, '0')}${String(n).padStart(5, '0')}` } });
          expect(response.status).toBe(200);
          written++;
        }
      };
      const writing = Promise.all([2, 4, 6, 8, 10, 12, 14, 16].map(writer));
      const result = await cliAsync(live, ['backup', backup]);
      backingUp = false;
      await writing;
      expect(written).toBeGreaterThan(0);
      expect(result.stderr).toContain('已备份');
      expect(result.status).toBe(0);

      backupRows = rowsOf(join(backup, 'events.sqlite'));
      const ids = new Set(backupRows.map((r) => r[3]));
      for (const id of acknowledged) expect(ids.has(id)).toBe(true);
      const liveRows = rowsOf(join(live, 'events.sqlite'));
      expect(liveRows.length).toBeGreaterThan(acknowledged.length);
      expect(liveRows.slice(0, backupRows.length)).toEqual(backupRows);
      const manifest = JSON.parse(readFileSync(join(backup, 'manifest.json'), 'utf8')) as {
        events: number;
        headHash: string;
      };
      expect(manifest.events).toBe(backupRows.length);
      expect(manifest.headHash).toBe(backupRows.at(-1)![4]);
      expect(existsSync(join(backup, 'jwt-secret')) || !existsSync(join(live, 'jwt-secret'))).toBe(true);
    } finally {
      await app.close();
    }
    // A second backup into the same directory is refused; the first is untouched.
    const again = cli(live, ['backup', backup]);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('BACKUP_TARGET_NOT_EMPTY');
    expect(rowsOf(join(backup, 'events.sqlite'))).toEqual(backupRows);
  });

  it('restore into an empty data directory: the backup’s events, the chain checked, the read models rebuilt as the service builds them', async () => {
    const restored = join(dir.path, 'restored');
    const result = cli(restored, ['restore', backup]);
    expect(result.stderr).toContain('哈希链完整');
    expect(result.status).toBe(0);
    expect(rowsOf(join(restored, 'events.sqlite'))).toEqual(backupRows);
    expect(cli(restored, ['verify']).status).toBe(0);

    const rebuilt = new SqliteReadStore(join(restored, 'read-models.sqlite'));
    const fromRestore = await dumpReadModels(rebuilt, projections);
    expect((await Promise.all(projections.map((p) => rebuilt.generations(p.name)))).flat().map((g) => g.state)).toEqual(
      projections.map(() => 'ACTIVE'),
    );
    await rebuilt.close();
    // The same events through the service's own projections give the same read models.
    const app = await startTestApp({}, { keepDir: restored });
    try {
      const head = (await app.store.headPosition())!;
      await request(app.app.getHttpServer())
        .get('/org-tree/root/path')
        .set({ ...app.admin, 'X-Consistent-With': head })
        .expect(200);
      const fromService = await dumpReadModels(app.app.get(ProjectionEngine)['readStore'] as ReadStore, projections);
      expectSameReadModels(fromService, fromRestore);
      expect(fromRestore.directory?.length ?? Object.keys(fromRestore).length).toBeGreaterThan(0);
    } finally {
      await app.close();
    }
  });

  it('refuses to overwrite a store without --replace, and with it keeps the old files', () => {
    const before = rowsOf(join(live, 'events.sqlite'));
    const refused = cli(live, ['restore', backup]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('DATA_DIR_NOT_EMPTY');
    expect(rowsOf(join(live, 'events.sqlite'))).toEqual(before);

    const replaced = cli(live, ['restore', backup, '--replace']);
    expect(replaced.status).toBe(0);
    expect(rowsOf(join(live, 'events.sqlite'))).toEqual(backupRows);
    const aside = readdirSync(live).find(
      (name) => name.startsWith('events.sqlite.replaced-') && !name.endsWith('-wal') && !name.endsWith('-shm'),
    );
    expect(aside).toBeDefined();
    expect(rowsOf(join(live, aside!))).toEqual(before);
  });

  it('refuses a damaged backup and writes nothing', () => {
    const damaged = join(dir.path, 'damaged');
    cpSync(backup, damaged, { recursive: true });
    const file = join(damaged, 'events.sqlite');
    const bytes = readFileSync(file);
    bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    writeFileSync(file, bytes);
    const target = join(dir.path, 'from-damaged');
    const result = cli(target, ['restore', damaged]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('BACKUP_DAMAGED');
    expect(existsSync(join(target, 'events.sqlite'))).toBe(false);

    const notABackup = cli(join(dir.path, 'nothing'), ['restore', join(dir.path, 'no-such-dir')]);
    expect(notABackup.status).toBe(2);
    expect(notABackup.stderr).toContain('NOT_A_BACKUP');
  });
});
