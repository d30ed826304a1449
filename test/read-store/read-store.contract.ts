/**
 * The read-store port's contract, run against every adapter (sqlite-read-store.int-spec.ts,
 * mongo-read-store.int-spec.ts). Each test uses collections of its own random prefix, so the suite
 * also runs against a shared MongoDB holding other data.
 */
import { randomBytes } from 'node:crypto';
import { positionOfSequence } from '../../src/application/event-store/position';
import {
  type Doc,
  FencedWriteError,
  InvalidFilterError,
  type ReadStore,
} from '../../src/application/ports/read-store.port';

export interface ReadStoreSubject {
  readonly store: ReadStore;
  dispose(): Promise<void>;
}

const at = positionOfSequence;

function person(id: string, name: string, extra: Record<string, unknown> = {}): Doc {
  return { id, name, ...extra } as Doc;
}

export function describeReadStoreContract(adapter: string, open: () => Promise<ReadStoreSubject>): void {
  describe(`ReadStore contract: ${adapter}`, () => {
    let subject: ReadStoreSubject;
    let store: ReadStore;
    let c: string;
    const projection = () => `p${c}`;

    beforeEach(async () => {
      subject = await open();
      store = subject.store;
      c = `t${randomBytes(5).toString('hex')}`;
      await store.ensureCollections([
        {
          name: c,
          indexes: [{ fields: ['name'] }, { fields: ['unit', 'order'] }, { fields: ['keys'], multikey: true }],
        },
      ]);
      await store.saveGeneration({
        projection: projection(),
        generation: 1,
        version: 1,
        checkpoint: null,
        state: 'BUILDING',
      });
    });
    afterEach(async () => {
      await store.dropCollections([c]);
      await subject.dispose();
    });

    const write = (docs: Doc[], position: number) =>
      store.commit(
        projection(),
        1,
        docs.map((doc) => ({ collection: c, id: doc.id, doc, position: at(position) })),
        at(position),
      );

    it('writes documents with their checkpoint, and reads them back by id', async () => {
      await write([person('a', '王小明'), person('b', '李华')], 1);
      expect(await store.get(c, 'a')).toEqual({ id: 'a', name: '王小明' });
      expect(await store.get(c, 'zz')).toBeNull();
      expect((await store.getMany(c, ['b', 'a', 'zz'])).map((d) => d.id).sort()).toEqual(['a', 'b']);
      const [generation] = await store.generations(projection());
      expect(generation.checkpoint).toBe(at(1));
    });

    it('a write at a position not after the stored one changes nothing (exactly once)', async () => {
      await write([person('a', 'v5')], 5);
      await write([person('a', 'v3')], 3);
      await write([person('a', 'v5-again')], 5);
      expect((await store.get(c, 'a'))?.name).toBe('v5');
      await write([person('a', 'v6')], 6);
      expect((await store.get(c, 'a'))?.name).toBe('v6');
    });

    it('a fenced commit of an earlier term than one that wrote writes nothing and says so', async () => {
      const lease = `projections-${c}`;
      const fenced = (name: string, position: number, term: number) =>
        store.commit(
          projection(),
          1,
          [{ collection: c, id: 'a', doc: person('a', name), position: at(position) }],
          at(position),
          { lease, term },
        );
      await fenced('term 1', 1, 1);
      await fenced('term 2', 2, 2);
      await expect(fenced('deposed', 3, 1)).rejects.toBeInstanceOf(FencedWriteError);
      expect((await store.get(c, 'a'))?.name).toBe('term 2');
      expect((await store.generations(projection()))[0].checkpoint).toBe(at(2));
      await fenced('term 2 again', 4, 2);
      expect((await store.get(c, 'a'))?.name).toBe('term 2 again');
      // Another lease's terms are its own.
      await store.commit(projection(), 1, [], at(5), { lease: `${lease}-other`, term: 1 });
      expect((await store.generations(projection()))[0].checkpoint).toBe(at(5));
    });

    it('deletes a document, and a stale write does not bring it back', async () => {
      await write([person('a', 'x', { keys: ['k1'] })], 1);
      await store.commit(projection(), 1, [{ collection: c, id: 'a', doc: null, position: at(2) }], at(2));
      expect(await store.get(c, 'a')).toBeNull();
      expect(await store.count(c, { keys: 'k1' })).toBe(0);
      await write([person('a', 'stale')], 2);
      expect(await store.get(c, 'a')).toBeNull();
      expect(await store.find(c)).toEqual([]);
    });

    it('finds by equality, $in, $prefix, ranges and $ne, sorted, with skip and limit', async () => {
      await write(
        [
          person('1', '王小明', { unit: 'u1', order: 2, path: '/r/u1/', active: true }),
          person('2', '王小红', { unit: 'u1', order: 1, path: '/r/u1/x/', active: false }),
          person('3', '李华', { unit: 'u2', order: 1, path: '/r/u2/', active: true }),
          person('4', '赵四', { unit: null, order: 9, path: '/r/u10/', active: true }),
        ],
        1,
      );
      const ids = (docs: Doc[]) => docs.map((d) => d.id);
      expect(ids(await store.find(c, { unit: 'u1' }, { sort: [['order', 1]] }))).toEqual(['2', '1']);
      expect(ids(await store.find(c, { unit: { $in: ['u1', 'u2'] } }, { sort: [['order', -1]] }))).toEqual([
        '1',
        '2',
        '3',
      ]);
      expect(ids(await store.find(c, { path: { $prefix: '/r/u1/' } }))).toEqual(['1', '2']);
      expect(ids(await store.find(c, { order: { $gte: 2, $lt: 9 } }))).toEqual(['1']);
      expect(ids(await store.find(c, { active: true }))).toEqual(['1', '3', '4']);
      expect(ids(await store.find(c, { unit: null }))).toEqual(['4']);
      expect(ids(await store.find(c, { unit: { $ne: 'u1' } }))).toEqual(['3', '4']);
      expect(ids(await store.find(c, {}, { sort: [['order', 1]], skip: 1, limit: 2 }))).toEqual(['3', '1']);
      expect(await store.count(c, { unit: 'u1' })).toBe(2);
      expect(await store.count(c)).toBe(4);
      // A hint names the index to read from: the answer is the same.
      const scoped = { unit: { $in: ['u1', 'u2'] }, active: true };
      const plain = await store.find(c, scoped, { sort: [['order', -1]] });
      expect(ids(plain)).toEqual(['1', '3']);
      expect(await store.find(c, scoped, { sort: [['order', -1]], hint: ['unit', 'order'] })).toEqual(plain);
    });

    it('reads keyset pages after an id, in id order, the same pages as skip gives', async () => {
      await write(
        ['p05', 'p01', 'p10', 'p03', 'p07', 'p02'].map((id, i) =>
          person(id, `人员${i}`, { unit: i % 2 ? 'u1' : 'u2' }),
        ),
        1,
      );
      const ids = (docs: Doc[]) => docs.map((d) => d.id);
      const byKeyset: string[][] = [];
      for (let after: string | undefined; ;) {
        const page = await store.find(c, {}, { limit: 4, ...(after === undefined ? {} : { after }) });
        if (page.length > 0) byKeyset.push(ids(page));
        if (page.length < 4) break;
        after = page[page.length - 1].id;
      }
      expect(byKeyset).toEqual([ids(await store.find(c, {}, { limit: 4 })), ids(await store.find(c, {}, { skip: 4 }))]);
      expect(byKeyset.flat()).toEqual(['p01', 'p02', 'p03', 'p05', 'p07', 'p10']);
      expect(ids(await store.find(c, { unit: 'u2' }, { after: 'p05' }))).toEqual(['p07', 'p10']);
      await expect(store.find(c, {}, { after: 'p01', sort: [['order', 1]] })).rejects.toBeInstanceOf(
        InvalidFilterError,
      );
    });

    it('a prefix holding regex or LIKE metacharacters matches literally', async () => {
      await write([person('1', 'a.b%_*'), person('2', 'aXb%_*'), person('3', 'a.b%_*c')], 1);
      expect((await store.find(c, { name: { $prefix: 'a.b%_*' } })).map((d) => d.id)).toEqual(['1', '3']);
    });

    it('a multikey field matches when any element does, and follows updates', async () => {
      await write([person('1', 'x', { keys: ['王', '小明', '王小明'] }), person('2', 'y', { keys: ['小明'] })], 1);
      expect((await store.find(c, { keys: '小明' })).map((d) => d.id)).toEqual(['1', '2']);
      expect((await store.find(c, { keys: { $prefix: '王小' } })).map((d) => d.id)).toEqual(['1']);
      await write([person('1', 'x', { keys: ['张'] })], 2);
      expect((await store.find(c, { keys: '小明' })).map((d) => d.id)).toEqual(['2']);
      expect(await store.count(c, { keys: '张' })).toBe(1);
    });

    it('an unknown collection reads as empty', async () => {
      expect(await store.get(`${c}_none`, 'a')).toBeNull();
      expect(await store.find(`${c}_none`, { name: 'x' })).toEqual([]);
      expect(await store.count(`${c}_none`)).toBe(0);
    });

    it('refuses a malformed filter instead of guessing', async () => {
      await expect(store.find(c, { name: { $where: '1' } as never })).rejects.toBeInstanceOf(InvalidFilterError);
      await expect(store.find(c, { 'bad field': 'x' })).rejects.toBeInstanceOf(InvalidFilterError);
    });

    it('a generation created with its indexes deferred answers the same queries once promoted', async () => {
      const g = `${c}d`;
      const name = `${projection()}_g7_${g}`;
      await store.ensureCollections([{ name, indexes: [{ fields: ['name'] }, { fields: ['keys'], multikey: true }] }], {
        deferIndexes: true,
      });
      await store.saveGeneration({
        projection: projection(),
        generation: 7,
        version: 1,
        checkpoint: null,
        state: 'BUILDING',
      });
      const docs = [person('a', '王', { keys: ['k1', 'k2'] }), person('b', '李', { keys: ['k2'] })];
      await store.commit(
        projection(),
        7,
        docs.map((doc) => ({ collection: name, id: doc.id, doc, position: at(1) })),
        at(1),
      );
      // A document rewritten while its side rows are there: the old ones go.
      const rewritten = person('a', '王', { keys: ['k3'] });
      await store.commit(projection(), 7, [{ collection: name, id: 'a', doc: rewritten, position: at(2) }], at(2));
      const ask = async () => ({
        byName: (await store.find(name, { name: '李' })).map((d) => d.id),
        k2: (await store.find(name, { keys: 'k2' })).map((d) => d.id),
        k3: (await store.find(name, { keys: 'k3' })).map((d) => d.id),
      });
      const before = await ask();
      await store.promote(projection(), 7);
      expect(await ask()).toEqual(before);
      expect(before).toEqual({ byName: ['b'], k2: ['b'], k3: ['a'] });
      await store.dropCollections([name]);
    });

    it('keeps generations and promotes one atomically', async () => {
      await store.saveGeneration({
        projection: projection(),
        generation: 2,
        version: 2,
        checkpoint: null,
        state: 'BUILDING',
      });
      await store.promote(projection(), 1);
      await store.promote(projection(), 2);
      const states = (await store.generations(projection())).map((g) => [g.generation, g.state]);
      expect(states).toEqual([
        [1, 'RETIRED'],
        [2, 'ACTIVE'],
      ]);
      await store.deleteGeneration(projection(), 1);
      await store.deleteGeneration(projection(), 2);
      expect(await store.generations(projection())).toEqual([]);
    });

    it('reports its health', async () => {
      expect((await store.health()).up).toBe(true);
    });
  });
}
