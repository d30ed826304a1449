/**
 * Checkpoints of the history's Merkle tree in the C2SP formats (issue 22): the checkpoint body
 * (c2sp.org/tlog-checkpoint: origin, tree size, base64 root hash, one per line) as a signed note
 * (c2sp.org/signed-note: the text, a blank line, then one line per signature "— <name>
 * <base64(key ID || signature)>"). Ed25519 keys, key ID = the first 4 bytes of
 * SHA-256(name || "\n" || 0x01 || public key), as the signed-note spec defines, so existing
 * tooling (the Go sumdb note package and its kin) reads them.
 */
import { createHash, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';

export interface Checkpoint {
  /** The log's name, e.g. "gov-collab.example.gov.cn/qingpu". */
  readonly origin: string;
  readonly size: number;
  readonly rootHash: Buffer;
  /** Extension lines after the root hash (c2sp.org/tlog-checkpoint), e.g. "time 2026-12-01T08:00:00.000Z". */
  readonly extensions?: readonly string[];
}

/** The jurisdiction's signing key: its name in the notes (the log's origin) and the Ed25519 key pair. */
export interface CheckpointKey {
  readonly name: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

export function checkpointKey(name: string, privateKey: KeyObject): CheckpointKey {
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('the checkpoint signing key must be an Ed25519 key');
  return { name, privateKey, publicKey: createPublicKey(privateKey) };
}

const ED25519 = 0x01;

/** The checkpoint's text, each line ended by a newline. */
export function checkpointBody({ origin, size, rootHash, extensions = [] }: Checkpoint): string {
  if (!origin || /\s/.test(origin)) throw new Error('a checkpoint origin is one word without spaces');
  if (extensions.some((line) => line === '' || line.includes('\n')))
    throw new Error('an extension is one non-empty line');
  return [origin, String(size), rootHash.toString('base64'), ...extensions].map((line) => `${line}\n`).join('');
}

/** The raw 32-byte Ed25519 public key. */
function rawPublicKey(publicKey: KeyObject): Buffer {
  return Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url');
}

/** The 4-byte key ID of an Ed25519 key under `name` (c2sp.org/signed-note). */
export function keyId(name: string, publicKey: KeyObject): Buffer {
  const hash = createHash('sha256')
    .update(name)
    .update('\n')
    .update(Buffer.from([ED25519]))
    .update(rawPublicKey(publicKey));
  return hash.digest().subarray(0, 4);
}

/** The verifier key in the note format: "<name>+<hex key ID>+<base64(0x01 || public key)>". */
export function verifierKey(name: string, publicKey: KeyObject): string {
  const key = Buffer.concat([Buffer.from([ED25519]), rawPublicKey(publicKey)]);
  return `${name}+${keyId(name, publicKey).toString('hex')}+${key.toString('base64')}`;
}

/** The checkpoint signed by `name`'s Ed25519 key, as a signed note. */
export function signCheckpoint(checkpoint: Checkpoint, name: string, privateKey: KeyObject): string {
  const text = checkpointBody(checkpoint);
  const signature = sign(null, Buffer.from(text), privateKey);
  const publicKey = createPublicKey(privateKey);
  return `${text}\n— ${name} ${Buffer.concat([keyId(name, publicKey), signature]).toString('base64')}\n`;
}

/** Adds another signer's line (a witness's cosignature) to a signed note it has checked. */
export function addSignature(note: string, name: string, privateKey: KeyObject): string {
  const { text } = splitNote(note);
  const signature = sign(null, Buffer.from(text), privateKey);
  const line = `— ${name} ${Buffer.concat([keyId(name, createPublicKey(privateKey)), signature]).toString('base64')}\n`;
  return note + line;
}

export function splitNote(note: string): { text: string; signatures: string[] } {
  const at = note.lastIndexOf('\n\n');
  if (at < 0) throw new Error('not a signed note: no blank line before the signatures');
  return {
    text: note.slice(0, at + 1),
    signatures: note
      .slice(at + 2)
      .split('\n')
      .filter(Boolean),
  };
}

/** The text of a signed note if `name`'s key signed it; null otherwise (or if malformed). */
export function openNote(note: string, name: string, publicKey: KeyObject): string | null {
  let parts: ReturnType<typeof splitNote>;
  try {
    parts = splitNote(note);
  } catch {
    return null;
  }
  const id = keyId(name, publicKey);
  const signed = parts.signatures.some((line) => {
    const match = /^— (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
    if (!match || match[1] !== name) return false;
    const bytes = Buffer.from(match[2], 'base64');
    return bytes.subarray(0, 4).equals(id) && verify(null, Buffer.from(parts.text), publicKey, bytes.subarray(4));
  });
  return signed ? parts.text : null;
}

/** The checkpoint of a signed note, if `name`'s key signed it; null otherwise (or if malformed). */
export function openCheckpoint(note: string, name: string, publicKey: KeyObject): Checkpoint | null {
  const text = openNote(note, name, publicKey);
  if (text === null) return null;
  return parseCheckpoint(text);
}

/** The checkpoint a note's text states, unverified (null if it is not one). */
export function parseCheckpoint(text: string): Checkpoint | null {
  const [origin, size, root, ...rest] = text.split('\n');
  if (!/^\d+$/.test(size ?? '') || !root || rest.at(-1) !== '') return null;
  return { origin, size: Number(size), rootHash: Buffer.from(root, 'base64'), extensions: rest.slice(0, -1) };
}

/** A verifier key "<name>+<hex key ID>+<base64(0x01 || public key)>" as its name and Ed25519 key (null if not one). */
export function parseVerifierKey(text: string): { name: string; publicKey: KeyObject } | null {
  const match = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec(text);
  if (!match) return null;
  const key = Buffer.from(match[3], 'base64');
  if (key.length !== 33 || key[0] !== ED25519) return null;
  const publicKey = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: key.subarray(1).toString('base64url') },
    format: 'jwk',
  });
  return keyId(match[1], publicKey).toString('hex') === match[2] ? { name: match[1], publicKey } : null;
}
