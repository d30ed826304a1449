import { TimeOrderedUuidGenerator } from './uuid-generator';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('time-ordered UUIDs (RFC 9562 v7)', () => {
  it('carry the millisecond they were drawn in, with the version and variant bits', () => {
    const at = new Date('2026-12-03T08:00:00.123Z');
    const id = new TimeOrderedUuidGenerator({ now: () => at }).next();

    expect(id).toMatch(V7);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at.getTime());
  });

  it('ascend as text and stay distinct, within one millisecond and when the clock steps back', () => {
    let now = Date.parse('2026-12-03T08:00:00.000Z');
    const ids = new TimeOrderedUuidGenerator({ now: () => new Date(now) });
    const drawn: string[] = [];
    for (let i = 0; i < 10_000; i++) drawn.push(ids.next()); // far more than one millisecond holds
    now -= 5_000; // the system clock set back
    for (let i = 0; i < 100; i++) drawn.push(ids.next());
    now += 60_000;
    drawn.push(ids.next());

    for (const id of drawn) expect(id).toMatch(V7);
    expect(new Set(drawn).size).toBe(drawn.length);
    expect([...drawn].sort()).toEqual(drawn);
  });
});
