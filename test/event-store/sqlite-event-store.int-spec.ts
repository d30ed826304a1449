import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { EventIdConflictError, EventStoreClosedError } from '../../src/application/event-store/event-store.errors';
import { ANY, type EventToAppend, NO_STREAM } from '../../src/application/ports/event-store.port';
import { verifyChain } from '../../src/application/integrity/hash-chain';
import { SqliteEventStore } from '../../src/infrastructure/event-store/sqlite/sqlite-event-store';
import { makeTempDir } from '../support/temp-dir';
import { describeEventStoreContract } from './event-store.contract';

describeEventStoreContract('embedded SQLite', async () => {
  const dir = makeTempDir();
  const store = new SqliteEventStore({ file: join(dir.path, 'events.sqlite'), pollIntervalMs: 50 });
  return {
    store,
    dispose: async () => {
      await store.close();
      dir.remove();
    },
  };
});

const anEvent = (data: Record<string, number> = {}): EventToAppend => ({
  eventId: randomUUID(),
  type: 'Counted',
  data,
  metadata: {},
});

describe('SqliteEventStore specifics', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let file: string;
  beforeEach(() => {
    dir = makeTempDir();
    file = join(dir.path, 'events.sqlite');
  });
  afterEach(() => dir.remove());

  it('a subscription catching up turns the event loop between pages (a long fold does not hold the process)', async () => {
    const store = new SqliteEventStore({ file, subscriptionPageSize: 100 });
    await store.append(
      'Org-1',
      Array.from({ length: 1000 }, (_, i) => anEvent({ i })),
      NO_STREAM,
    );
    let turns = 0;
    let stop = false;
    const tick = () => {
      turns++;
      if (!stop) setImmediate(tick);
    };
    setImmediate(tick);
    const subscription = store.subscribeToAll({ from: 'start' });
    let read = 0;
    for await (const _ of subscription) if (++read === 1000) break;
    stop = true;
    await subscription.close();
    await store.close();
    // Ten pages: the loop turned between them; without the turn, none until the catch-up ended.
    expect(turns).toBeGreaterThanOrEqual(5);
  });

  it('runs in WAL mode and keeps what it wrote across a reopen', async () => {
    const store = new SqliteEventStore({ file });
    await store.append('Org-1', [anEvent({ i: 1 })], NO_STREAM);
    await store.close();
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
    const reopened = new SqliteEventStore({ file });
    expect((await reopened.readStream('Org-1')).map((e) => e.data)).toEqual([{ i: 1 }]);
    await reopened.close();
  });

  it('commits concurrent appends together (group commit) with per-stream semantics intact', async () => {
    const store = new SqliteEventStore({ file });
    // Issued in one turn of the event loop: one flush, one transaction.
    const results = await Promise.allSettled([
      store.append('Org-1', [anEvent()], NO_STREAM),
      store.append('Org-2', [anEvent()], NO_STREAM),
      store.append('Org-1', [anEvent()], NO_STREAM), // loses: Org-1 exists by then
      store.append('Org-1', [anEvent()], 0n),
      store.append('Org-2', [anEvent()], 5n), // loses
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'rejected']);
    const all = await store.readAll();
    expect(all.map((e) => [e.streamId, e.revision])).toEqual([
      ['Org-1', 0n],
      ['Org-2', 0n],
      ['Org-1', 1n],
    ]);
    // One transaction: the three events carry one commit timestamp.
    expect(new Set(all.map((e) => e.created.getTime())).size).toBe(1);
    await store.close();
  });

  it('keeps event ids unique across streams', async () => {
    const store = new SqliteEventStore({ file });
    const shared = anEvent();
    await store.append('Org-1', [shared], NO_STREAM);
    await expect(store.append('Org-2', [shared], ANY)).rejects.toBeInstanceOf(EventIdConflictError);
    await expect(store.append('Org-1', [anEvent(), shared], ANY)).rejects.toBeInstanceOf(EventIdConflictError);
    expect(await store.readAll()).toHaveLength(1);
    await store.close();
  });

  it('replays the rest of a group commit when one append fails half-way (a reused event id)', async () => {
    const store = new SqliteEventStore({ file });
    const used = anEvent();
    await store.append('Org-0', [used], NO_STREAM);
    // One flush: the middle append inserts one event, then hits the used id and must leave nothing.
    const results = await Promise.allSettled([
      store.append('Org-1', [anEvent({ i: 1 })], NO_STREAM),
      store.append('Org-2', [anEvent({ i: 2 }), used], NO_STREAM),
      store.append('Org-3', [anEvent({ i: 3 })], NO_STREAM),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(EventIdConflictError);
    expect((await store.readAll()).map((e) => e.streamId)).toEqual(['Org-0', 'Org-1', 'Org-3']);
    expect(await store.readStream('Org-2')).toEqual([]);
    await store.close();
  });

  it('finishes appends in flight when closed, then refuses new ones', async () => {
    const store = new SqliteEventStore({ file });
    const pending = Array.from({ length: 200 }, (_, i) => store.append(`Org-${i % 7}`, [anEvent({ i })], ANY));
    await store.close();
    await expect(Promise.all(pending)).resolves.toHaveLength(200);
    await expect(store.append('Org-1', [anEvent()], ANY)).rejects.toBeInstanceOf(EventStoreClosedError);
    const reopened = new SqliteEventStore({ file });
    expect(await reopened.readAll({ maxCount: 1000 })).toHaveLength(200);
    await reopened.close();
  });

  it('delivers events appended by another process to a live subscription (polling)', async () => {
    const store = new SqliteEventStore({ file, pollIntervalMs: 20 });
    const other = new SqliteEventStore({ file });
    const subscription = store.subscribeToAll();
    const iterator = subscription[Symbol.asyncIterator]();
    const next = iterator.next();
    await other.append('Org-1', [anEvent({ i: 7 })], NO_STREAM);
    const received = await next;
    expect(received.done).toBe(false);
    expect(received.value?.data).toEqual({ i: 7 });
    await subscription.close();
    await other.close();
    await store.close();
  });

  describe('reading what follows a stream it knows the end of', () => {
    const revisions = async (store: SqliteEventStore, from: bigint) =>
      (await store.readStream('Person-1', { from })).map((e) => e.revision);

    it("sees its own appends, and another connection's, at once", async () => {
      const store = new SqliteEventStore({ file });
      const other = new SqliteEventStore({ file });
      await store.append('Person-1', [anEvent(), anEvent()], NO_STREAM);
      expect(await revisions(store, 0n)).toEqual([0n, 1n]);
      expect(await revisions(store, 2n)).toEqual([]);
      await store.append('Person-1', [anEvent()], 1n);
      expect(await revisions(store, 2n)).toEqual([2n]);
      expect(await revisions(store, 3n)).toEqual([]);
      await other.append('Person-1', [anEvent()], 2n);
      expect(await revisions(store, 3n)).toEqual([3n]);
      // Known again, then another connection writes (another stream first, then this one).
      expect(await revisions(store, 4n)).toEqual([]);
      await other.append('Org-1', [anEvent()], NO_STREAM);
      await other.append('Person-1', [anEvent()], 3n);
      expect(await revisions(store, 4n)).toEqual([4n]);
      await other.close();
      await store.close();
    });

    it('keeps no end for an append refused or rolled back', async () => {
      const store = new SqliteEventStore({ file });
      await store.append('Person-1', [anEvent()], NO_STREAM);
      expect(await revisions(store, 1n)).toEqual([]);
      const reused = anEvent();
      await store.append('Org-1', [reused], NO_STREAM);
      // A reused event id rolls the whole append back: the stream still ends at revision 1.
      await expect(store.append('Person-1', [anEvent(), { ...reused }], 0n)).rejects.toBeInstanceOf(
        EventIdConflictError,
      );
      expect(await revisions(store, 1n)).toEqual([]);
      await store.append('Person-1', [anEvent()], 0n);
      expect(await revisions(store, 1n)).toEqual([1n]);
      await store.close();
    });

    it("reads a stream's last event after its own appends and another connection's, and none of one never written", async () => {
      const store = new SqliteEventStore({ file });
      const other = new SqliteEventStore({ file });
      const last = async () =>
        (await store.readStream('Claim-1', { direction: 'backwards', maxCount: 1 })).map((e) => e.revision);
      expect(await last()).toEqual([]);
      // Known empty now: its own append and another connection's are still seen.
      await store.append('Claim-1', [anEvent()], NO_STREAM);
      expect(await last()).toEqual([0n]);
      expect(await last()).toEqual([0n]);
      await other.append('Claim-1', [anEvent()], 0n);
      expect(await last()).toEqual([1n]);
      // What that read learned is the stream's end: the event before it is still read.
      expect((await store.readStream('Claim-1', { from: 1n })).map((e) => e.revision)).toEqual([1n]);
      expect((await store.readStream('Claim-1', { from: 2n })).map((e) => e.revision)).toEqual([]);
      await store.append('Claim-1', [anEvent()], 1n);
      expect((await store.readStream('Claim-1', { from: 2n })).map((e) => e.revision)).toEqual([2n]);
      expect(await last()).toEqual([2n]);
      // Backwards from a revision, and more than one: as before.
      expect(
        (await store.readStream('Claim-1', { direction: 'backwards', from: 1n, maxCount: 5 })).map((e) => e.revision),
      ).toEqual([1n, 0n]);
      await other.close();
      await store.close();
    });

    it('learns nothing from a read cut short by maxCount', async () => {
      const store = new SqliteEventStore({ file });
      await store.append('Person-1', [anEvent(), anEvent(), anEvent()], NO_STREAM);
      expect((await store.readStream('Person-1', { from: 0n, maxCount: 2 })).map((e) => e.revision)).toEqual([0n, 1n]);
      expect(await revisions(store, 2n)).toEqual([2n]);
      await store.close();
    });
  });

  describe('the hash chain of a file written without it', () => {
    const hashesInFile = () => {
      const db = new Database(file);
      const hashes = db.prepare('SELECT hash FROM events ORDER BY position').pluck().all();
      db.close();
      return hashes;
    };
    async function fileWithHashes() {
      const store = new SqliteEventStore({ file });
      for (let i = 0; i < 5; i++) await store.append(`Tally-${i % 2}`, [anEvent({ i })], ANY);
      await store.close();
      return hashesInFile();
    }
    const unhash = (where: string) => {
      const db = new Database(file);
      db.prepare(`UPDATE events SET hash = NULL WHERE ${where}`).run();
      db.close();
    };
    const hashesAfterOpen = async () => {
      const store = new SqliteEventStore({ file });
      const verified = await verifyChain(store);
      await store.close();
      return { verified, hashes: hashesInFile() };
    };

    it.each([
      ['a file from before the chain (no event hashed)', '1 = 1'],
      ['events appended at the end without their hashes', 'position > (SELECT MIN(position) + 2 FROM events)'],
    ])('given %s, when opened, chains every event as it would have been', async (_case, unhashed) => {
      const written = await fileWithHashes();
      unhash(unhashed);
      const { verified, hashes } = await hashesAfterOpen();
      expect(verified.ok).toBe(true);
      expect(hashes).toEqual(written);
    });
  });
});
