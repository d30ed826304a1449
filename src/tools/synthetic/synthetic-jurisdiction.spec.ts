import { syntheticEventId, syntheticHistory, type SyntheticTotals } from './synthetic-jurisdiction';

const options = {
  size: 'district' as const,
  seed: 1,
  jurisdiction: 'bench',
  people: 200,
  groups: 10,
  timeliness: () => ({ lagWorkingDays: 0, deadlineWorkingDays: 30, onTime: true }),
  isWorkingDay: () => true,
};

function eventIds(): string[] {
  const totals: SyntheticTotals = { nodes: 0, people: 0, accounts: 0, groups: 0, apps: 0, events: 0 };
  return [...syntheticHistory(options, totals)].flatMap((chunk) =>
    chunk.flatMap((a) => a.events.map((e) => e.eventId)),
  );
}

describe('the synthetic history’s event ids', () => {
  it('are UUID-shaped, distinct, and the same on a second run', () => {
    const ids = eventIds();
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(eventIds()).toEqual(ids);
  });

  it.each([
    [0, 1],
    [65_535, 65_536],
    [14_581_425, 14_581_426],
    [2 ** 40, 2 ** 44],
  ])('sort as text in the order they are drawn (%i before %i), so the event-id index grows at its end', (a, b) => {
    expect(syntheticEventId('5eed0000', a) < syntheticEventId('5eed0000', b)).toBe(true);
  });
});
