/**
 * Subscription signing secrets derived from one platform signing key: HMAC-SHA256(key,
 * "<subscriptionId>:<secretVersion>"). Nothing secret is stored per subscription, so no secret
 * enters an event; rotating bumps the version. The key is WEBHOOK_SIGNING_KEY (set it alike on
 * every instance), or for the embedded default one generated once into DATA_DIR/webhook-signing-key.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SubscriptionSecrets } from '../../application/webhooks/webhook-worker';
import type { AppConfig } from '../config/app-config';

export class DerivedSubscriptionSecrets implements SubscriptionSecrets {
  private key: Buffer | null = null;

  constructor(private readonly config: AppConfig) {}

  secretOf(subscriptionId: string, secretVersion: number): string {
    this.key ??= this.loadKey();
    return `whsec_${createHmac('sha256', this.key).update(`${subscriptionId}:${secretVersion}`).digest('base64url')}`;
  }

  private loadKey(): Buffer {
    if (this.config.webhooks.signingKey) return Buffer.from(this.config.webhooks.signingKey, 'utf8');
    const file = join(this.config.dataDir, 'webhook-signing-key');
    if (!existsSync(file)) {
      mkdirSync(this.config.dataDir, { recursive: true });
      writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600, flag: 'wx' });
      chmodSync(file, 0o600);
    }
    return Buffer.from(readFileSync(file, 'utf8').trim(), 'utf8');
  }
}
