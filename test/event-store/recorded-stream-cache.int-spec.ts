/**
 * The org tree's stream kept for time travel: read whole once, then only what follows, on the
 * embedded store; what one read returned is never changed by a later one.
 */
import { randomUUID } from 'node:crypto';
import { ANY } from '../../src/application/ports/event-store.port';
import { RecordedStreamCache } from '../../src/application/event-store/recorded-stream-cache';
import { SqliteEventStore } from '../../src/infrastructure/event-store/sqlite/sqlite-event-store';

const STREAM = 'OrgTree-qingpu';
const event = (name: string) => ({ eventId: randomUUID(), type: 'OrgNodeRenamed', data: { name }, metadata: {} });

describe('a recorded stream kept in memory', () => {
  let store: SqliteEventStore;
  beforeEach(() => {
    store = new SqliteEventStore({ file: ':memory:' });
  });
  afterEach(() => store.close());

  const names = (events: readonly { data: Record<string, unknown> }[]) => events.map((e) => e.data.name);

  it('reads the whole stream once, then only the events appended since', async () => {
    await store.append(STREAM, [event('a'), event('b')], ANY);
    const cache = new RecordedStreamCache(store, STREAM);
    const reads = jest.spyOn(store, 'readStream');
    const first = await cache.read();
    await store.append(STREAM, [event('c')], ANY);
    const second = await cache.read();

    expect(names(first)).toEqual(['a', 'b']);
    expect(names(second)).toEqual(['a', 'b', 'c']);
    expect(reads.mock.calls).toEqual([
      [STREAM, undefined],
      [STREAM, { from: 2n }],
    ]);
  });

  it('keeps each event once when reads overlap, and an empty stream is read again until it has events', async () => {
    const cache = new RecordedStreamCache(store, STREAM);
    expect(await cache.read()).toEqual([]);
    await store.append(STREAM, [event('a')], ANY);
    const together = await Promise.all([cache.read(), cache.read(), cache.read()]);

    for (const read of together) expect(names(read)).toEqual(['a']);
    expect(names(await cache.read())).toEqual(['a']);
  });
});
