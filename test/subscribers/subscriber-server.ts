/**
 * A downstream system's webhook receiver on loopback, for the delivery tests and the benchmark:
 * verifies each delivery with the README's example (examples/verify-webhook.js), records what it
 * accepted, deduplicates by event id, and can be told to misbehave (answer 500, drop the
 * connection, answer after the platform's timeout) by a seeded pseudo-random choice.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mulberry32 } from '../../src/tools/district-workbook';
import type { PublicEvent } from '../../src/application/published-events/public-event';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { verifyWebhook } = require('../../examples/verify-webhook.js') as {
  verifyWebhook: (
    secret: string,
    headers: Record<string, string | string[] | undefined>,
    body: string,
    nowSeconds?: number,
  ) => boolean;
};

export type Behaviour = 'ok' | 'error500' | 'drop' | 'slow';

export interface Receipt {
  readonly event: PublicEvent;
  readonly receivedAt: number;
  readonly attempt: number;
}

/** A seeded generator, so a storm is the same storm on every run (the district generator's). */
export const seeded = mulberry32;

export class SubscriberServer {
  /** Every accepted delivery, duplicates included, in arrival order. */
  readonly receipts: Receipt[] = [];
  /** First receipt of each event id. */
  readonly unique = new Map<string, Receipt>();
  requests = 0;
  badSignatures = 0;
  secret = '';
  private server: Server | null = null;
  private readonly waiters: { count: number; resolve: () => void }[] = [];

  constructor(
    private behaviour: (request: number, event: PublicEvent) => Behaviour = () => 'ok',
    private readonly slowMs = 0,
  ) {}

  setBehaviour(behaviour: (request: number, event: PublicEvent) => Behaviour): void {
    this.behaviour = behaviour;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => this.handle(req, res));
    this.server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/govcollab`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Resolves once `count` distinct events were accepted (or rejects after `timeoutMs`). */
  waitForUnique(count: number, timeoutMs = 30_000): Promise<void> {
    if (this.unique.size >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`only ${this.unique.size} of ${count} events arrived in ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const n = ++this.requests;
      if (!verifyWebhook(this.secret, req.headers, body)) {
        this.badSignatures++;
        res.writeHead(401).end();
        return;
      }
      const event = JSON.parse(body) as PublicEvent;
      const behaviour = this.behaviour(n, event);
      if (behaviour === 'error500') return void res.writeHead(500).end('boom');
      if (behaviour === 'drop') return void req.socket.destroy();
      this.accept(event, Number(req.headers['x-govcollab-delivery-attempt']));
      // 'slow': processed, but the answer comes after the platform gave up: it will retry (a duplicate).
      const delay = behaviour === 'slow' ? 250 : this.slowMs;
      if (delay > 0) setTimeout(() => res.writeHead(200).end('ok'), delay);
      else res.writeHead(200).end('ok');
    });
  }

  private accept(event: PublicEvent, attempt: number): void {
    const receipt = { event, receivedAt: performance.now(), attempt };
    this.receipts.push(receipt);
    if (!this.unique.has(event.id)) this.unique.set(event.id, receipt);
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      if (this.unique.size >= this.waiters[i].count) {
        this.waiters[i].resolve();
        this.waiters.splice(i, 1);
      }
    }
  }

  /** Per stream, the revisions in the order their first receipt arrived. */
  orderByStream(): Map<string, number[]> {
    const byStream = new Map<string, number[]>();
    for (const { event } of this.unique.values()) {
      const list = byStream.get(event.stream) ?? [];
      list.push(Number(event.revision));
      byStream.set(event.stream, list);
    }
    return byStream;
  }
}
