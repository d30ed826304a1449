import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  addSignature,
  checkpointBody,
  checkpointKey,
  openCheckpoint,
  openNote,
  parseVerifierKey,
  signCheckpoint,
  verifierKey,
} from './checkpoint';
import { leafHash, treeHead } from './merkle-tree';
import { keyId } from './note-signature';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- the offline verifier is plain CommonJS
const verifier = require('../../../examples/verify-proof.js') as {
  checksOf(proof: object, signer: unknown): Array<[string, boolean]>;
  parseKey(text: string): unknown;
};

// The example of golang.org/x/mod/sumdb/note's documentation: existing tooling's key and note.
const GO_VERIFIER = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const GO_NOTE =
  "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n\n" +
  '— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';

describe('signed checkpoints (C2SP tlog-checkpoint as a signed note, issue 22)', () => {
  const log = checkpointKey('qingpu-log', generateKeyPairSync('ed25519').privateKey);
  const witness = checkpointKey('city-witness', generateKeyPairSync('ed25519').privateKey);
  const sm2Log = checkpointKey('qingpu-log', generateKeyPairSync('ec', { namedCurve: 'SM2' }).privateKey);
  const checkpoint = {
    origin: 'gov-collab.example.gov.cn/qingpu',
    size: 3,
    rootHash: treeHead(['a', 'b', 'c'].map((s) => leafHash(Buffer.from(s)))),
    extensions: ['time 2026-12-01T08:00:00.000Z'],
  };

  it('reads the signed-note example of the Go note package: same key ID, same signature', () => {
    const verifier = parseVerifierKey(GO_VERIFIER)!;
    expect(verifier.name).toBe('PeterNeumann');
    expect(openNote(GO_NOTE, verifier)).toBe(GO_NOTE.split('\n\n')[0] + '\n');
    expect(verifierKey(verifier)).toBe(GO_VERIFIER);
    expect(openNote(GO_NOTE.replace('problem,', 'problem;'), verifier)).toBeNull();
  });

  it.each([
    ['Ed25519', log],
    ['SM2', sm2Log],
  ])('signs with %s a checkpoint that its key opens, and nobody else’s; a witness adds its cosignature', (_, key) => {
    const note = signCheckpoint(checkpoint, key);
    expect(note.startsWith(checkpointBody(checkpoint) + '\n— qingpu-log ')).toBe(true);
    expect(openCheckpoint(note, key)).toEqual(checkpoint);
    expect(openCheckpoint(note, { ...witness, name: 'qingpu-log' })).toBeNull();
    expect(openCheckpoint(note.replace('\n3\n', '\n4\n'), key)).toBeNull();
    expect(openCheckpoint(note.replace('T08:', 'T09:'), key)).toBeNull();
    const cosigned = addSignature(note, witness);
    expect(openCheckpoint(cosigned, witness)).toEqual(checkpoint);
    expect(openCheckpoint(cosigned, key)).toEqual(checkpoint);
    const vkey = parseVerifierKey(verifierKey(key))!;
    expect(vkey.algorithm).toBe(key.algorithm);
    expect(openCheckpoint(note, vkey)).toEqual(checkpoint);
    expect(parseVerifierKey(verifierKey(key).replace(/\+[0-9a-f]{8}\+/, '+00000000+'))).toBeNull();
  });

  it('keys SM2 by 0xff "SM2-with-SM3" and its 65-byte point, so its key ID never equals an Ed25519 one', () => {
    const typed = Buffer.from(verifierKey(sm2Log).replace(/^[^+]+\+[0-9a-f]{8}\+/, ''), 'base64');
    expect(typed.subarray(0, 13)).toEqual(Buffer.concat([Buffer.from([0xff]), Buffer.from('SM2-with-SM3')]));
    expect(typed.subarray(13)).toHaveLength(65);
    expect(typed[13]).toBe(0x04);
  });

  it('signs SM2 as GB/T 32918.2 with the default ID, which the offline verifier checks by its own arithmetic', () => {
    const note = signCheckpoint(checkpoint, sm2Log);
    const signer = verifier.parseKey(verifierKey(sm2Log));
    const signed = (checkpointNote: string, key = signer) => {
      const file = { kind: 'inclusion', leafIndex: 0, treeSize: 3, inclusionPath: [], checkpoint: checkpointNote };
      const checks = verifier.checksOf({ ...file, rootHash: checkpoint.rootHash.toString('hex') }, key);
      return checks.find(([what]) => what.endsWith('signed a checkpoint of that tree'))?.[1];
    };
    expect(signed(note)).toBe(true);
    expect(signed(note.replace('T08:', 'T09:'))).toBe(false);
    // Node's own crypto.sign('sm3') with an SM2 key is a plain ECDSA, not SM2: both verifiers refuse it.
    const text = checkpointBody(checkpoint);
    const sm2Key = generateKeyPairSync('ec', { namedCurve: 'SM2' });
    const nodeKey = checkpointKey('qingpu-log', sm2Key.privateKey);
    const ecdsa = sign('sm3', Buffer.from(text), sm2Key.privateKey);
    const forged = `${text}\n— qingpu-log ${Buffer.concat([keyId(nodeKey), ecdsa]).toString('base64')}\n`;
    expect(openCheckpoint(forged, nodeKey)).toBeNull();
    expect(signed(forged, verifier.parseKey(verifierKey(nodeKey)))).toBe(false);
    expect(signed(signCheckpoint(checkpoint, nodeKey), verifier.parseKey(verifierKey(nodeKey)))).toBe(true);
  });

  const openssl = spawnSync('openssl', ['version']).status === 0;
  (openssl ? it : it.skip)(
    'signs SM2 so that OpenSSL verifies it with distid 1234567812345678 (skipped without openssl)',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'sm2-'));
      const text = Buffer.from(checkpointBody(checkpoint));
      const sm2Key = generateKeyPairSync('ec', { namedCurve: 'SM2' });
      writeFileSync(join(dir, 'text'), text);
      writeFileSync(join(dir, 'key.pem'), sm2Key.publicKey.export({ type: 'spki', format: 'pem' }));
      writeFileSync(join(dir, 'sig'), checkpointKey('x', sm2Key.privateKey).sign(text));
      const check = (distid: string) =>
        spawnSync(
          'openssl',
          [
            'pkeyutl',
            '-verify',
            '-rawin',
            '-digest',
            'sm3',
            '-pubin',
            '-inkey',
            join(dir, 'key.pem'),
            '-in',
            join(dir, 'text'),
            '-sigfile',
            join(dir, 'sig'),
            '-pkeyopt',
            `distid:${distid}`,
          ],
          { encoding: 'utf8' },
        );
      expect(check('1234567812345678').stdout).toContain('Verified Successfully');
      expect(check('ALICE123@YAHOO.COM').stdout).not.toContain('Verified Successfully');
    },
  );
});
