/**
 * npm run bench:delivery — webhook delivery to one subscriber on loopback (issue 7), on the
 * embedded SQLite store: the subscriber runs in its own process and verifies every signature.
 *
 * 1. Throughput: BENCH_DELIVERY_EVENTS published events (person registrations and profile
 *    changes over BENCH_DELIVERY_STREAMS streams) are in the store; a subscription is registered
 *    and the dispatcher started; deliveries/s = events / time until the subscriber has them all.
 * 2. Latency: with delivery caught up, single-event appends at BENCH_DELIVERY_RATE per second;
 *    end-to-end = from just before the append to the subscriber's receipt; p50 and p99.
 *
 * Ends with one line of JSON: deliveries_per_s, e2e_p50_ms, e2e_p99_ms.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { envelopeOf } from '../src/application/commands/decider-command-runner';
import { toEventToAppend } from '../src/application/event-store/event-envelope';
import { ANY, type EventToAppend } from '../src/application/ports/event-store.port';
import { WebhookDispatcher } from '../src/application/webhooks/webhook-dispatcher';
import type { DomainEvent } from '../src/domain/shared/decider';
import { subscriptionStream } from '../src/domain/subscription/subscription.decider';
import { SqliteEventStore } from '../src/infrastructure/event-store/sqlite/sqlite-event-store';
import { SystemClock } from '../src/infrastructure/system/system-clock';
import { TimeOrderedUuidGenerator } from '../src/infrastructure/system/uuid-generator';
import { HttpWebhookSender } from '../src/infrastructure/webhooks/http-webhook-sender';

const EVENTS = Number(process.env.BENCH_DELIVERY_EVENTS ?? 20000);
const STREAMS = Number(process.env.BENCH_DELIVERY_STREAMS ?? 2000);
const RATE = Number(process.env.BENCH_DELIVERY_RATE ?? 200);
const LATENCY_SECONDS = Number(process.env.BENCH_DELIVERY_SECONDS ?? 15);
const CONCURRENCY = Number(process.env.WEBHOOK_CONCURRENCY ?? 16);
const SECRET = 'whsec_bench_secret_0123456789abcdef';

const clock = new SystemClock();
const ids = new TimeOrderedUuidGenerator();
const now = () => performance.timeOrigin + performance.now();
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

function envelope(event: DomainEvent): EventToAppend {
  const metadata = envelopeOf(
    { actor: { accountId: 'acc-admin', role: 'SYSTEM_ADMIN' }, jurisdiction: 'qingpu' },
    clock.now(),
    ids.next(),
  );
  return toEventToAppend(ids.next(), event, metadata);
}

function registration(n: number): DomainEvent {
  return {
    type: 'PersonRegistered',
    data: {
      personId: `p${n}`,
      name: '测试人员',
      idNumber: '310118197001010088',
      gender: '2',
      mobile: `13${String(n).padStart(9, '0')}`,
      officePhone: null,
      employment: { type: 'ON_ESTABLISHMENT', establishmentType: 'ADMINISTRATIVE' },
      rank: null,
      politicalStatus: null,
      leadershipDuties: null,
      primaryPost: {
        orgNodeId: `u${n % 50}`,
        kind: 'PRIMARY',
        title: null,
        postLevel: null,
        role: null,
        order: 0,
        from: null,
        until: null,
      },
      directoryClass: 'Q3',
    },
  };
}
const phoneChange = (n: number, k: number): DomainEvent => ({
  type: 'PersonProfileUpdated',
  data: { personId: `p${n}`, changes: { officePhone: { from: `021-${k}`, to: `021-${k + 1}` } } },
});

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-delivery-'));
  const child = fork(join(__dirname, 'delivery-subscriber.ts'), [], {
    execArgv: ['-r', '@swc-node/register'],
    env: { ...process.env, BENCH_SECRET: SECRET },
  });
  const receipts = new Map<string, number>();
  let bad = 0;
  let onReceipts: (() => void) | null = null;
  const port = await new Promise<number>((resolve) => {
    child.on('message', (message: { port?: number; receipts?: [string, number][]; bad?: number }) => {
      if (message.port) resolve(message.port);
      if (message.receipts) {
        for (const [id, at] of message.receipts) if (!receipts.has(id)) receipts.set(id, at);
        bad = message.bad ?? 0;
        onReceipts?.();
      }
    });
  });
  const waitFor = (count: number) =>
    new Promise<void>((resolve) => {
      if (receipts.size >= count) return resolve();
      onReceipts = () => {
        if (receipts.size >= count) {
          onReceipts = null;
          resolve();
        }
      };
    });

  const store = new SqliteEventStore({ file: join(dir, 'events.sqlite') });
  const sender = new HttpWebhookSender();
  const dispatcher = new WebhookDispatcher(
    store,
    sender,
    { secretOf: () => SECRET },
    clock,
    ids,
    {
      jurisdiction: 'qingpu',
      concurrency: CONCURRENCY,
      timeoutMs: 10_000,
      backoffBaseMs: 100,
      backoffMaxMs: 5000,
      checkpointIntervalMs: 1000,
      lookahead: Math.max(1000, CONCURRENCY * 64),
    },
    {
      info: () => undefined,
      warn: (m) => process.stderr.write(`${m}\n`),
      error: (m) => process.stderr.write(`${m}\n`),
    },
  );
  try {
    // 1. Throughput.
    const people = Math.min(STREAMS, EVENTS);
    const perStream = new Map<number, number>();
    let written = 0;
    for (let n = 0; n < people; n++, written++) await store.append(`Person-p${n}`, [envelope(registration(n))], ANY);
    const batch: Promise<unknown>[] = [];
    for (; written < EVENTS; written++) {
      const n = written % people;
      const k = (perStream.get(n) ?? 0) + 1;
      perStream.set(n, k);
      batch.push(store.append(`Person-p${n}`, [envelope(phoneChange(n, k))], ANY));
      if (batch.length >= 500) await Promise.all(batch.splice(0));
    }
    await Promise.all(batch);
    await store.append(
      subscriptionStream('bench'),
      [
        envelope({
          type: 'SubscriptionRegistered',
          data: {
            subscriptionId: 'bench',
            name: 'bench',
            url: `http://127.0.0.1:${port}/hooks`,
            filter: { types: [], streamPrefixes: [], orgSubtrees: [] },
            grants: [],
            maxAttempts: 8,
            secretVersion: 1,
          },
        }),
      ],
      ANY,
    );
    const started = now();
    await dispatcher.start();
    await waitFor(EVENTS);
    const throughputSeconds = (now() - started) / 1000;
    const deliveriesPerSecond = EVENTS / throughputSeconds;
    process.stderr.write(
      `throughput: ${EVENTS} events over ${people} streams in ${throughputSeconds.toFixed(2)} s = ${deliveriesPerSecond.toFixed(0)} deliveries/s\n`,
    );

    // 2. Latency at a steady rate.
    const sentAt = new Map<string, number>();
    const total = Math.round(RATE * LATENCY_SECONDS);
    const interval = 1000 / RATE;
    const t0 = now();
    for (let i = 0; i < total; i++) {
      const due = t0 + i * interval;
      const wait = due - now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const n = Math.floor(Math.random() * people);
      const k = (perStream.get(n) ?? 0) + 1;
      perStream.set(n, k);
      const event = envelope(phoneChange(n, k));
      sentAt.set(event.eventId, now());
      await store.append(`Person-p${n}`, [event], ANY);
    }
    await waitFor(EVENTS + total);
    const latencies = [...sentAt].map(([id, at]) => receipts.get(id)! - at).sort((a, b) => a - b);
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    process.stderr.write(
      `latency: ${total} events at ${RATE}/s: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms; bad signatures ${bad}\n`,
    );
    process.stderr.write(
      `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; concurrency ${CONCURRENCY}\n`,
    );
    process.stdout.write(
      `${JSON.stringify({ deliveries_per_s: Math.round(deliveriesPerSecond), e2e_p50_ms: Number(p50.toFixed(1)), e2e_p99_ms: Number(p99.toFixed(1)), events: EVENTS, streams: people, latency_samples: total, rate_per_s: RATE, bad_signatures: bad })}\n`,
    );
  } finally {
    await dispatcher.stop();
    sender.close();
    await store.close();
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
