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
 * (c2sp.org/tlog-checkpoint as a c2sp.org/signed-note, Ed25519 or SM2) is signed by the key and states
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

// SM2 (GB/T 32918): the curve's parameters, and verification in BigInt arithmetic (public data only).
const SM2 = {
  p: 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn,
  b: 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n,
  n: 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n,
  g: [
    0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7n,
    0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0n,
  ],
};
SM2.a = SM2.p - 3n;
const SM2_TYPE = Buffer.concat([Buffer.from([0xff]), Buffer.from('SM2-with-SM3')]);
const mod = (x, m) => ((x % m) + m) % m;
const big = (bytes) => BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`);
const bytes32 = (x) => Buffer.from(x.toString(16).padStart(64, '0'), 'hex');
const sm3 = (...parts) => parts.reduce((h, p) => h.update(p), createHash('sm3')).digest();
function inverse(x, m) {
  let [a, b, u, v] = [mod(x, m), m, 1n, 0n];
  while (b) [a, b, u, v] = [b, a % b, v, u - (a / b) * v];
  return mod(u, m);
}
function add(P, Q) {
  if (!P) return Q;
  if (!Q) return P;
  const { p, a } = SM2;
  if (P[0] === Q[0] && mod(P[1] + Q[1], p) === 0n) return null;
  const l = P[0] === Q[0] ? (3n * P[0] * P[0] + a) * inverse(2n * P[1], p) : (Q[1] - P[1]) * inverse(Q[0] - P[0], p);
  const x = mod(l * l - P[0] - Q[0], p);
  return [x, mod(l * (P[0] - x) - P[1], p)];
}
function times(k, P) {
  let R = null;
  for (; k > 0n; k >>= 1n, P = add(P, P)) if (k & 1n) R = add(R, P);
  return R;
}
/** DER SEQUENCE { INTEGER r, INTEGER s } → [r, s]. */
function rs(der) {
  const at = der[1] & 0x80 ? 2 + (der[1] & 0x7f) : 2;
  const r = der.subarray(at + 2, at + 2 + der[at + 1]);
  const s = der.subarray(at + 4 + r.length, at + 4 + r.length + der[at + 3 + r.length]);
  return [big(r), big(s)];
}
/** GB/T 32918.2 §7: e = SM3(Z || M), Z = SM3(ENTL || ID || a || b || G || P), ID "1234567812345678". */
function verifySm2(point, message, signature) {
  const { a, b, n, g } = SM2;
  const [r, s] = rs(signature);
  if (!(r >= 1n && r < n && s >= 1n && s < n)) return false;
  const P = [big(point.subarray(1, 33)), big(point.subarray(33))];
  const id = Buffer.from('1234567812345678');
  const z = sm3(Buffer.from([0, id.length * 8]), id, ...[a, b, ...g, ...P].map(bytes32));
  const t = mod(r + s, n);
  const X = t === 0n ? null : add(times(s, g), times(t, P));
  return X !== null && mod(big(sm3(z, message)) + X[0], n) === r;
}

/** "<name>+<hex key ID>+<base64(type || public key)>" (Ed25519 0x01, or SM2 0xff "SM2-with-SM3") → its parts. */
function parseKey(text) {
  const match = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec(text || '');
  const raw = match && Buffer.from(match[3], 'base64');
  if (!raw) return null;
  const id = hex(match[2]);
  if (raw.length === 33 && raw[0] === 1) {
    const x = raw.subarray(1).toString('base64url');
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
    return { name: match[1], id, verify: (text, sig) => verify(null, text, key, sig) };
  }
  const point = raw.subarray(SM2_TYPE.length);
  if (raw.subarray(0, SM2_TYPE.length).equals(SM2_TYPE) && point.length === 65 && point[0] === 4)
    return { name: match[1], id, verify: (text, sig) => verifySm2(point, text, sig) };
  return null;
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
      return sig && sig.subarray(0, 4).equals(signer.id) && signer.verify(Buffer.from(text), sig.subarray(4));
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
