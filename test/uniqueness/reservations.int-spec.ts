/**
 * Claims of unique values on the embedded store: a value never claimed is claimed by one append,
 * without a read; every other case goes through the claim's stream as before (the race of two
 * registrations and the stale claim are in test/scenario/qingpu.int-spec.ts).
 */
import { SqliteEventStore } from '../../src/infrastructure/event-store/sqlite/sqlite-event-store';
import { TimeOrderedUuidGenerator } from '../../src/infrastructure/system/uuid-generator';
import { UniqueValueReservations } from '../../src/application/uniqueness/unique-value-reservations';
import type { EnvelopeMetadata } from '../../src/application/event-store/event-envelope';

const envelope = {
  schemaVersion: 1,
  recordedAt: '2026-12-02T08:00:00.000Z',
  effectiveAt: '2026-12-02T08:00:00.000Z',
  actor: { accountId: 'acc-admin', role: 'SYSTEM_ADMIN' },
  correlationId: 'c-1',
  causationId: null,
  jurisdiction: 'qingpu',
} as unknown as EnvelopeMetadata;

describe('claiming a unique value', () => {
  let store: SqliteEventStore;
  let reservations: UniqueValueReservations;
  const stream = UniqueValueReservations.streamOf('qingpu', 'Mobile', '13900000001');
  const claims = async () => (await store.readStream(stream)).map((e) => [e.type, e.data.holderId]);

  beforeEach(() => {
    store = new SqliteEventStore({ file: ':memory:' });
    // The holders hold what they claimed; the clock is the claims' own moment (every claim recent).
    reservations = new UniqueValueReservations(store, new TimeOrderedUuidGenerator(), async () => true, {
      now: () => new Date('2026-12-02T08:00:01.000Z'),
    });
  });
  afterEach(() => store.close());

  it('claims a value never claimed with one append and no read', async () => {
    const reads = jest.spyOn(store, 'readStream');
    await reservations.reserve('Mobile', '13900000001', 'p1', envelope);
    expect(reads).not.toHaveBeenCalled();
    reads.mockRestore();
    expect(await claims()).toEqual([['UniqueValueReserved', 'p1']]);
  });

  it("refuses a value another holds and writes nothing; the holder's claim again is a no-op", async () => {
    await reservations.reserve('Mobile', '13900000001', 'p1', envelope);
    await expect(reservations.reserve('Mobile', '13900000001', 'p2', envelope)).rejects.toMatchObject({
      code: 'MOBILE_ALREADY_IN_USE',
    });
    await reservations.reserve('Mobile', '13900000001', 'p1', envelope);
    expect(await claims()).toEqual([['UniqueValueReserved', 'p1']]);
  });

  it('claims a value given up, after its release', async () => {
    await reservations.reserve('Mobile', '13900000001', 'p1', envelope);
    await reservations.release('Mobile', '13900000001', 'p1', envelope);
    await reservations.reserve('Mobile', '13900000001', 'p2', envelope);
    expect(await claims()).toEqual([
      ['UniqueValueReserved', 'p1'],
      ['UniqueValueReleased', 'p1'],
      ['UniqueValueReserved', 'p2'],
    ]);
  });
});
