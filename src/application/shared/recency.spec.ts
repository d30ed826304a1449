import { keepRecent } from './recency';

describe('keepRecent', () => {
  it('keeps the most recently noted keys, dropping the oldest tenth once past the limit', () => {
    const map = new Map<number, string>();
    for (let i = 0; i < 100; i++) {
      map.set(i, `v${i}`);
      keepRecent(map, 100);
    }
    expect(map.size).toBe(100);
    // Noted again: 0 is now the most recent.
    map.delete(0);
    map.set(0, 'again');
    map.set(100, 'v100');
    keepRecent(map, 100);
    expect(map.size).toBe(90);
    expect([...map.keys()].slice(0, 3)).toEqual([12, 13, 14]);
    expect(map.get(0)).toBe('again');
    expect(map.has(100)).toBe(true);
  });

  it('stays within its limit over 300,000 notes past it, keeping the newest', () => {
    const map = new Map<string, number>();
    for (let i = 0; i < 400_000; i++) {
      map.set(`s${i}`, i);
      keepRecent(map, 100_000);
    }
    expect(map.size).toBeLessThanOrEqual(100_000);
    expect(map.size).toBeGreaterThan(90_000);
    expect(map.has('s399999')).toBe(true);
    expect(map.has('s0')).toBe(false);
  });
});
