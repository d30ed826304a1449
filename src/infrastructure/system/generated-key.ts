/**
 * A key the embedded default generates once and keeps beside the data (mode 0600) when none is
 * configured: the JWT secret, the webhook signing key.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The files the keys are kept in, under DATA_DIR (a backup carries them with the events). */
export const JWT_SECRET_FILE = 'jwt-secret';
export const WEBHOOK_SIGNING_KEY_FILE = 'webhook-signing-key';

export function generatedKey(dataDir: string, name: string): string {
  const file = join(dataDir, name);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
  }
  return readFileSync(file, 'utf8').trim();
}
