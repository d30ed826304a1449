import { NodeMap } from './node-map';

describe('the map of the tree’s nodes', () => {
  it('leaves a version unchanged when a later one sets an entry', () => {
    const before = NodeMap.of([
      ['a', 1],
      ['b', 2],
    ]);
    const after = before.with('a', 10).with('c', 3);

    expect([...before]).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expect(before.size).toBe(2);
    expect(before.has('c')).toBe(false);
    expect(after.get('a')).toBe(10);
    expect(after.size).toBe(3);
  });

  it('iterates in insertion order, as a Map does: a changed entry keeps its place', () => {
    let map = NodeMap.empty<number>();
    for (let i = 0; i < 1000; i++) map = map.with(`n${i}`, i);
    map = map.with('n0', -1);
    const native = new Map<string, number>();
    for (let i = 0; i < 1000; i++) native.set(`n${i}`, i);
    native.set('n0', -1);

    expect([...map.keys()]).toEqual([...native.keys()]);
    expect([...map.values()]).toEqual([...native.values()]);
    const seen: string[] = [];
    map.forEach((value, key) => seen.push(`${key}=${value}`));
    expect(seen.slice(0, 2)).toEqual(['n0=-1', 'n1=1']);
  });
});
