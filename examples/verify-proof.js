#!/usr/bin/env node
/*
 * Checks a Merkle proof file offline, with Node alone (no dependencies): RFC 9162 §2.1.3.2
 * (inclusion of one entry in a tree of a given size and head) and §2.1.4.2 (consistency: a later
 * tree extends an earlier one). Hashes are hex; an entry is given in hex as `entry`, or as its leaf
 * hash `leafHash`.
 *
 *   node examples/verify-proof.js proof.json
 *
 * Inclusion:   { "kind": "inclusion", "leafIndex": 3, "treeSize": 7, "entry": "…", "inclusionPath": ["…"], "rootHash": "…" }
 * Consistency: { "kind": "consistency", "first": 3, "second": 7, "firstHash": "…", "secondHash": "…", "consistencyPath": ["…"] }
 *
 * Prints what it checked and exits 0 when the proof holds, 1 when it does not.
 */
'use strict';
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');

const sha256 = (...parts) => parts.reduce((h, p) => h.update(p), createHash('sha256')).digest();
const node = (left, right) => sha256(Buffer.from([1]), left, right);
const hex = (text) => Buffer.from(String(text), 'hex');
const lsb = (x) => x % 2 === 1;
const half = (x) => Math.floor(x / 2);

function inclusion({ leafIndex, treeSize, entry, leafHash, inclusionPath, rootHash }) {
  if (!(leafIndex >= 0 && leafIndex < treeSize)) return false;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leafHash ? hex(leafHash) : sha256(Buffer.from([0]), hex(entry));
  for (const p of inclusionPath.map(hex)) {
    if (sn === 0) return false;
    if (lsb(fn) || fn === sn) {
      r = node(p, r);
      while (!lsb(fn) && fn !== 0) [fn, sn] = [half(fn), half(sn)];
    } else r = node(r, p);
    [fn, sn] = [half(fn), half(sn)];
  }
  return sn === 0 && r.equals(hex(rootHash));
}

function consistency({ first, second, firstHash, secondHash, consistencyPath }) {
  const [oldRoot, newRoot] = [hex(firstHash), hex(secondHash)];
  if (!(first >= 1 && first <= second)) return false;
  if (first === second) return consistencyPath.length === 0 && oldRoot.equals(newRoot);
  if (consistencyPath.length === 0) return false;
  const path = (first & (first - 1)) === 0 ? [oldRoot, ...consistencyPath.map(hex)] : consistencyPath.map(hex);
  let fn = first - 1;
  let sn = second - 1;
  while (lsb(fn)) [fn, sn] = [half(fn), half(sn)];
  let [fr, sr] = [path[0], path[0]];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (lsb(fn) || fn === sn) {
      [fr, sr] = [node(c, fr), node(c, sr)];
      while (!lsb(fn) && fn !== 0) [fn, sn] = [half(fn), half(sn)];
    } else sr = node(sr, c);
    [fn, sn] = [half(fn), half(sn)];
  }
  return sn === 0 && fr.equals(oldRoot) && sr.equals(newRoot);
}

const file = process.argv[2];
if (!file) {
  console.error('usage: node examples/verify-proof.js proof.json');
  process.exit(2);
}
const proof = JSON.parse(readFileSync(file, 'utf8'));
const holds = proof.kind === 'inclusion' ? inclusion(proof) : proof.kind === 'consistency' && consistency(proof);
const what =
  proof.kind === 'inclusion'
    ? `entry ${proof.leafIndex} in the tree of ${proof.treeSize} with head ${proof.rootHash}`
    : `the tree of ${proof.second} (head ${proof.secondHash}) extends the tree of ${proof.first} (head ${proof.firstHash})`;
console.log(`${holds ? 'OK' : 'FAIL'}: ${what}`);
process.exit(holds ? 0 : 1);
