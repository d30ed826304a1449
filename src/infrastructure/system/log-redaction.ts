/**
 * What the access log never holds: credentials (the Authorization header, cookies, a WebSocket's
 * access_token) and personal data sent in a query (a searched name or mobile, an ID number).
 */
import { stdSerializers } from 'pino';

export const REDACTED = '[redacted]';

/** Query parameters whose values are credentials or personal data. */
const SECRET_PARAMETERS = new Set(['access_token', 'token', 'link', 'q', 'mobile', 'idnumber', 'name']);

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["proxy-authorization"]',
  'res.headers["set-cookie"]',
];

export function redactedUrl(url: string): string {
  const query = url.indexOf('?');
  if (query < 0) return url;
  const params = new URLSearchParams(url.slice(query + 1));
  for (const key of [...params.keys()]) if (SECRET_PARAMETERS.has(key.toLowerCase())) params.set(key, REDACTED);
  return `${url.slice(0, query)}?${params.toString()}`;
}

/** The request as the access log records it: its URL and query with the secret values replaced. */
export const requestSerializer = stdSerializers.wrapRequestSerializer((request) => {
  const serialized = request as { url: string; query?: Record<string, unknown> };
  serialized.url = redactedUrl(serialized.url);
  if (serialized.query) {
    for (const key of Object.keys(serialized.query))
      if (SECRET_PARAMETERS.has(key.toLowerCase())) serialized.query[key] = REDACTED;
  }
  return request;
});
