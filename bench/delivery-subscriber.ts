/**
 * The benchmark's webhook receiver, in its own process (as a downstream system would be): verifies
 * every signature with the README's example, answers 200, and reports (event id, receipt time)
 * to the parent in batches. Receipt time is performance.timeOrigin + performance.now(), comparable
 * across processes on one machine.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { verifyWebhook } = require('../examples/verify-webhook.js') as {
  verifyWebhook: (secret: string, headers: Record<string, string | string[] | undefined>, body: string) => boolean;
};

const secret = process.env.BENCH_SECRET ?? '';
let batch: [string, number][] = [];
let bad = 0;
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const at = performance.timeOrigin + performance.now();
    const body = Buffer.concat(chunks).toString('utf8');
    if (!verifyWebhook(secret, req.headers, body)) {
      bad++;
      res.writeHead(401).end();
      return;
    }
    batch.push([String(req.headers['x-govcollab-event-id']), at]);
    res.writeHead(200).end();
  });
});
server.keepAliveTimeout = 60_000;
setInterval(() => {
  if (batch.length === 0) return;
  process.send!({ receipts: batch, bad });
  batch = [];
}, 20).unref();
server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
process.on('disconnect', () => process.exit(0));
