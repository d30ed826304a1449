/**
 * An immutable map for the org tree's nodes that is cheap to extend by one entry.
 *
 * `evolve` must return a new state and leave the old one untouched; copying a Map of every node
 * for each event made folding a province's tree stream (tens of thousands of OrgNodeCreated
 * events) quadratic: minutes for one command. Here a new version shares its `base` with the
 * previous one and copies only a small `overlay` of recent changes; when the overlay outgrows
 * about √n entries it is merged into a fresh base. Adding n nodes one by one costs O(n √n).
 * Nodes are never removed (dissolved and merged nodes stay in the tree), so there is no delete.
 */
export class NodeMap<V> implements ReadonlyMap<string, V> {
  private constructor(
    private readonly base: ReadonlyMap<string, V>,
    private readonly overlay: ReadonlyMap<string, V>,
    readonly size: number,
  ) {}

  static empty<V>(): NodeMap<V> {
    return new NodeMap<V>(new Map(), new Map(), 0);
  }

  static of<V>(entries: Iterable<readonly [string, V]>): NodeMap<V> {
    const base = new Map(entries);
    return new NodeMap<V>(base, new Map(), base.size);
  }

  /** A new map with `key` set to `value`; this one is unchanged. */
  with(key: string, value: V): NodeMap<V> {
    const size = this.has(key) ? this.size : this.size + 1;
    if (this.overlay.size >= 32 + Math.sqrt(this.base.size)) {
      const base = new Map(this.base);
      for (const [k, v] of this.overlay) base.set(k, v);
      base.set(key, value);
      return new NodeMap(base, new Map(), size);
    }
    const overlay = new Map(this.overlay);
    overlay.set(key, value);
    return new NodeMap(this.base, overlay, size);
  }

  get(key: string): V | undefined {
    return this.overlay.has(key) ? this.overlay.get(key) : this.base.get(key);
  }

  has(key: string): boolean {
    return this.overlay.has(key) || this.base.has(key);
  }

  /** In insertion order, as a Map: a changed entry keeps its place. */
  *entries(): MapIterator<[string, V]> {
    for (const [key, value] of this.base) yield [key, this.overlay.has(key) ? (this.overlay.get(key) as V) : value];
    for (const [key, value] of this.overlay) if (!this.base.has(key)) yield [key, value];
  }

  *keys(): MapIterator<string> {
    for (const [key] of this.entries()) yield key;
  }

  *values(): MapIterator<V> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }

  forEach(callback: (value: V, key: string, map: ReadonlyMap<string, V>) => void): void {
    for (const [key, value] of this.entries()) callback(value, key, this);
  }
}
