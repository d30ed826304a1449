/**
 * A key the embedded default generates once and keeps beside the data when none is configured:
 * the JWT secret, the webhook signing key. Written atomically (a private temporary file, fsync,
 * link), readable by the owner only (0600). A key file that is too short (an empty secret would
 * sign tokens anyone can forge) or readable by others stops the service at start-up.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  linkSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { ConfigurationError } from '../config/app-config';

/** The files the keys are kept in, under DATA_DIR (a backup carries them with the events). */
export const JWT_SECRET_FILE = 'jwt-secret';
export const WEBHOOK_SIGNING_KEY_FILE = 'webhook-signing-key';
/** The key that signs the Merkle log's checkpoints (PKCS#8 PEM, Ed25519 or SM2). */
export const CHECKPOINT_SIGNING_KEY_FILE = 'integrity-signing-key.pem';

/** The shortest key accepted (bytes of its text). */
export const MIN_KEY_LENGTH = 32;

/** Writes the whole file or nothing, and only if it does not exist yet: the first of two racing writers wins. */
function createAtomically(file: string, content: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(temporary, file);
  } catch (error) {
    if ((error as { code?: string }).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temporary);
  }
}

/** Refuses a key file that others may read or that is too short to be a key. */
export function checkKeyFile(file: string): string {
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0)
    throw new ConfigurationError([
      `${file}: the key file is readable by others (mode ${mode.toString(8)}); it must be 600 (chmod 600 ${file})`,
    ]);
  const key = readFileSync(file, 'utf8').trim();
  if (Buffer.byteLength(key) < MIN_KEY_LENGTH)
    throw new ConfigurationError([
      `${file}: the key is shorter than ${MIN_KEY_LENGTH} characters; remove the file to have a new one generated`,
    ]);
  return key;
}

/** The key kept in DATA_DIR/`name`, made by `generate` the first time (by default 48 random bytes, base64url). */
export function generatedKey(
  dataDir: string,
  name: string,
  generate: () => string = () => randomBytes(48).toString('base64url'),
): string {
  const file = join(dataDir, name);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    createAtomically(file, generate());
  }
  return checkKeyFile(file);
}
