#!/usr/bin/env node
/*
 * Checks a proof file of the platform's Merkle log offline, with Node alone (no dependencies).
 *
 *   node examples/verify-proof.js proof.json --key '<verifier key>' [--kept checkpoint.txt]
 *
 * Inclusion (GET /integrity/proofs/inclusion, or `npm run cli -- proof`): the event's leaf is
 * recomputed from the event (src/application/integrity/log-entry.ts: the entry
 * ["gov-collab/event/v1", eventId, streamId, revision, type, SHA-256(data), SHA-256(metadata)]),
 * the inclusion path (RFC 9162 §2.1.3.2) leads from it to the root hash, and the signed checkpoint
 * (c2sp.org/tlog-checkpoint as a c2sp.org/signed-note, Ed25519) is signed by the key and states
 * that tree size and root hash.
 * Consistency (GET /integrity/proofs/consistency): the path (RFC 9162 §2.1.4.2) shows the later
 * tree extends the earlier one, both checkpoints are signed by the key and state those heads; with
 * --kept, a checkpoint the auditor kept from before is the earlier one.
 * The key is the verifier key the platform shows (GET /integrity/checkpoints/latest): keep it apart.
 * A file with neither `event` nor `checkpoint` is checked for the tree hashing alone.
 *
 * Prints one line per check and exits 0 when every check holds, 1 when one does not, 2 on bad use.
 */
'use strict';
const { createHash, createPublicKey, verify } = require('node:crypto');
const { readFileSync } = require('node:fs');

const sha256 = (...parts) => parts.reduce((h, p) => h.update(p), createHash('sha256')).digest();
const node = (left, right) => sha256(Buffer.from([1]), left, right);
const hex = (text) => Buffer.from(String(text), 'hex');
const digest = (text) => createHash('sha256').update(text).digest('hex');
const lsb = (x) => x % 2 === 1;
const half = (x) => Math.floor(x / 2);

function inclusion(leafIndex, treeSize, leaf, path, root) {
  if (!(leafIndex >= 0 && leafIndex < treeSize)) return false;
  let [fn, sn, r] = [leafIndex, treeSize - 1, leaf];
  for (const p of path.map(hex)) {
    if (sn === 0) return false;
    if (lsb(fn) || fn === sn) {
      r = node(p, r);
      while (!lsb(fn) && fn !== 0) [fn, sn] = [half(fn), half(sn)];
    } else r = node(r, p);
    [fn, sn] = [half(fn), half(sn)];
  }
  return sn === 0 && r.equals(hex(root));
}

function consistency(first, second, firstHash, secondHash, proof) {
  const [oldRoot, newRoot] = [hex(firstHash), hex(secondHash)];
  if (!(first >= 1 && first <= second)) return false;
  if (first === second) return proof.length === 0 && oldRoot.equals(newRoot);
  if (proof.length === 0) return false;
  const path = (first & (first - 1)) === 0 ? [oldRoot, ...proof.map(hex)] : proof.map(hex);
  let [fn, sn] = [first - 1, second - 1];
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

/** The leaf of an event: its data and metadata enter by their digests. */
function leafOf(event) {
  const fields = [event.eventId, event.streamId, event.revision, event.type, event.dataDigest, event.metadataDigest];
  const entry = JSON.stringify(['gov-collab/event/v1', ...fields]);
  return sha256(Buffer.from([0]), Buffer.from(entry, 'utf8'));
}

/** "<name>+<hex key ID>+<base64(0x01 || Ed25519 public key)>" → its name, ID and key. */
function parseKey(text) {
  const match = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec(text || '');
  const raw = match && Buffer.from(match[3], 'base64');
  if (!raw || raw.length !== 33 || raw[0] !== 1) return null;
  const x = raw.subarray(1).toString('base64url');
  return { name: match[1], id: hex(match[2]), key: createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' }) };
}

/** The size and root hash a signed checkpoint states, if `signer` signed it; null otherwise. */
function openCheckpoint(note, signer) {
  const at = String(note).lastIndexOf('\n\n');
  if (at < 0) return null;
  const text = note.slice(0, at + 1);
  const signed = note
    .slice(at + 2)
    .split('\n')
    .some((line) => {
      const match = /^— (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
      const sig = match && match[1] === signer.name && Buffer.from(match[2], 'base64');
      return sig && sig.subarray(0, 4).equals(signer.id) && verify(null, Buffer.from(text), signer.key, sig.subarray(4));
    });
  const [, size, root] = text.split('\n');
  return signed ? { size: Number(size), rootHash: Buffer.from(root, 'base64').toString('hex') } : null;
}

/** Every check a proof file calls for, as [what, holds] pairs; `kept` is a checkpoint the auditor kept. */
function checksOf(proof, signer, kept) {
  const checks = [];
  const check = (what, holds) => checks.push([what, Boolean(holds)]);
  const states = (note, size, rootHash) => {
    const opened = openCheckpoint(note, signer);
    return opened !== null && opened.size === size && opened.rootHash === rootHash;
  };
  if (proof.kind === 'inclusion') {
    const { event, leafIndex, treeSize, inclusionPath, rootHash } = proof;
    let leaf = proof.leafHash ? hex(proof.leafHash) : sha256(Buffer.from([0]), hex(proof.entry));
    if (event) {
      const asStored =
        digest(JSON.stringify(event.data)) === event.dataDigest &&
        digest(JSON.stringify(event.metadata)) === event.metadataDigest;
      if ((event.withheld || []).length === 0) check('the event’s data and metadata match their digests', asStored);
      check(`the leaf is event ${event.eventId}’s`, !proof.leafHash || leafOf(event).equals(leaf));
      leaf = leafOf(event);
    }
    const included = inclusion(leafIndex, treeSize, leaf, inclusionPath, rootHash);
    check(`leaf ${leafIndex} is in the tree of ${treeSize} with root ${rootHash}`, included);
    if (proof.checkpoint) check(`${signer.name} signed a checkpoint of that tree`, states(proof.checkpoint, treeSize, rootHash));
  } else if (proof.kind === 'consistency') {
    const { first, second, firstHash, secondHash, consistencyPath } = proof;
    const extends_ = consistency(first, second, firstHash, secondHash, consistencyPath);
    check(`the tree of ${second} (root ${secondHash}) extends the tree of ${first} (root ${firstHash})`, extends_);
    for (const [note, size, hash] of [
      [proof.firstCheckpoint, first, firstHash],
      [proof.secondCheckpoint, second, secondHash],
    ])
      if (note) check(`${signer.name} signed the checkpoint of ${size}`, states(note, size, hash));
    if (kept) check(`the kept checkpoint is ${signer.name}’s checkpoint of ${first}`, states(kept, first, firstHash));
  } else check(`a proof of kind ${proof.kind}`, false);
  return checks;
}

function main(args) {
  const option = (name) => (args.indexOf(name) >= 0 ? args[args.indexOf(name) + 1] : undefined);
  const proof = args[0] && JSON.parse(readFileSync(args[0], 'utf8'));
  const signer = parseKey(option('--key'));
  if (!proof || ((proof.checkpoint || proof.secondCheckpoint) && !signer)) {
    console.error("usage: node examples/verify-proof.js proof.json --key '<verifier key>' [--kept checkpoint.txt]");
    return 2;
  }
  const kept = option('--kept');
  const checks = checksOf(proof, signer, kept && readFileSync(kept, 'utf8'));
  for (const [what, holds] of checks) console.log(`${holds ? 'OK' : 'FAIL'}: ${what}`);
  return checks.length > 0 && checks.every(([, holds]) => holds) ? 0 : 1;
}

// Run as a program; required (by the tests), it hands over its checks.
if (require.main === module) process.exit(main(process.argv.slice(2)));
else module.exports = { checksOf, parseKey };
