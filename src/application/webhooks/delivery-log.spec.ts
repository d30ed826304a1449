import type { Position } from '../event-store/position';
import { type DeliveryState, evolveDelivery, initialDeliveryState, parkedStreams } from './delivery-log';
import { backoffDelay } from './webhook-worker';

const at = (n: number) => `${n.toString(16).padStart(16, '0')}-${n.toString(16).padStart(16, '0')}` as Position;
const failed = (eventId: string, streamId: string, n: number, heldBehind: string | null = null) => ({
  type: 'DeliveryFailed',
  data: {
    subscriptionId: 's',
    eventId,
    eventType: 'PersonProfileUpdated',
    streamId,
    revision: String(n),
    position: at(n),
    orgNodeIds: [],
    attempts: heldBehind ? 0 : 8,
    lastError: 'HTTP 500',
    failedAt: '2026-11-21T00:00:00Z',
    heldBehind,
  },
});
const fold = (events: { type: string; data: object }[]): DeliveryState =>
  events.reduce((state, e) => evolveDelivery(state, e as never), initialDeliveryState());

describe('delivery log (webhook state as events)', () => {
  it('moves the checkpoint only forwards, except by a rewind', () => {
    const state = fold([
      { type: 'DeliveryCheckpointed', data: { position: at(5) } },
      { type: 'DeliveryCheckpointed', data: { position: at(3) } },
    ]);
    expect(state.checkpoint).toBe(at(5));
    expect(
      fold([
        { type: 'DeliveryCheckpointed', data: { position: at(5) } },
        { type: 'DeliveryRewound', data: { from: at(5), to: null } },
      ]).checkpoint,
    ).toBeNull();
  });

  it('parks a stream while it has failed events not being replayed; clearing or rewinding past them unparks it', () => {
    const base = [failed('e1', 'Person-p', 1), failed('e2', 'Person-p', 2, 'e1'), failed('e3', 'Person-q', 3)];
    expect([...parkedStreams(fold(base))].sort()).toEqual(['Person-p', 'Person-q']);
    const replaying = fold([...base, { type: 'FailedDeliveriesReplayed', data: { eventIds: ['e1', 'e2'] } }]);
    expect([...parkedStreams(replaying)]).toEqual(['Person-q']);
    expect([...fold([...base, { type: 'FailedDeliveriesCleared', data: { eventIds: ['e3'] } }]).failed.keys()]).toEqual(
      ['e1', 'e2'],
    );
    expect([...fold([...base, { type: 'DeliveryRewound', data: { from: at(3), to: at(1) } }]).failed.keys()]).toEqual([
      'e1',
    ]);
  });

  it('backs off exponentially with jitter, up to the cap', () => {
    expect(backoffDelay(1, 1000, 300_000, () => 0.5)).toBe(1000);
    expect(backoffDelay(4, 1000, 300_000, () => 0.5)).toBe(8000);
    expect(backoffDelay(30, 1000, 300_000, () => 0.5)).toBe(300_000);
    expect(backoffDelay(1, 1000, 300_000, () => 0)).toBe(800);
    expect(backoffDelay(1, 1000, 300_000, () => 1)).toBe(1200);
  });
});
