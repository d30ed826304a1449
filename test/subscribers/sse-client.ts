/** A minimal Server-Sent Events client for the tests and the benchmark (Node's http, no dependencies). */
import { get, type IncomingMessage } from 'node:http';
import type { PublicEvent } from '../../src/application/published-events/public-event';

export interface SseMessage {
  readonly id: string;
  readonly event: string;
  readonly data: PublicEvent;
}

export interface SseConnection {
  readonly status: number;
  readonly messages: SseMessage[];
  /** Resolves when `count` messages have arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  close(): void;
  /** The error body when the server refused the stream. */
  readonly refusal: Promise<unknown>;
}

export function openSse(baseUrl: string, path: string, headers: Record<string, string>): Promise<SseConnection> {
  return new Promise((resolve, reject) => {
    const request = get(
      `${baseUrl}${path}`,
      { headers: { Accept: 'text/event-stream', ...headers } },
      (response: IncomingMessage) => {
        const messages: SseMessage[] = [];
        const waiters: { count: number; resolve: () => void }[] = [];
        let buffer = '';
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          if (response.statusCode !== 200) {
            body += chunk;
            return;
          }
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const fields: Record<string, string> = {};
            for (const line of block.split('\n')) {
              if (line.startsWith(':')) continue;
              const colon = line.indexOf(':');
              if (colon > 0) fields[line.slice(0, colon)] = line.slice(colon + 1).replace(/^ /, '');
            }
            if (fields.data !== undefined)
              messages.push({ id: fields.id, event: fields.event, data: JSON.parse(fields.data) as PublicEvent });
          }
          for (let i = waiters.length - 1; i >= 0; i--)
            if (messages.length >= waiters[i].count) waiters.splice(i, 1)[0].resolve();
        });
        const refusal = new Promise<unknown>((done) => response.on('end', () => done(body ? JSON.parse(body) : null)));
        refusal.catch(() => undefined);
        resolve({
          status: response.statusCode ?? 0,
          messages,
          refusal,
          waitFor: (count, timeoutMs = 20_000) =>
            messages.length >= count
              ? Promise.resolve()
              : new Promise((done, fail) => {
                  const timer = setTimeout(
                    () => fail(new Error(`only ${messages.length} of ${count} SSE messages in ${timeoutMs} ms`)),
                    timeoutMs,
                  );
                  waiters.push({ count, resolve: () => (clearTimeout(timer), done()) });
                }),
          close: () => request.destroy(),
        });
      },
    );
    request.on('error', (error) => reject(error));
  });
}
