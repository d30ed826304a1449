/**
 * A backup and a restore touch only their own directories and only the known files (issue 17,
 * hole 5): a manifest naming ../../x, a link planted in the backup's target, a link in a backup.
 */
import { existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { ANY } from '../../src/application/ports/event-store.port';
import { backupEmbedded, BackupError, restoreEmbedded } from '../../src/infrastructure/backup/embedded-backup';
import { SqliteEventStore } from '../../src/infrastructure/event-store/sqlite/sqlite-event-store';
import { makeTempDir } from '../support/temp-dir';

describe('backup and restore stay in their directories', () => {
  const dir = makeTempDir();
  const data = join(dir.path, 'data');
  afterAll(() => dir.remove());

  beforeAll(async () => {
    mkdirSync(data, { recursive: true });
    const store = new SqliteEventStore({ file: join(data, 'events.sqlite') });
    await store.append('Org-1', [{ eventId: randomUUID(), type: 'Counted', data: { n: 1 }, metadata: {} }], ANY);
    await store.close();
    writeFileSync(join(data, 'jwt-secret'), 'j'.repeat(48), { mode: 0o600 });
  });

  it('refuses to back up into a directory with anything in it (a planted link is not followed)', () => {
    const target = join(dir.path, 'planted');
    const elsewhere = join(dir.path, 'elsewhere-secret');
    mkdirSync(target);
    writeFileSync(elsewhere, 'untouched');
    symlinkSync(elsewhere, join(target, 'jwt-secret'));
    expect(() => backupEmbedded(data, target, new Date())).toThrow(
      expect.objectContaining({ code: 'BACKUP_TARGET_NOT_EMPTY' }),
    );
    expect(readFileSync(elsewhere, 'utf8')).toBe('untouched');
  });

  it('writes a new backup whose key file is the owner’s alone', () => {
    const target = join(dir.path, 'backup-1');
    const manifest = backupEmbedded(data, target, new Date());
    expect(manifest.keys).toEqual(['jwt-secret']);
    expect(statSync(join(target, 'jwt-secret')).mode & 0o077).toBe(0);
  });

  it('refuses a manifest that names a key file outside the known ones', async () => {
    const target = join(dir.path, 'backup-2');
    backupEmbedded(data, target, new Date());
    const manifestFile = join(target, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { keys: string[] };
    writeFileSync(join(target, '..', 'x'), 'planted');
    writeFileSync(manifestFile, JSON.stringify({ ...manifest, keys: ['../../x'] }));
    const restoreTo = join(dir.path, 'restored-2');
    await expect(restoreEmbedded(target, restoreTo, new Date(), false)).rejects.toMatchObject({
      code: 'BACKUP_MANIFEST_INVALID',
    });
    expect(existsSync(join(restoreTo, '..', '..', 'x'))).toBe(false);
    expect(existsSync(join(restoreTo, 'events.sqlite'))).toBe(false);
  });

  it('refuses a backup holding a symbolic link', async () => {
    const target = join(dir.path, 'backup-3');
    backupEmbedded(data, target, new Date());
    const { rmSync } = await import('node:fs');
    rmSync(join(target, 'jwt-secret'));
    symlinkSync('/etc/hostname', join(target, 'jwt-secret'));
    await expect(restoreEmbedded(target, join(dir.path, 'restored-3'), new Date(), false)).rejects.toBeInstanceOf(
      BackupError,
    );
    expect(existsSync(join(dir.path, 'restored-3', 'jwt-secret'))).toBe(false);
  });

  it('restores a plain backup with its key file private, whatever mode the backup’s copy was left with', async () => {
    const target = join(dir.path, 'backup-4');
    backupEmbedded(data, target, new Date());
    const { chmodSync } = await import('node:fs');
    chmodSync(join(target, 'jwt-secret'), 0o644);
    const restoreTo = join(dir.path, 'restored-4');
    await restoreEmbedded(target, restoreTo, new Date(), false);
    expect(statSync(join(restoreTo, 'jwt-secret')).mode & 0o077).toBe(0);
  });
});
