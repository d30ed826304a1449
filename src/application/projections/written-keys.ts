/**
 * The documents a fresh generation has written: "no" is certain (the document cannot exist, so
 * it is not looked for), "maybe" costs one look-up. Kept as the keys themselves while they are
 * few (an as-of view), then as a Bloom filter of fixed size. A set alone grew with the store and,
 * past a bound, had to be given up, after which a province rebuild looked up every document
 * again (issue 20).
 */
const SET_LIMIT = 200_000;
const BITS = 2 ** 27; // 16 MiB: about 1 % false "maybe" at 10 million documents
const MASK = BITS - 1;
const PROBES = 4;

export class WrittenKeys {
  private keys: Set<string> | null = new Set();
  private bits: Uint32Array | null = null;

  add(key: string): void {
    if (this.keys) {
      this.keys.add(key);
      if (this.keys.size <= SET_LIMIT) return;
      this.bits = new Uint32Array(BITS / 32);
      for (const known of this.keys) this.mark(known);
      this.keys = null;
      return;
    }
    this.mark(key);
  }

  /** False when the key was certainly never added. */
  mayHold(key: string): boolean {
    if (this.keys) return this.keys.has(key);
    const [h1, h2] = hashes(key);
    for (let i = 0; i < PROBES; i++) {
      const bit = (h1 + Math.imul(i, h2)) & MASK;
      if ((this.bits![bit >>> 5] & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }

  private mark(key: string): void {
    const [h1, h2] = hashes(key);
    for (let i = 0; i < PROBES; i++) {
      const bit = (h1 + Math.imul(i, h2)) & MASK;
      this.bits![bit >>> 5] |= 1 << (bit & 31);
    }
  }
}

/** Two independent 32-bit hashes in one pass (FNV-1a, and a multiplicative one with another constant). */
function hashes(key: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  // An odd step visits distinct bits for every probe.
  return [a >>> 0, (b | 1) >>> 0];
}
