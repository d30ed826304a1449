import type { Doc } from '../../application/ports/read-store.port';
import type { Change, ProjectionView } from '../../application/projections/projection';
import { leafOf } from '../../application/integrity/log-entry';
import { treeHead } from '../../application/integrity/merkle-tree';
import { MerkleLogReader } from '../../application/integrity/merkle-log';
import type { ReadModels } from '../../application/projections/read-models';
import { integrityLogProjection } from './integrity-log.projection';

type Stored = Parameters<typeof integrityLogProjection.changesOfStored>[0];

const event = (n: number, type = 'SampleRecorded'): Stored => ({
  streamId: `Sample-${n % 3}`,
  revision: BigInt(n),
  position: `${String(n + 1).padStart(16, '0')}-${String(n + 1).padStart(16, '0')}` as Stored['position'],
  eventId: `e-${n}`,
  type,
  data: { n },
  metadata: { schemaVersion: 1 },
  created: new Date(0),
});

/** Documents by collection and id, changed as the engine would. */
function memory() {
  const docs = new Map<string, Doc>();
  const view: ProjectionView = {
    get: async (collection, id) => docs.get(`${collection}/${id}`) ?? null,
    find: async () => [],
  };
  const apply = (changes: Change[]) => {
    for (const c of changes) {
      const next = c.apply(docs.get(`${c.collection}/${c.id}`) ?? null);
      if (next) docs.set(`${c.collection}/${c.id}`, { ...next, id: c.id });
    }
  };
  const models = {
    get: async (_p: string, collection: string, id: string) => docs.get(`${collection}/${id}`) ?? null,
    getMany: async (_p: string, collection: string, ids: readonly string[]) =>
      ids.map((id) => docs.get(`${collection}/${id}`)).filter((d): d is Doc => d !== undefined),
  } as unknown as ReadModels;
  return { docs, view, apply, reader: new MerkleLogReader(models) };
}

describe('integrity log projection (issue 22)', () => {
  it('makes event n leaf n, keeps every complete subtree, and a head whose root is the tree’s', async () => {
    const { view, apply, reader } = memory();
    const events = Array.from({ length: 11 }, (_, n) => event(n));
    for (const e of events) apply(await integrityLogProjection.changesOfStored(e, view));
    const head = await reader.head();
    expect(head.size).toBe(11);
    expect(head.rootHash).toEqual(treeHead(events.map(leafOf)));
    expect(await reader.rootAt(6)).toEqual(treeHead(events.slice(0, 6).map(leafOf)));
    expect((await reader.leaves(4, 1))[0]).toMatchObject({ eventId: 'e-4', streamId: 'Sample-1', revision: '4' });
  });

  it('does not count checkpoints as content, and passes over an event a head written later already covers', async () => {
    const { view, apply, reader } = memory();
    apply(await integrityLogProjection.changesOfStored(event(0), view));
    apply(await integrityLogProjection.changesOfStored(event(1, 'CheckpointSigned'), view));
    expect(await reader.head()).toMatchObject({ size: 2, lastContentIndex: 0 });
    apply(await integrityLogProjection.changesOfStored(event(2), view));
    // A batch replayed after a crash left the head written (a store without transactions): event 1 again changes nothing.
    expect(await integrityLogProjection.changesOfStored(event(1, 'CheckpointSigned'), view)).toEqual([]);
    expect(await integrityLogProjection.changesOfStored(event(2), view)).toEqual([]);
    expect(await reader.head()).toMatchObject({ size: 3, lastContentIndex: 2 });
  });
});
