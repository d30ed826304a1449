import { WrittenKeys } from './written-keys';

describe('the keys a fresh generation has written', () => {
  it('answers exactly while they are few', () => {
    const keys = new WrittenKeys();
    for (let i = 0; i < 1000; i++) keys.add(`persons\u0000p-${i}`);
    expect(keys.mayHold('persons\u0000p-999')).toBe(true);
    expect(keys.mayHold('persons\u0000p-1000')).toBe(false);
  });

  it('past the set, never forgets a key and rarely says maybe of one it never saw', () => {
    const keys = new WrittenKeys();
    const added = 500_000;
    for (let i = 0; i < added; i++) keys.add(`entries\u0000e-${i}`);
    let forgotten = 0;
    for (let i = 0; i < added; i++) if (!keys.mayHold(`entries\u0000e-${i}`)) forgotten += 1;
    expect(forgotten).toBe(0);
    let maybe = 0;
    const probes = 100_000;
    for (let i = 0; i < probes; i++) if (keys.mayHold(`entries\u0000other-${i}`)) maybe += 1;
    // 4 probes in 2^27 bits at half a million keys: well under one in a thousand.
    expect(maybe / probes).toBeLessThan(0.001);
  });
});
