/**
 * Subscription signing secrets derived from one platform signing key: HMAC-SHA256(key,
 * "<subscriptionId>:<secretVersion>"). Nothing secret is stored per subscription, so no secret
 * enters an event; rotating bumps the version. The key is WEBHOOK_SIGNING_KEY (set it alike on
 * every instance), or for the embedded default one generated once into DATA_DIR/webhook-signing-key.
 */
import { createHmac } from 'node:crypto';
import type { SubscriptionSecrets } from '../../application/ports/webhook-delivery.port';
import type { AppConfig } from '../config/app-config';
import { generatedKey, WEBHOOK_SIGNING_KEY_FILE } from '../system/generated-key';

export class DerivedSubscriptionSecrets implements SubscriptionSecrets {
  private key: Buffer | null = null;

  constructor(private readonly config: AppConfig) {}

  secretOf(subscriptionId: string, secretVersion: number): string {
    this.key ??= this.loadKey();
    return `whsec_${createHmac('sha256', this.key).update(`${subscriptionId}:${secretVersion}`).digest('base64url')}`;
  }

  private loadKey(): Buffer {
    return Buffer.from(
      this.config.webhooks.signingKey ?? generatedKey(this.config.dataDir, WEBHOOK_SIGNING_KEY_FILE),
      'utf8',
    );
  }
}
