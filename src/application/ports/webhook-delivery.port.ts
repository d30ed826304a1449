/** What webhook delivery needs from outside: an HTTP sender and the subscriptions' signing secrets. */
/** Sends one delivery; resolves with the HTTP status, rejects on a network error or timeout. */
export interface WebhookSender {
  post(url: string, body: string, headers: Readonly<Record<string, string>>, timeoutMs: number): Promise<number>;
}
export const WEBHOOK_SENDER = Symbol('WebhookSender');

/** The signing secret of a subscription at a secret version (derived; never stored in an event). */
export interface SubscriptionSecrets {
  secretOf(subscriptionId: string, secretVersion: number): string;
}
export const SUBSCRIPTION_SECRETS = Symbol('SubscriptionSecrets');

/**
 * Where webhooks may go: a receiver must be reachable as a public address, not the platform's own
 * host or its internal network (loopback, link-local, private, unique-local, mapped), unless the
 * operator allowed it by name. Refusals are a RuleViolation (WEBHOOK_TARGET_NOT_ALLOWED).
 */
export interface WebhookReceivers {
  assertAllowed(url: string): Promise<void>;
}
export const WEBHOOK_RECEIVERS = Symbol('WebhookReceivers');
