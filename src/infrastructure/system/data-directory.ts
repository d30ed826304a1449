/**
 * The embedded default's data directory holds controlled information (000:15): the directory is
 * the owner's alone (0700) and so is every file in it (0600). The process creates files private
 * (umask 077); files left wider by an earlier version are narrowed at start-up. The key files
 * are checked, not narrowed: one found readable by others may have been read, so start-up stops.
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '../config/app-config';
import { generatedKey, JWT_SECRET_FILE, WEBHOOK_SIGNING_KEY_FILE } from './generated-key';

export function privateByDefault(): void {
  process.umask(0o077);
}

/** Makes the data directory private and makes or checks the keys kept in it; throws ConfigurationError. */
export function prepareDataDirectory(config: AppConfig): void {
  privateByDefault();
  const tokensFromElsewhere = Boolean(config.auth.secret || config.auth.publicKey || config.auth.jwksUrl);
  const embedded = !config.esdbConnectionString || !config.mongodbUri;
  if (!embedded && tokensFromElsewhere && config.webhooks.signingKey) return;
  if (!existsSync(config.dataDir)) mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  chmodSync(config.dataDir, 0o700);
  const keys = new Set([JWT_SECRET_FILE, WEBHOOK_SIGNING_KEY_FILE]);
  for (const name of readdirSync(config.dataDir)) {
    const file = join(config.dataDir, name);
    const stat = statSync(file);
    if (!keys.has(name) && stat.isFile() && (stat.mode & 0o077) !== 0) chmodSync(file, stat.mode & 0o700);
  }
  if (!tokensFromElsewhere) generatedKey(config.dataDir, JWT_SECRET_FILE);
  if (!config.webhooks.signingKey) generatedKey(config.dataDir, WEBHOOK_SIGNING_KEY_FILE);
}
