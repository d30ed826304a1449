/**
 * The event store port's contract, run against every adapter (sqlite-event-store.int-spec.ts,
 * esdb-event-store.int-spec.ts). Every test writes to streams of its own random category and reads
 * through a filter on it, so the suite also runs against a shared EventStoreDB holding other data.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import {
  EventTooLargeError,
  InvalidEventError,
  InvalidExpectedRevisionError,
  InvalidPositionError,
  InvalidReadOptionsError,
  InvalidStreamNameError,
  WrongExpectedVersionError,
} from '../../src/application/event-store/event-store.errors';
import {
  ANY,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  NO_STREAM,
  type RecordedEvent,
  STREAM_EXISTS,
} from '../../src/application/ports/event-store.port';
import { comparePositions, type Position } from '../../src/application/event-store/position';

export interface ContractSubject {
  readonly store: EventStore;
  /** Adapter-specific teardown (close, delete files). */
  dispose(): Promise<void>;
}

function category(): string {
  return `T${randomBytes(6).toString('hex')}`;
}

function event(
  type = 'SomethingHappened',
  data: Record<string, unknown> = {},
  metadata: Record<string, unknown> = {},
): EventToAppend {
  return {
    eventId: randomUUID(),
    type,
    data: data as EventToAppend['data'],
    metadata: metadata as EventToAppend['metadata'],
  };
}

async function collect(
  iterable: AsyncIterable<RecordedEvent>,
  count: number,
  timeoutMs = 10000,
): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  const deadline = Date.now() + timeoutMs;
  const iterator = iterable[Symbol.asyncIterator]();
  while (out.length < count) {
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new Error(`timed out after ${out.length} of ${count} events`);
    let timer: NodeJS.Timeout | undefined;
    const next = await Promise.race([
      iterator.next(),
      new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), remaining);
      }),
    ]).finally(() => clearTimeout(timer));
    if (next === 'timeout') throw new Error(`timed out after ${out.length} of ${count} events`);
    if (next.done) break;
    out.push(next.value);
  }
  return out;
}

export function describeEventStoreContract(adapter: string, makeSubject: () => Promise<ContractSubject>): void {
  describe(`EventStore contract: ${adapter}`, () => {
    let subject: ContractSubject;
    let store: EventStore;
    let cat: string;
    /** Head before the test: forward reads start here, so a shared server's history is not rescanned. */
    let origin: Position | 'start';

    beforeEach(async () => {
      subject = await makeSubject();
      store = subject.store;
      cat = category();
      origin = (await store.headPosition()) ?? 'start';
    });
    afterEach(async () => {
      await subject.dispose();
    });

    async function expectWrongVersion(
      promise: Promise<unknown>,
      expected: string,
      actual: bigint | 'no_stream',
      streamId: string,
    ) {
      const error = await promise.then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(WrongExpectedVersionError);
      const wrong = error as WrongExpectedVersionError;
      expect(wrong.code).toBe('WRONG_EXPECTED_VERSION');
      expect(wrong.streamId).toBe(streamId);
      expect(wrong.expected).toBe(expected);
      expect(wrong.actual).toBe(actual);
    }

    describe('append with an expected revision', () => {
      it('creates a stream at revision 0 with NO_STREAM and reads back data and metadata verbatim', async () => {
        const stream = `${cat}-1`;
        const metadata = {
          actor: { accountId: 'a-1', role: 'SYSTEM_ADMIN' },
          reason: '机构改革',
          nested: { list: [1, '二', null, true] },
        };
        const written = event('OrgNodeCreated', { name: '青浦区人民政府办公室', level: 2 }, metadata);
        const result = await store.append(stream, [written], NO_STREAM);
        expect(result.nextExpectedRevision).toBe(0n);

        const [read] = await store.readStream(stream);
        expect(read).toMatchObject({
          streamId: stream,
          revision: 0n,
          eventId: written.eventId,
          type: 'OrgNodeCreated',
        });
        expect(read.data).toEqual(written.data);
        expect(read.metadata).toEqual(metadata);
        expect(read.position).toBe(result.position);
        expect(read.created).toBeInstanceOf(Date);
      });

      it('refuses NO_STREAM when the stream exists', async () => {
        const stream = `${cat}-1`;
        await store.append(stream, [event()], NO_STREAM);
        await expectWrongVersion(store.append(stream, [event()], NO_STREAM), 'no_stream', 0n, stream);
      });

      it('refuses STREAM_EXISTS when the stream is absent and accepts it when present', async () => {
        const stream = `${cat}-1`;
        await expectWrongVersion(store.append(stream, [event()], STREAM_EXISTS), 'stream_exists', 'no_stream', stream);
        await store.append(stream, [event()], NO_STREAM);
        const result = await store.append(stream, [event(), event()], STREAM_EXISTS);
        expect(result.nextExpectedRevision).toBe(2n);
      });

      it('accepts ANY whether or not the stream exists', async () => {
        const stream = `${cat}-1`;
        expect((await store.append(stream, [event()], ANY)).nextExpectedRevision).toBe(0n);
        expect((await store.append(stream, [event()], ANY)).nextExpectedRevision).toBe(1n);
      });

      it('accepts the exact current revision and refuses any other, naming expected and actual', async () => {
        const stream = `${cat}-1`;
        await expectWrongVersion(store.append(stream, [event()], 0n), '0', 'no_stream', stream);
        await store.append(stream, [event(), event()], NO_STREAM);
        await expectWrongVersion(store.append(stream, [event()], 0n), '0', 1n, stream);
        await expectWrongVersion(store.append(stream, [event()], 5n), '5', 1n, stream);
        const result = await store.append(stream, [event()], 1n);
        expect(result.nextExpectedRevision).toBe(2n);
        expect((await store.readStream(stream)).map((e) => e.revision)).toEqual([0n, 1n, 2n]);
      });

      it('writes nothing of a refused append', async () => {
        const stream = `${cat}-1`;
        await store.append(stream, [event()], NO_STREAM);
        await store.append(stream, [event(), event(), event()], 7n).catch(() => undefined);
        expect(await store.readStream(stream)).toHaveLength(1);
      });
    });

    describe('idempotent re-append', () => {
      it('returns the same result and writes no duplicate when the same events are appended again at the same expected revision', async () => {
        const stream = `${cat}-1`;
        const batch = [event(), event()];
        const first = await store.append(stream, batch, NO_STREAM);
        const again = await store.append(stream, batch, NO_STREAM);
        expect(again).toEqual(first);

        const next = [event()];
        const third = await store.append(stream, next, 1n);
        expect(await store.append(stream, next, 1n)).toEqual(third);
        // Still idempotent once the stream has moved on.
        await store.append(stream, [event()], 2n);
        expect(await store.append(stream, next, 1n)).toEqual(third);

        const events = await store.readStream(stream);
        expect(events.map((e) => e.eventId)).toEqual(
          [...batch, ...next].map((e) => e.eventId).concat(events[3].eventId),
        );
        expect(events).toHaveLength(4);
      });

      it('treats a retried single-event ANY append as already done', async () => {
        const stream = `${cat}-1`;
        const once = [event()];
        const first = await store.append(stream, once, ANY);
        expect(await store.append(stream, once, ANY)).toEqual(first);
        expect(await store.readStream(stream)).toHaveLength(1);
      });
    });

    describe('readStream', () => {
      it('reads an absent stream as empty', async () => {
        expect(await store.readStream(`${cat}-absent`)).toEqual([]);
      });

      it('reads forwards and backwards from a revision, inclusive, with maxCount', async () => {
        const stream = `${cat}-1`;
        await store.append(
          stream,
          Array.from({ length: 6 }, (_, i) => event('Counted', { i })),
          NO_STREAM,
        );
        const revisions = (events: RecordedEvent[]) => events.map((e) => e.revision);
        expect(revisions(await store.readStream(stream))).toEqual([0n, 1n, 2n, 3n, 4n, 5n]);
        expect(revisions(await store.readStream(stream, { from: 2n, maxCount: 3 }))).toEqual([2n, 3n, 4n]);
        expect(revisions(await store.readStream(stream, { direction: 'backwards', maxCount: 2 }))).toEqual([5n, 4n]);
        expect(revisions(await store.readStream(stream, { direction: 'backwards', from: 3n }))).toEqual([
          3n,
          2n,
          1n,
          0n,
        ]);
        expect(revisions(await store.readStream(stream, { from: 9n }))).toEqual([]);
      });
    });

    describe('readAll', () => {
      it('returns events in one global order, the order their appends committed, across streams', async () => {
        const expectedIds: string[] = [];
        for (let i = 0; i < 12; i++) {
          const e = event('Counted', { i });
          expectedIds.push(e.eventId);
          await store.append(`${cat}-${i % 3}`, [e], ANY);
        }
        const all = await store.readAll({ from: origin, filter: { streamPrefixes: [`${cat}-`] } });
        expect(all.map((e) => e.eventId)).toEqual(expectedIds);
        for (let i = 1; i < all.length; i++) expect(comparePositions(all[i - 1].position, all[i].position)).toBe(-1);

        const backwards = await store.readAll({
          direction: 'backwards',
          filter: { streamPrefixes: [`${cat}-`] },
          maxCount: 12,
        });
        expect(backwards.map((e) => e.eventId)).toEqual([...expectedIds].reverse());
      });

      it('pages with an exclusive `from`: pages join without gap or repeat, in both directions', async () => {
        await store.append(
          `${cat}-1`,
          Array.from({ length: 10 }, (_, i) => event('Counted', { i })),
          NO_STREAM,
        );
        const filter = { streamPrefixes: [`${cat}-`] };
        const pages: RecordedEvent[] = [];
        let from: Position | 'start' = origin;
        for (;;) {
          const page = await store.readAll({ from, maxCount: 3, filter });
          if (page.length === 0) break;
          pages.push(...page);
          from = page[page.length - 1].position;
        }
        expect(pages.map((e) => e.data.i)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);

        const back: RecordedEvent[] = [];
        let before: Position | 'end' = 'end';
        for (;;) {
          const page = await store.readAll({ from: before, direction: 'backwards', maxCount: 4, filter });
          if (page.length === 0) break;
          back.push(...page);
          before = page[page.length - 1].position;
        }
        expect(back.map((e) => e.data.i)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
      });

      it('filters by event type and by stream prefix', async () => {
        await store.append(`${cat}Org-1`, [event(`${cat}Created`), event(`${cat}Renamed`)], NO_STREAM);
        await store.append(`${cat}Person-1`, [event(`${cat}Registered`), event(`${cat}Renamed`)], NO_STREAM);
        const byType = await store.readAll({
          from: origin,
          filter: { eventTypes: [`${cat}Renamed`, `${cat}Registered`] },
        });
        expect(byType.map((e) => [e.streamId, e.type])).toEqual([
          [`${cat}Org-1`, `${cat}Renamed`],
          [`${cat}Person-1`, `${cat}Registered`],
          [`${cat}Person-1`, `${cat}Renamed`],
        ]);
        const byPrefix = await store.readAll({ from: origin, filter: { streamPrefixes: [`${cat}Person-`] } });
        expect(byPrefix.map((e) => e.type)).toEqual([`${cat}Registered`, `${cat}Renamed`]);
      });
    });

    describe('streamIds', () => {
      it('names each stream of a prefix once, in name order, and no other', async () => {
        await store.append(`${cat}Person-2`, [event('A'), event('B')], NO_STREAM);
        await store.append(`${cat}Person-10`, [event('A')], NO_STREAM);
        await store.append(`${cat}Personnel-1`, [event('A')], NO_STREAM);
        await store.append(`${cat}Org-1`, [event('A')], NO_STREAM);
        expect(await store.streamIds(`${cat}Person-`)).toEqual([`${cat}Person-10`, `${cat}Person-2`]);
        expect(await store.streamIds(`${cat}Person`)).toEqual([
          `${cat}Person-10`,
          `${cat}Person-2`,
          `${cat}Personnel-1`,
        ]);
        expect(await store.streamIds(`${cat}Nothing-`)).toEqual([]);
        await expect(store.streamIds('')).rejects.toBeInstanceOf(InvalidReadOptionsError);
      });
    });

    describe('subscribeToAll', () => {
      it('catches up, then goes live, without gap or duplicate', async () => {
        const filter = { streamPrefixes: [`${cat}-`] };
        await store.append(
          `${cat}-1`,
          [0, 1, 2].map((i) => event('Counted', { i })),
          NO_STREAM,
        );
        const subscription = store.subscribeToAll({ from: origin, filter });
        const received = collect(subscription, 9);
        // Written while the subscription is catching up and after it is live.
        await store.append(
          `${cat}-2`,
          [3, 4, 5].map((i) => event('Counted', { i })),
          NO_STREAM,
        );
        await new Promise((resolve) => setTimeout(resolve, 300));
        for (const i of [6, 7, 8]) await store.append(`${cat}-3`, [event('Counted', { i })], ANY);
        const events = await received;
        await subscription.close();
        expect(events.map((e) => e.data.i)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
      });

      it('resumes from a saved position with the next event and nothing before it', async () => {
        const filter = { streamPrefixes: [`${cat}-`] };
        await store.append(
          `${cat}-1`,
          [0, 1, 2, 3, 4].map((i) => event('Counted', { i })),
          NO_STREAM,
        );
        const first = store.subscribeToAll({ from: origin, filter });
        const firstThree = await collect(first, 3);
        await first.close();
        const saved: string = JSON.parse(JSON.stringify(firstThree[2].position)) as string;

        const resumed = store.subscribeToAll({ from: saved as Position, filter });
        const rest = collect(resumed, 3);
        await store.append(`${cat}-1`, [event('Counted', { i: 5 })], 4n);
        expect((await rest).map((e) => e.data.i)).toEqual([3, 4, 5]);
        await resumed.close();
      });

      it("from 'end' yields only events written after subscribing", async () => {
        await store.append(`${cat}-1`, [event('Counted', { i: 0 })], NO_STREAM);
        const subscription = store.subscribeToAll({ from: 'end', filter: { streamPrefixes: [`${cat}-`] } });
        const received = collect(subscription, 1);
        await new Promise((resolve) => setTimeout(resolve, 200));
        await store.append(`${cat}-1`, [event('Counted', { i: 1 })], 0n);
        expect((await received).map((e) => e.data.i)).toEqual([1]);
        await subscription.close();
      });

      it('delivers a long history to a slow consumer in order', async () => {
        const total = 2500;
        for (let start = 0; start < total; start += 500) {
          await store.append(
            `${cat}-1`,
            Array.from({ length: 500 }, (_, k) => event('Counted', { i: start + k })),
            ANY,
          );
        }
        const subscription = store.subscribeToAll({ from: origin, filter: { streamPrefixes: [`${cat}-`] } });
        let expected = 0;
        for await (const e of subscription) {
          if (!e.streamId.startsWith(`${cat}-`)) continue;
          expect(e.data.i).toBe(expected);
          expected++;
          if (expected % 500 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
          if (expected === total) break;
        }
        await subscription.close();
        expect(expected).toBe(total);
      });

      it('ends a pending iteration when closed', async () => {
        const subscription = store.subscribeToAll({ from: 'end', filter: { streamPrefixes: [`${cat}-`] } });
        const next = subscription[Symbol.asyncIterator]().next();
        await new Promise((resolve) => setTimeout(resolve, 50));
        await subscription.close();
        await expect(next).resolves.toEqual({ done: true, value: undefined });
      });
    });

    describe('bad input gets a typed error and changes nothing', () => {
      async function expectRefusedWithoutChange(
        promise: () => Promise<unknown>,
        errorType: new (...args: never[]) => Error,
      ) {
        const filter = { streamPrefixes: [`${cat}`] };
        const before = await store.readAll({ from: origin, filter });
        await expect(promise()).rejects.toBeInstanceOf(errorType);
        expect(await store.readAll({ from: origin, filter })).toEqual(before);
        expect(await store.headPosition()).toBe(origin === 'start' ? null : origin);
      }

      it.each([
        ['an empty name', ''],
        ['a system stream', '$all'],
        ['whitespace', `bad stream`],
        ['a leading dash', '-1'],
        ['a newline', 'Org-1\nDROP'],
        ['SQL', "Org-1'; DROP TABLE events; --"],
        ['an overlong name', `Org-${'x'.repeat(300)}`],
        ['a non-string', 42],
      ])('refuses a stream name with %s', async (_label, name) => {
        await expectRefusedWithoutChange(() => store.append(name as string, [event()], ANY), InvalidStreamNameError);
      });

      it('refuses an event over the size limit (more than 1 MiB)', async () => {
        const big = event('Big', { blob: 'x'.repeat(1024 * 1024) });
        await expectRefusedWithoutChange(() => store.append(`${cat}-1`, [event(), big], ANY), EventTooLargeError);
        const wide = event('Big', { blob: '中'.repeat(400 * 1024) }); // 1.2 MB in UTF-8
        await expectRefusedWithoutChange(() => store.append(`${cat}-1`, [wide], ANY), EventTooLargeError);
      });

      const circular: Record<string, unknown> = { a: 1 };
      circular.self = circular;
      let deep: Record<string, unknown> = {};
      for (let i = 0; i < 200; i++) deep = { deep };
      it.each([
        ['a function', { f: () => 1 }],
        ['undefined', { u: undefined }],
        ['NaN', { n: Number.NaN }],
        ['Infinity', { n: Number.POSITIVE_INFINITY }],
        ['a Date', { d: new Date(0) }],
        ['a bigint', { b: 1n }],
        ['a class instance', { m: new Map() }],
        ['a circular reference', circular],
        ['deep nesting', deep],
        ['an array as data', [1, 2]],
        ['a string as data', 'text'],
        ['null as data', null],
        ['a __proto__ key', JSON.parse('{"__proto__": {"polluted": true}}') as unknown],
      ])('refuses non-JSON data: %s', async (_label, data) => {
        await expectRefusedWithoutChange(
          () => store.append(`${cat}-1`, [{ ...event(), data: data as EventToAppend['data'] }], ANY),
          InvalidEventError,
        );
      });

      it('refuses non-JSON metadata, bad ids, bad types, duplicate ids and empty batches', async () => {
        const stream = `${cat}-1`;
        await expectRefusedWithoutChange(
          () => store.append(stream, [{ ...event(), metadata: { at: new Date() } as never }], ANY),
          InvalidEventError,
        );
        await expectRefusedWithoutChange(
          () => store.append(stream, [{ ...event(), eventId: 'not-a-uuid' }], ANY),
          InvalidEventError,
        );
        await expectRefusedWithoutChange(
          () => store.append(stream, [{ ...event(), type: '$system' }], ANY),
          InvalidEventError,
        );
        await expectRefusedWithoutChange(
          () => store.append(stream, [{ ...event(), type: '' }], ANY),
          InvalidEventError,
        );
        const twice = event();
        await expectRefusedWithoutChange(() => store.append(stream, [twice, { ...twice }], ANY), InvalidEventError);
        await expectRefusedWithoutChange(() => store.append(stream, [], ANY), InvalidEventError);
        await expectRefusedWithoutChange(() => store.append(stream, 'events' as never, ANY), InvalidEventError);
      });

      it.each([
        ['an unknown word', 'latest'],
        ['a negative revision', -1n],
        ['a plain number', 1],
        ['null', null],
        ['undefined', undefined],
        ['an object', { revision: 1 }],
      ])('refuses an expected revision that is %s', async (_label, expected) => {
        await expectRefusedWithoutChange(
          () => store.append(`${cat}-1`, [event()], expected as ExpectedRevision),
          InvalidExpectedRevisionError,
        );
      });

      it('refuses malformed positions and read options', async () => {
        await expect(store.readAll({ from: 'garbage' as Position })).rejects.toBeInstanceOf(InvalidPositionError);
        await expect(store.readAll({ maxCount: 0 })).rejects.toBeInstanceOf(InvalidReadOptionsError);
        await expect(store.readAll({ filter: { eventTypes: [] } })).rejects.toBeInstanceOf(InvalidReadOptionsError);
        await expect(store.readStream(`${cat}-1`, { maxCount: -5 })).rejects.toBeInstanceOf(InvalidReadOptionsError);
        await expect(store.readStream('not a stream')).rejects.toBeInstanceOf(InvalidStreamNameError);
        expect(() => store.subscribeToAll({ from: 'x' as Position })).toThrow(InvalidPositionError);
      });
    });
  });
}
