/**
 * Webhook signatures: HMAC-SHA256 with the subscription's secret over `<timestamp>.<body>`, the
 * timestamp in Unix seconds sent beside it. Signing the timestamp with the body lets a receiver
 * refuse a captured delivery replayed later (README "Verifying webhook signatures": refuse when
 * the timestamp is more than 5 minutes from the receiver's clock, deduplicate by event id). The
 * receiver's side is examples/verify-webhook.js, quoted in the README and tested.
 */
import { createHmac } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-govcollab-signature';
export const TIMESTAMP_HEADER = 'x-govcollab-timestamp';
export const EVENT_ID_HEADER = 'x-govcollab-event-id';
export const EVENT_TYPE_HEADER = 'x-govcollab-event-type';
export const ATTEMPT_HEADER = 'x-govcollab-delivery-attempt';
export const SUBSCRIPTION_HEADER = 'x-govcollab-subscription';

export function signatureOf(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}
