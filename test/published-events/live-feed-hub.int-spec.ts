/**
 * The live feed hub (issue 20): a feed opened at `end` is served from the process's one fold of
 * the published history, yields exactly what is appended after it opened, with each event's scope
 * as a feed of its own would compute it (a person transferred out of a subtree is seen leaving);
 * a feed that falls too far behind carries on from its own fold with no gap and no duplicate.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { ANY, type EventToAppend } from '../../src/application/ports/event-store.port';
import type { JsonObject } from '../../src/application/event-store/json';
import { currentVersionOf } from '../../src/application/event-store/event-versions';
import {
  LiveFeedHub,
  type ScopeSnapshot,
  type ScopeSnapshots,
} from '../../src/application/published-events/live-feed-hub';
import type { Feed, FeedItem } from '../../src/application/published-events/published-feed';
import type { EventFilter } from '../../src/application/published-events/event-filter';
import { SqliteEventStore } from '../../src/infrastructure/event-store/sqlite/sqlite-event-store';
import { makeTempDir } from '../support/temp-dir';

const event = (type: string, data: JsonObject): EventToAppend => ({
  eventId: randomUUID(),
  type,
  data,
  metadata: {
    schemaVersion: currentVersionOf(type),
    recordedAt: '2026-12-01T00:00:00.000Z',
    effectiveAt: '2026-12-01T00:00:00.000Z',
    correlationId: randomUUID(),
    jurisdiction: 't',
    actor: { accountId: 'acc-admin', role: 'SYSTEM_ADMIN' },
  },
});
const node = (orgNodeId: string, parentId: string | null) =>
  event('OrgNodeCreated', { orgNodeId, parentId, name: orgNodeId, kind: 'UNIT' });
const post = (orgNodeId: string) => ({ orgNodeId, title: '科员' });
const phoneOf = (item: FeedItem) => (item.envelope.data as { changes: { officePhone: string } }).changes.officePhone;
const everything: EventFilter = { types: [], streamPrefixes: [], orgSubtrees: [] };

async function take(feed: Feed, n: number): Promise<FeedItem[]> {
  const items: FeedItem[] = [];
  for await (const item of feed) {
    items.push(item);
    if (items.length === n) break;
  }
  return items;
}

describe('live feed hub (issue 20)', () => {
  jest.setTimeout(30_000);
  let dir: ReturnType<typeof makeTempDir>;
  let store: SqliteEventStore;
  let hub: LiveFeedHub;

  beforeEach(async () => {
    dir = makeTempDir();
    store = new SqliteEventStore({ file: join(dir.path, 'events.sqlite'), pollIntervalMs: 20 });
    await store.append('OrgTree-t', [node('root', null), node('a', 'root'), node('b', 'root')], ANY);
    await store.append('Person-p', [event('PersonRegistered', { personId: 'p', primaryPost: post('a') })], ANY);
  });

  afterEach(async () => {
    await hub.stop();
    await store.close();
    dir.remove();
  });

  it('yields only what is appended after opening, scoped from the whole history before it', async () => {
    hub = new LiveFeedHub(store);
    hub.start();
    const underA = hub.open('end', { ...everything, orgSubtrees: ['a'] });
    const first = take(underA, 2);
    // Let the feed see the head before anything new is appended.
    await new Promise((resolve) => setTimeout(resolve, 100));
    await store.append(
      'Person-p',
      [
        event('PersonTransferred', { personId: 'p', from: post('a'), to: post('b') }),
        event('PersonProfileUpdated', { personId: 'p', changes: { officePhone: '1' } }),
      ],
      ANY,
    );
    await store.append(
      'Person-p',
      [event('PersonProfileUpdated', { personId: 'p', changes: { officePhone: '2' } })],
      ANY,
    );
    await store.append('OrgTree-t', [node('a-office', 'a')], ANY);
    let timer: NodeJS.Timeout | undefined;
    const items = await Promise.race([
      first,
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('no live event')), 5_000))),
    ]).finally(() => clearTimeout(timer));
    // The transfer out of `a` is seen (it concerns a); the later changes, made in b, are not; the new office is.
    expect(items.map((i) => i.envelope.type)).toEqual(['PersonTransferred', 'OrgNodeCreated']);
    expect(items[0].scope.orgNodeIds).toEqual(expect.arrayContaining(['a', 'b']));
    await underA.close();
  });

  it('a consumer that falls behind carries on from its own fold, without a gap or a duplicate', async () => {
    hub = new LiveFeedHub(store, { maxBuffered: 3, retryMs: 50 });
    hub.start();
    const feed = hub.open('end', everything);
    const iterator = feed[Symbol.asyncIterator]();
    const firstItem = iterator.next();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const phones = Array.from({ length: 20 }, (_, i) => String(i));
    for (const officePhone of phones)
      await store.append('Person-p', [event('PersonProfileUpdated', { personId: 'p', changes: { officePhone } })], ANY);
    const seen: string[] = [];
    const first = await firstItem;
    seen.push(String(phoneOf(first.value as FeedItem)));
    // Nothing read for a while: the hub's buffer of 3 overflows and the feed is detached.
    await new Promise((resolve) => setTimeout(resolve, 300));
    while (seen.length < phones.length) {
      const next = await iterator.next();
      seen.push(String(phoneOf(next.value as FeedItem)));
    }
    expect(seen).toEqual(phones);
    await feed.close();
  });

  it('resumes from the snapshot it saved (a restart folds only what came after), and ignores one of another store', async () => {
    let saved: ScopeSnapshot | null = null;
    const snapshots: ScopeSnapshots = {
      load: async () => saved,
      save: async (snapshot) => {
        saved = JSON.parse(JSON.stringify(snapshot)) as ScopeSnapshot;
      },
    };
    const first = new LiveFeedHub(store, { maxBuffered: 100, retryMs: 50 }, undefined, snapshots);
    first.start();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await first.stop();
    expect(saved).not.toBeNull();
    const folded = await store.headPosition();
    expect(saved!.position).toBe(folded);

    // Restarted on the same store: the snapshot's person p is known in `a` without refolding the start.
    const reads: Array<string | undefined> = [];
    const counting = Object.create(store) as SqliteEventStore;
    counting.subscribeToAll = (options) => {
      reads.push(String(options?.from));
      return store.subscribeToAll(options);
    };
    hub = new LiveFeedHub(counting, { maxBuffered: 100, retryMs: 50 }, undefined, snapshots);
    hub.start();
    const underA = hub.open('end', { ...everything, orgSubtrees: ['a'] });
    const next = take(underA, 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await store.append(
      'Person-p',
      [event('PersonTransferred', { personId: 'p', from: post('a'), to: post('b') })],
      ANY,
    );
    const [moved] = await next;
    expect(moved.envelope.type).toBe('PersonTransferred');
    expect(reads).toEqual([String(folded)]);
    await underA.close();

    // A snapshot naming an event this store does not have is ignored: the fold starts over.
    saved = { ...saved!, eventId: 'another-store' };
    const other = new LiveFeedHub(counting, { maxBuffered: 100, retryMs: 50 }, undefined, snapshots);
    other.start();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await other.stop();
    expect(reads.at(-1)).toBe('start');
  });

  it('a feed from a past position is folded on its own and starts right after it', async () => {
    hub = new LiveFeedHub(store);
    const head = await store.headPosition();
    await store.append('OrgTree-t', [node('c', 'root')], ANY);
    const feed = hub.open(head!, everything);
    const [item] = await take(feed, 1);
    expect((item.envelope.data as { orgNodeId: string }).orgNodeId).toBe('c');
    await feed.close();
  });
});
