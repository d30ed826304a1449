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
import { LiveFeedHub, type ScopeSnapshots } from '../../src/application/published-events/live-feed-hub';
import type { Feed, FeedItem } from '../../src/application/published-events/published-feed';
import type { EventFilter } from '../../src/application/published-events/event-filter';
import { SqliteEventStore } from '../../src/infrastructure/event-store/sqlite/sqlite-event-store';
import { ScopeIndexFile } from '../../src/infrastructure/live-stream/scope-index-file';
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

/** The store, with where each subscription to `$all` starts noted (to see what a hub folds again). */
function countingSubscriptions(store: SqliteEventStore): { counting: SqliteEventStore; reads: string[] } {
  const reads: string[] = [];
  const counting = Object.create(store) as SqliteEventStore;
  counting.subscribeToAll = (options) => {
    reads.push(String(options?.from));
    return store.subscribeToAll(options);
  };
  return { counting, reads };
}

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

  it('resumes from the fold it saved (a restart folds only what came after), and discards one of another store', async () => {
    const file = join(dir.path, 'scopes.sqlite');
    const first = new LiveFeedHub(store, { maxBuffered: 100, retryMs: 50 }, undefined, new ScopeIndexFile(file));
    first.start();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await first.stop();
    const folded = await store.headPosition();
    const saved = await new ScopeIndexFile(file).load();
    expect(saved !== 'held' && saved.at?.position).toBe(folded);
    if (saved !== 'held') await (saved.index as ScopeIndexFile).close();

    // Restarted on the same store: person p is known in `a` from the saved fold, without refolding the start.
    const { counting, reads } = countingSubscriptions(store);
    hub = new LiveFeedHub(counting, { maxBuffered: 100, retryMs: 50 }, undefined, new ScopeIndexFile(file));
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
    await hub.stop();

    // Another store in place of this one: the saved fold names an event it does not have, so the fold starts over.
    const otherDir = makeTempDir();
    const otherStore = new SqliteEventStore({ file: join(otherDir.path, 'events.sqlite'), pollIntervalMs: 20 });
    await otherStore.append('OrgTree-t', [node('root', null), node('x', 'root'), node('y', 'root')], ANY);
    const { counting: countingOther, reads: otherReads } = countingSubscriptions(otherStore);
    hub = new LiveFeedHub(countingOther, { maxBuffered: 100, retryMs: 50 }, undefined, new ScopeIndexFile(file));
    hub.start();
    await new Promise((resolve) => setTimeout(resolve, 150));
    await hub.stop();
    expect(otherReads).toEqual(['start']);
    // What it folded is this store's alone: p (of the first store) is gone from the index.
    const reloaded = new ScopeIndexFile(file);
    const again = await reloaded.load();
    expect(again !== 'held' && again.index.get('personNodes', 'p')).toBeUndefined();
    expect(again !== 'held' && again.index.get('parentOf', 'x')).toBe('root');
    await reloaded.close();
    await otherStore.close();
    otherDir.remove();
    hub = new LiveFeedHub(store);
  });

  it('scopes every event as a fold in memory does, whether it saves every two events or never', async () => {
    const history: Array<[string, EventToAppend[]]> = [
      ['OrgTree-t', [node('a-1', 'a'), node('b-1', 'b')]],
      ['Person-q', [event('PersonRegistered', { personId: 'q', primaryPost: post('a-1') })]],
      ['Account-q', [event('AccountOpened', { accountId: 'acc-q', personId: 'q', type: 'PERSONAL' })]],
      ['Person-q', [event('SecondmentStarted', { personId: 'q', post: post('b-1') })]],
      ['OrgTree-t', [event('OrgNodeMoved', { orgNodeId: 'b-1', fromParentId: 'b', toParentId: 'a' })]],
      ['Account-q', [event('AccountFrozen', { accountId: 'acc-q', reason: 'x', at: '2026-12-01T00:00:00.000Z' })]],
      ['Person-q', [event('SecondmentEnded', { personId: 'q', orgNodeId: 'b-1', until: null })]],
      ['Person-q', [event('PersonTransferred', { personId: 'q', from: post('a-1'), to: post('b') })]],
      ['Person-q', [event('PersonProfileUpdated', { personId: 'q', changes: { officePhone: '3' } })]],
    ];
    const scopesOf = async (snapshots: ScopeSnapshots | null, snapshotEvery: number) => {
      const scoped = new LiveFeedHub(store, { maxBuffered: 100, retryMs: 50, snapshotEvery }, undefined, snapshots);
      const feed = scoped.open('end', everything);
      return { scoped, feed, items: take(feed, history.length) };
    };
    const inMemory = await scopesOf(null, 2);
    const saving = await scopesOf(new ScopeIndexFile(join(dir.path, 'every-two.sqlite')), 2);
    await new Promise((resolve) => setTimeout(resolve, 150));
    for (const [stream, events] of history) await store.append(stream, events, ANY);
    const [expected, actual] = await Promise.all([inMemory.items, saving.items]);
    const summary = (items: FeedItem[]) =>
      items.map((i) => [i.envelope.type, [...i.scope.orgNodeIds].sort(), [...i.scope.within].sort()]);
    expect(summary(actual)).toEqual(summary(expected));
    // The moved unit's events are seen under its old parent and its new one.
    expect(summary(expected)[4][2]).toEqual(expect.arrayContaining(['a', 'b', 'b-1', 'root']));
    for (const run of [inMemory, saving]) {
      await run.feed.close();
      await run.scoped.stop();
    }
    hub = new LiveFeedHub(store);
  });

  it('catches up and saves for `cli rebuild`, so that the next start folds nothing before the head', async () => {
    const file = join(dir.path, 'scopes.sqlite');
    const builder = new LiveFeedHub(store, undefined, undefined, new ScopeIndexFile(file));
    // While a service keeps the fold, the rebuild leaves it to the service.
    const service = new ScopeIndexFile(file);
    expect(await service.load()).toEqual({ index: service, at: null });
    expect(await builder.catchUp({ startOver: true })).toBe('held');
    await service.close();
    expect(await builder.catchUp({ startOver: true, pageSize: 1 })).toBe(4);
    await builder.stop();
    const head = await store.headPosition();
    const { counting, reads } = countingSubscriptions(store);
    hub = new LiveFeedHub(counting, { maxBuffered: 100, retryMs: 50 }, undefined, new ScopeIndexFile(file));
    const underB = hub.open('end', { ...everything, orgSubtrees: ['a'] });
    const next = take(underB, 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await store.append(
      'Person-p',
      [event('PersonProfileUpdated', { personId: 'p', changes: { officePhone: '9' } })],
      ANY,
    );
    const [changed] = await next;
    expect(changed.scope.orgNodeIds).toEqual(['a']);
    expect(reads).toEqual([String(head)]);
    await underB.close();
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
