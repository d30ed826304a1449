import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from '../../../test/support/temp-dir';
import {
  appendLeaf,
  consistencyProof,
  consistencyRanges,
  type Frontier,
  headOfFrontier,
  headOfPieces,
  inclusionProof,
  inclusionRanges,
  type LeafRange,
  piecesOf,
  leafHash,
  nodeHash,
  treeHead,
  verifyConsistency,
  verifyInclusion,
} from './merkle-tree';

const entries = Array.from({ length: 33 }, (_, i) => Buffer.from(`event-${i}`));
const leaves = entries.map(leafHash);
const VERIFIER = join(__dirname, '../../../examples/verify-proof.js');

describe('RFC 9162 Merkle tree (issue 22)', () => {
  it('hashes as the RFC defines: the empty tree, one leaf, two leaves, a split at the largest power of two', () => {
    expect(treeHead([]).toString('hex')).toBe(createHash('sha256').digest('hex'));
    expect(leafHash(Buffer.from('x'))).toEqual(
      createHash('sha256')
        .update(Buffer.from([0, 0x78]))
        .digest(),
    );
    expect(treeHead(leaves.slice(0, 1))).toEqual(leaves[0]);
    expect(treeHead(leaves.slice(0, 2))).toEqual(nodeHash(leaves[0], leaves[1]));
    // Five leaves: (0..3) and (4).
    const left = nodeHash(nodeHash(leaves[0], leaves[1]), nodeHash(leaves[2], leaves[3]));
    expect(treeHead(leaves.slice(0, 5))).toEqual(nodeHash(left, leaves[4]));
  });

  it('proves every leaf of every tree size, and refuses a proof altered, moved or for another head', () => {
    for (let size = 1; size <= entries.length; size++) {
      const tree = leaves.slice(0, size);
      const root = treeHead(tree);
      for (let index = 0; index < size; index++) {
        const proof = inclusionProof(index, tree);
        expect(verifyInclusion(index, size, tree[index], proof, root)).toBe(true);
        if (size > 1) {
          expect(verifyInclusion((index + 1) % size, size, tree[index], proof, root)).toBe(false);
          const altered = proof.map((p, i) => (i === 0 ? nodeHash(p, p) : p));
          expect(verifyInclusion(index, size, tree[index], altered, root)).toBe(false);
        }
        expect(verifyInclusion(index, size, tree[index], proof, nodeHash(root, root))).toBe(false);
      }
    }
  });

  it('proves every earlier tree consistent with every later one, and refuses a rewritten history', () => {
    for (let n = 1; n <= entries.length; n++) {
      const tree = leaves.slice(0, n);
      for (let m = 1; m <= n; m++) {
        const proof = consistencyProof(m, tree);
        expect(verifyConsistency(m, n, proof, treeHead(tree.slice(0, m)), treeHead(tree))).toBe(true);
        // The same sizes with one earlier entry rewritten: the old head no longer fits.
        const rewritten = [leafHash(Buffer.from('forged')), ...tree.slice(1)];
        if (m < n) expect(verifyConsistency(m, n, proof, treeHead(rewritten.slice(0, m)), treeHead(tree))).toBe(false);
      }
    }
  });

  it('builds the same heads and proofs from stored complete subtrees as from the leaves', () => {
    const stored = new Map<string, Buffer>();
    let frontier: Frontier = [];
    leaves.forEach((leaf, size) => {
      stored.set(`0/${size}`, leaf);
      const appended = appendLeaf(frontier, size, leaf);
      for (const node of appended.completed) stored.set(`${node.level}/${node.index}`, node.hash);
      frontier = appended.frontier;
      expect(headOfFrontier(frontier)).toEqual(treeHead(leaves.slice(0, size + 1)));
    });
    // Each complete subtree once: n leaves and n − popcount(n) interior nodes.
    expect(stored.size).toBe(leaves.length + leaves.length - 2);
    const head = (range: LeafRange) => headOfPieces(piecesOf(range).map((p) => stored.get(`${p.level}/${p.index}`)!));
    for (let n = 1; n <= leaves.length; n++) {
      const tree = leaves.slice(0, n);
      expect(head({ start: 0, size: n })).toEqual(treeHead(tree));
      for (let index = 0; index < n; index++)
        expect(inclusionRanges(index, n).map(head)).toEqual(inclusionProof(index, tree));
      for (let m = 1; m <= n; m++) expect(consistencyRanges(m, n).map(head)).toEqual(consistencyProof(m, tree));
    }
  });

  it('the offline verifier (examples/verify-proof.js, plain Node) agrees on proof files', () => {
    const dir = makeTempDir();
    const run = (proof: object) => {
      const file = join(dir.path, 'proof.json');
      writeFileSync(file, JSON.stringify(proof));
      return spawnSync(process.execPath, [VERIFIER, file], { encoding: 'utf8' });
    };
    const hex = (hashes: Buffer[]) => hashes.map((h) => h.toString('hex'));
    try {
      for (const [index, size] of [
        [0, 1],
        [3, 7],
        [6, 7],
        [12, 33],
        [32, 33],
      ]) {
        const tree = leaves.slice(0, size);
        const proof = {
          kind: 'inclusion',
          leafIndex: index,
          treeSize: size,
          entry: entries[index].toString('hex'),
          inclusionPath: hex(inclusionProof(index, tree)),
          rootHash: treeHead(tree).toString('hex'),
        };
        expect(run(proof)).toMatchObject({ status: 0, stdout: expect.stringContaining('OK') });
        expect(run({ ...proof, entry: Buffer.from('forged').toString('hex') }).status).toBe(1);
      }
      for (const [m, n] of [
        [1, 1],
        [3, 7],
        [4, 7],
        [7, 33],
        [32, 33],
      ]) {
        const tree = leaves.slice(0, n);
        const proof = {
          kind: 'consistency',
          first: m,
          second: n,
          firstHash: treeHead(tree.slice(0, m)).toString('hex'),
          secondHash: treeHead(tree).toString('hex'),
          consistencyPath: hex(consistencyProof(m, tree)),
        };
        expect(run(proof)).toMatchObject({ status: 0, stdout: expect.stringContaining('OK') });
        if (m < n) expect(run({ ...proof, firstHash: leaves[0].toString('hex') }).status).toBe(1);
      }
    } finally {
      dir.remove();
    }
  });
});
