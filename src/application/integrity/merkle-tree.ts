/**
 * RFC 9162 (Certificate Transparency 2.0) Merkle tree hashing over a list of leaves (issue 22,
 * first part): the tree head, an inclusion proof for one leaf, and a consistency proof that a tree
 * of size n extends one of size m. Built from the definitions of RFC 9162 §2.1 (MTH, PATH, PROOF,
 * SUBPROOF: split at the largest power of two smaller than n), recursively; the verifiers follow
 * the iterative algorithms of §2.1.3.2 and §2.1.4.2, as an auditor's offline checker does
 * (examples/verify-proof.js implements them again, without dependencies, and the tests hold the
 * two to each other).
 */
import { createHash } from 'node:crypto';

export type Hash = Buffer;

const sha256 = (...parts: Buffer[]): Hash => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

/** The hash of a leaf: SHA-256(0x00 || entry). */
export function leafHash(entry: Buffer): Hash {
  return sha256(Buffer.from([0]), entry);
}

/** The hash of an interior node: SHA-256(0x01 || left || right). */
export function nodeHash(left: Hash, right: Hash): Hash {
  return sha256(Buffer.from([1]), left, right);
}

/** The largest power of two smaller than n (n ≥ 2). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[n]) over leaf hashes: the root of the tree of those leaves (the empty tree's: SHA-256 of nothing). */
export function treeHead(leaves: readonly Hash[]): Hash {
  if (leaves.length === 0) return sha256();
  if (leaves.length === 1) return leaves[0];
  const k = split(leaves.length);
  return nodeHash(treeHead(leaves.slice(0, k)), treeHead(leaves.slice(k)));
}

/** PATH(m, D[n]): the inclusion proof of leaf `index` in the tree of `leaves`. */
export function inclusionProof(index: number, leaves: readonly Hash[]): Hash[] {
  if (index < 0 || index >= leaves.length) throw new RangeError(`leaf ${index} is not in a tree of ${leaves.length}`);
  if (leaves.length === 1) return [];
  const k = split(leaves.length);
  return index < k
    ? [...inclusionProof(index, leaves.slice(0, k)), treeHead(leaves.slice(k))]
    : [...inclusionProof(index - k, leaves.slice(k)), treeHead(leaves.slice(0, k))];
}

/** PROOF(m, D[n]): that the tree of the first `m` leaves is a prefix of the tree of all of them. */
export function consistencyProof(m: number, leaves: readonly Hash[]): Hash[] {
  if (m < 1 || m > leaves.length) throw new RangeError(`no consistency proof from ${m} to ${leaves.length}`);
  return subproof(m, leaves, true);
}

function subproof(m: number, leaves: readonly Hash[], complete: boolean): Hash[] {
  const n = leaves.length;
  if (m === n) return complete ? [] : [treeHead(leaves)];
  const k = split(n);
  return m <= k
    ? [...subproof(m, leaves.slice(0, k), complete), treeHead(leaves.slice(k))]
    : [...subproof(m - k, leaves.slice(k), false), treeHead(leaves.slice(0, k))];
}

/** RFC 9162 §2.1.3.2: whether `proof` puts `leaf` at `index` of a tree of `size` whose head is `root`. */
export function verifyInclusion(index: number, size: number, leaf: Hash, proof: readonly Hash[], root: Hash): boolean {
  if (index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.equals(root);
}

/** RFC 9162 §2.1.4.2: whether `proof` shows the tree of `n` (head `newRoot`) extends the tree of `m` (head `oldRoot`). */
export function verifyConsistency(m: number, n: number, proof: readonly Hash[], oldRoot: Hash, newRoot: Hash): boolean {
  if (m < 1 || m > n) return false;
  if (m === n) return proof.length === 0 && oldRoot.equals(newRoot);
  if (proof.length === 0) return false;
  // A first tree whose size is a power of two is its own first node.
  const path = (m & (m - 1)) === 0 ? [oldRoot, ...proof] : [...proof];
  let fn = m - 1;
  let sn = n - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && fr.equals(oldRoot) && sr.equals(newRoot);
}

/*
 * The log's side (stored nodes): a tree of n leaves is stored as its complete subtrees, node
 * (level, index) covering leaves [index·2^level, (index+1)·2^level). Every hash a proof needs is
 * the head of a range [start, start+size) that RFC 9162's splits produce; such a range is aligned,
 * so it is a run of complete subtrees from the largest down, and its head folds them from the right.
 */

/** A range of leaves whose head a proof needs. */
export interface LeafRange {
  readonly start: number;
  readonly size: number;
}

/** A stored complete subtree. */
export interface NodeAddress {
  readonly level: number;
  readonly index: number;
}

/** The complete subtrees a range is made of, largest first. */
export function piecesOf({ start, size }: LeafRange): NodeAddress[] {
  const pieces: NodeAddress[] = [];
  let at = start;
  let left = size;
  while (left > 0) {
    let level = 0;
    while (2 ** (level + 1) <= left) level += 1;
    pieces.push({ level, index: at / 2 ** level });
    at += 2 ** level;
    left -= 2 ** level;
  }
  return pieces;
}

/** The head of a range from the hashes of its pieces (in the order of `piecesOf`). */
export function headOfPieces(hashes: readonly Hash[]): Hash {
  if (hashes.length === 0) return sha256();
  let head = hashes[hashes.length - 1];
  for (let i = hashes.length - 2; i >= 0; i--) head = nodeHash(hashes[i], head);
  return head;
}

/** The ranges whose heads make PATH(index, D[size]), in the order of the proof. */
export function inclusionRanges(index: number, size: number, start = 0): LeafRange[] {
  if (index < 0 || index >= size) throw new RangeError(`leaf ${index} is not in a tree of ${size}`);
  if (size === 1) return [];
  const k = split(size);
  return index < k
    ? [...inclusionRanges(index, k, start), { start: start + k, size: size - k }]
    : [...inclusionRanges(index - k, size - k, start + k), { start, size: k }];
}

/** The ranges whose heads make PROOF(m, D[n]), in the order of the proof. */
export function consistencyRanges(m: number, n: number): LeafRange[] {
  if (m < 1 || m > n) throw new RangeError(`no consistency proof from ${m} to ${n}`);
  return subproofRanges(m, n, 0, true);
}

function subproofRanges(m: number, n: number, start: number, complete: boolean): LeafRange[] {
  if (m === n) return complete ? [] : [{ start, size: n }];
  const k = split(n);
  return m <= k
    ? [...subproofRanges(m, k, start, complete), { start: start + k, size: n - k }]
    : [...subproofRanges(m - k, n - k, start + k, false), { start, size: k }];
}

/**
 * The right edge of a tree being appended to: `frontier[level]` is the head of the complete
 * subtree at that level when bit `level` of the size is set (null otherwise).
 */
export type Frontier = ReadonlyArray<Hash | null>;

/** Appends leaf number `size`: the next frontier and the complete subtrees (level ≥ 1) it finishes. */
export function appendLeaf(
  frontier: Frontier,
  size: number,
  leaf: Hash,
): { frontier: Frontier; completed: Array<NodeAddress & { hash: Hash }> } {
  const next = [...frontier];
  const completed: Array<NodeAddress & { hash: Hash }> = [];
  let hash = leaf;
  let level = 0;
  let count = size;
  while (count % 2 === 1) {
    hash = nodeHash(next[level]!, hash);
    next[level] = null;
    level += 1;
    count = Math.floor(count / 2);
    completed.push({ level, index: Math.floor(size / 2 ** level), hash });
  }
  next[level] = hash;
  return { frontier: next, completed };
}

/** MTH of the tree whose right edge is `frontier`. */
export function headOfFrontier(frontier: Frontier): Hash {
  const set = frontier.filter((hash): hash is Hash => hash !== null && hash !== undefined).reverse();
  return headOfPieces(set);
}
