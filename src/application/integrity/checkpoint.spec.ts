import { generateKeyPairSync } from 'node:crypto';
import {
  addSignature,
  checkpointBody,
  openCheckpoint,
  openNote,
  parseVerifierKey,
  signCheckpoint,
  verifierKey,
} from './checkpoint';
import { leafHash, treeHead } from './merkle-tree';

// The example of golang.org/x/mod/sumdb/note's documentation: existing tooling's key and note.
const GO_VERIFIER = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const GO_NOTE =
  "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n\n" +
  '— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n';

describe('signed checkpoints (C2SP tlog-checkpoint as a signed note, issue 22)', () => {
  const log = generateKeyPairSync('ed25519');
  const witness = generateKeyPairSync('ed25519');
  const checkpoint = {
    origin: 'gov-collab.example.gov.cn/qingpu',
    size: 3,
    rootHash: treeHead(['a', 'b', 'c'].map((s) => leafHash(Buffer.from(s)))),
    extensions: ['time 2026-12-01T08:00:00.000Z'],
  };

  it('reads the signed-note example of the Go note package: same key ID, same signature', () => {
    const verifier = parseVerifierKey(GO_VERIFIER)!;
    expect(verifier.name).toBe('PeterNeumann');
    expect(openNote(GO_NOTE, 'PeterNeumann', verifier.publicKey)).toBe(GO_NOTE.split('\n\n')[0] + '\n');
    expect(verifierKey('PeterNeumann', verifier.publicKey)).toBe(GO_VERIFIER);
    expect(openNote(GO_NOTE.replace('problem,', 'problem;'), 'PeterNeumann', verifier.publicKey)).toBeNull();
  });

  it('signs a checkpoint that its key opens, and nobody else’s; a witness adds its cosignature', () => {
    const note = signCheckpoint(checkpoint, 'qingpu-log', log.privateKey);
    expect(note.startsWith(checkpointBody(checkpoint) + '\n— qingpu-log ')).toBe(true);
    expect(openCheckpoint(note, 'qingpu-log', log.publicKey)).toEqual(checkpoint);
    expect(openCheckpoint(note, 'qingpu-log', witness.publicKey)).toBeNull();
    expect(openCheckpoint(note.replace('\n3\n', '\n4\n'), 'qingpu-log', log.publicKey)).toBeNull();
    expect(openCheckpoint(note.replace('T08:', 'T09:'), 'qingpu-log', log.publicKey)).toBeNull();
    const cosigned = addSignature(note, 'city-witness', witness.privateKey);
    expect(openCheckpoint(cosigned, 'city-witness', witness.publicKey)).toEqual(checkpoint);
    expect(openCheckpoint(cosigned, 'qingpu-log', log.publicKey)).toEqual(checkpoint);
    const vkey = parseVerifierKey(verifierKey('qingpu-log', log.publicKey))!;
    expect(openCheckpoint(note, vkey.name, vkey.publicKey)).toEqual(checkpoint);
    expect(
      parseVerifierKey(verifierKey('qingpu-log', log.publicKey).replace(/\+[0-9a-f]{8}\+/, '+00000000+')),
    ).toBeNull();
  });
});
