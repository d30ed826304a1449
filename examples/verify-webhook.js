// Verifying a webhook from the platform (Node.js, no dependencies).
// `body` must be the raw request body exactly as received, before any JSON parsing.
const { createHmac, timingSafeEqual } = require('node:crypto');

function verifyWebhook(secret, headers, body, nowSeconds = Math.floor(Date.now() / 1000)) {
  const timestamp = String(headers['x-govcollab-timestamp'] ?? '');
  const signature = String(headers['x-govcollab-signature'] ?? '');
  // Refuse deliveries signed more than 5 minutes from now: a captured request cannot be replayed later.
  if (!/^\d+$/.test(timestamp) || Math.abs(nowSeconds - Number(timestamp)) > 300) return false;
  const expected = 'sha256=' + createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  const a = Buffer.from(expected);
  const b = Buffer.from(signature);
  return a.length === b.length && timingSafeEqual(a, b);
}
// After verifying, deduplicate on headers['x-govcollab-event-id'] (a retry repeats it) and answer 2xx quickly.

module.exports = { verifyWebhook };
