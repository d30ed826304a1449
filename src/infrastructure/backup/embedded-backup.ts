/**
 * Backup and restore of the embedded default (004 七(三): regular backups, restorable).
 *
 * The event store is the record; the read models are derived from it and are rebuilt after a
 * restore, so a backup is the event store plus the keys kept beside it (JWT secret, webhook
 * signing key: without the latter every subscriber's secret would change).
 *
 * Online: `VACUUM INTO` copies the database inside one read transaction. With WAL the service
 * goes on appending meanwhile; the copy is the store exactly as it stood when the copy began
 * (every append acknowledged before that moment is in it, nothing half-written is). The manifest
 * records what the copy holds (events, head position and hash of the hash chain) and the SHA-256
 * of the file, so a restore can tell a damaged or altered backup from a good one.
 */
import { createHash } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  constants,
  copyFileSync,
  existsSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { verifyChain } from '../../application/integrity/hash-chain';
import { SqliteEventStore } from '../event-store/sqlite/sqlite-event-store';
import { JWT_SECRET_FILE, WEBHOOK_SIGNING_KEY_FILE } from '../system/generated-key';

export const EVENTS_FILE = 'events.sqlite';
export const READ_MODELS_FILE = 'read-models.sqlite';
/** Files beside the data that a restore must bring back (generated keys). */
export const KEY_FILES = [JWT_SECRET_FILE, WEBHOOK_SIGNING_KEY_FILE] as const;
const MANIFEST = 'manifest.json';

export interface BackupManifest {
  readonly format: 'govcollab-embedded-backup/1';
  readonly createdAt: string;
  readonly events: number;
  readonly headPosition: number | null;
  readonly headHash: string | null;
  readonly sha256: string;
  readonly keys: string[];
}

export class BackupError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'BackupError';
  }
}

function sha256Of(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function fsyncFile(file: string): void {
  const fd = openSync(file, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function headOf(file: string): { events: number; headPosition: number | null; headHash: string | null } {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const count = db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number };
    const head = db.prepare('SELECT position, hash FROM events ORDER BY position DESC LIMIT 1').get() as
      { position: number; hash: string | null } | undefined;
    return { events: count.n, headPosition: head?.position ?? null, headHash: head?.hash ?? null };
  } finally {
    db.close();
  }
}

/** Copies the live store of `dataDir` into the new directory `targetDir`. */
export function backupEmbedded(dataDir: string, targetDir: string, now: Date): BackupManifest {
  const source = join(dataDir, EVENTS_FILE);
  if (!existsSync(source))
    throw new BackupError('NO_EVENT_STORE', `数据目录 ${dataDir} 中没有事件库（${EVENTS_FILE}），无可备份`);
  // A new or empty directory only: anything planted there (a link named like a key file) could redirect a write.
  if (existsSync(targetDir) && (lstatSync(targetDir).isSymbolicLink() || readdirSync(targetDir).length > 0)) {
    throw new BackupError('BACKUP_TARGET_NOT_EMPTY', `备份目录 ${targetDir} 不是新的空目录，不写入；请指定新目录`);
  }
  mkdirSync(targetDir, { recursive: true, mode: 0o700 });
  const partial = join(targetDir, `${EVENTS_FILE}.partial`);
  rmSync(partial, { force: true });
  const db = new Database(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    db.prepare('VACUUM INTO ?').run(partial);
  } finally {
    db.close();
  }
  fsyncFile(partial);
  const target = join(targetDir, EVENTS_FILE);
  renameSync(partial, target);
  const keys: string[] = [];
  for (const key of KEY_FILES) {
    if (existsSync(join(dataDir, key))) {
      copyFileSync(join(dataDir, key), join(targetDir, key), constants.COPYFILE_EXCL);
      chmodSync(join(targetDir, key), 0o600);
      keys.push(key);
    }
  }
  const manifest: BackupManifest = {
    format: 'govcollab-embedded-backup/1',
    createdAt: now.toISOString(),
    ...headOf(target),
    sha256: sha256Of(target),
    keys,
  };
  writeFileSync(join(targetDir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  fsyncFile(join(targetDir, MANIFEST));
  return manifest;
}

function readManifest(backupDir: string): BackupManifest {
  const manifestFile = join(backupDir, MANIFEST);
  if (!existsSync(manifestFile)) throw new BackupError('NOT_A_BACKUP', `${backupDir} 不是备份目录（缺少 ${MANIFEST}）`);
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as BackupManifest;
  } catch {
    throw new BackupError('NOT_A_BACKUP', `${manifestFile} 无法读取`);
  }
  if (manifest.format !== 'govcollab-embedded-backup/1')
    throw new BackupError('NOT_A_BACKUP', `${manifestFile} 的格式 ${String(manifest.format)} 不受支持`);
  // Only the known key files, by their plain names: a manifest naming ../../x must not write outside DATA_DIR.
  const known: readonly string[] = KEY_FILES;
  if (!Array.isArray(manifest.keys) || manifest.keys.some((key) => typeof key !== 'string' || !known.includes(key)))
    throw new BackupError(
      'BACKUP_MANIFEST_INVALID',
      `${manifestFile} 列出的密钥文件不是 ${KEY_FILES.join('、')} 之一，不予恢复`,
    );
  return manifest;
}

/** A backup's files are plain files: a symbolic link could make a restore read or write elsewhere. */
function assertPlainFile(file: string): void {
  if (existsSync(file) && lstatSync(file).isSymbolicLink())
    throw new BackupError('BACKUP_HAS_LINK', `${file} 是符号链接，备份中只应有普通文件，不予处理`);
}

/** Checks a copy of a backup's event store: the manifest's SHA-256, then the whole hash chain. */
async function checkCopy(backupDir: string, manifest: BackupManifest, copy: string): Promise<void> {
  if (sha256Of(copy) !== manifest.sha256) {
    throw new BackupError(
      'BACKUP_DAMAGED',
      `备份 ${backupDir} 的事件库与清单记录的校验值不符：文件已损坏或被改动，不予恢复`,
    );
  }
  // Opened only once copied: opening a store may rewrite its header (WAL mode), never the backup's.
  const store = new SqliteEventStore({ file: copy });
  try {
    const chain = await verifyChain(store);
    if (!chain.ok)
      throw new BackupError(
        'BACKUP_CHAIN_BROKEN',
        `备份 ${backupDir} 的哈希链在事件 ${chain.firstBreak!.eventId} 处断开，不予恢复`,
      );
    if (chain.checked !== manifest.events)
      throw new BackupError(
        'BACKUP_DAMAGED',
        `备份 ${backupDir} 含 ${chain.checked} 个事件，清单记录 ${manifest.events} 个`,
      );
  } finally {
    await store.close();
  }
}

/**
 * Puts a checked backup in place as `dataDir`'s event store. An existing store is never
 * overwritten: without `replace` the restore is refused; with it the old files are moved aside
 * (`*.replaced-<time>`), not deleted. The read models are moved aside too: they are rebuilt.
 */
export async function restoreEmbedded(
  backupDir: string,
  dataDir: string,
  now: Date,
  replace: boolean,
): Promise<{ manifest: BackupManifest; movedAside: string[] }> {
  const manifest = readManifest(backupDir);
  for (const name of [MANIFEST, EVENTS_FILE, ...manifest.keys]) assertPlainFile(join(backupDir, name));
  if (!existsSync(join(backupDir, EVENTS_FILE)))
    throw new BackupError('BACKUP_DAMAGED', `备份 ${backupDir} 缺少事件库 ${EVENTS_FILE}`);
  const target = join(dataDir, EVENTS_FILE);
  const movedAside: string[] = [];
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  if (existsSync(target)) {
    const { events } = headOf(target);
    if (events > 0 && !replace) {
      throw new BackupError(
        'DATA_DIR_NOT_EMPTY',
        `数据目录 ${dataDir} 已有 ${events} 个事件；恢复不覆盖现有数据。确需以备份替换，请加 --replace（原文件将改名保留）`,
      );
    }
  }
  mkdirSync(dataDir, { recursive: true });
  const incoming = join(dataDir, `${EVENTS_FILE}.restoring`);
  for (const suffix of ['', '-wal', '-shm']) rmSync(incoming + suffix, { force: true });
  copyFileSync(join(backupDir, EVENTS_FILE), incoming);
  try {
    await checkCopy(backupDir, manifest, incoming);
  } catch (error) {
    for (const suffix of ['', '-wal', '-shm']) rmSync(incoming + suffix, { force: true });
    throw error;
  }
  fsyncFile(incoming);
  for (const name of [
    EVENTS_FILE,
    `${EVENTS_FILE}-wal`,
    `${EVENTS_FILE}-shm`,
    READ_MODELS_FILE,
    `${READ_MODELS_FILE}-wal`,
    `${READ_MODELS_FILE}-shm`,
  ]) {
    const file = join(dataDir, name);
    if (existsSync(file)) {
      renameSync(file, `${file}.replaced-${stamp}`);
      movedAside.push(`${file}.replaced-${stamp}`);
    }
  }
  renameSync(incoming, target);
  for (const key of manifest.keys) {
    const file = join(dataDir, key);
    if (existsSync(file) && readFileSync(file, 'utf8') !== readFileSync(join(backupDir, key), 'utf8')) {
      renameSync(file, `${file}.replaced-${stamp}`);
      movedAside.push(`${file}.replaced-${stamp}`);
    }
    if (!existsSync(file)) {
      copyFileSync(join(backupDir, key), file, constants.COPYFILE_EXCL);
      // The owner's alone, whatever the backup's copy was left as.
      chmodSync(file, 0o600);
    }
  }
  return { manifest, movedAside };
}
