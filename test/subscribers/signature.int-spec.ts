/**
 * The README's signature check for receivers (examples/verify-webhook.js, quoted verbatim in the
 * README) accepts what the platform signs and rejects a tampered body, a tampered or stale
 * timestamp and a wrong secret.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SIGNATURE_HEADER, signatureOf, TIMESTAMP_HEADER } from '../../src/application/webhooks/signature';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { verifyWebhook } = require('../../examples/verify-webhook.js') as {
  verifyWebhook: (secret: string, headers: Record<string, string>, body: string, nowSeconds?: number) => boolean;
};

const secret = 'whsec_0123456789abcdefghijklmnopqrstuvwxyz';
const body = JSON.stringify({
  id: 'e1',
  type: 'PersonTransferred',
  data: { personId: 'p42', from: { orgNodeId: 'u1' }, to: { orgNodeId: 'u2' } },
});
const now = 1_763_700_000;
const signed = (ts: number, b = body, key = secret) => ({
  [TIMESTAMP_HEADER]: String(ts),
  [SIGNATURE_HEADER]: signatureOf(key, ts, b),
});

describe('webhook signature verification for receivers (README example)', () => {
  it('is quoted verbatim in the README', () => {
    const readme = readFileSync(join(__dirname, '../../README.md'), 'utf8');
    const example = readFileSync(join(__dirname, '../../examples/verify-webhook.js'), 'utf8');
    expect(readme).toContain('```js\n' + example + '```');
  });

  it('accepts a delivery as the platform signs it', () => {
    expect(verifyWebhook(secret, signed(now), body, now)).toBe(true);
    expect(verifyWebhook(secret, signed(now - 299), body, now)).toBe(true);
  });

  it('rejects a tampered body, a tampered or stale timestamp, a wrong secret, missing headers', () => {
    const tampered = body.replace('"u2"', '"u9"');
    expect(tampered).not.toBe(body);
    expect(verifyWebhook(secret, signed(now), tampered, now)).toBe(false);
    expect(verifyWebhook(secret, { ...signed(now), [TIMESTAMP_HEADER]: String(now - 1) }, body, now)).toBe(false);
    expect(verifyWebhook(secret, signed(now - 301), body, now)).toBe(false);
    expect(verifyWebhook(secret, signed(now, body, 'whsec_another'), body, now)).toBe(false);
    expect(verifyWebhook(secret, {}, body, now)).toBe(false);
    expect(verifyWebhook(secret, { ...signed(now), [SIGNATURE_HEADER]: 'sha256=00' }, body, now)).toBe(false);
  });
});
