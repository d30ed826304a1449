/**
 * Checkpoints of the history's Merkle tree in the C2SP formats (issue 22): the checkpoint body
 * (c2sp.org/tlog-checkpoint: origin, tree size, base64 root hash, one per line) as a signed note
 * (c2sp.org/signed-note: the text, a blank line, then one line per signature "— <name>
 * <base64(key ID || signature)>"). Keys are Ed25519 (the spec's own, which existing tooling such
 * as the Go sumdb note package reads) or SM2 (note-signature.ts).
 */
import { type KeyObject } from 'node:crypto';
import { keyId, type NoteKey, type NoteSigner, noteSigner, typedPublicKey, untypedPublicKey } from './note-signature';

export interface Checkpoint {
  /** The log's name, e.g. "gov-collab.example.gov.cn/qingpu". */
  readonly origin: string;
  readonly size: number;
  readonly rootHash: Buffer;
  /** Extension lines after the root hash (c2sp.org/tlog-checkpoint), e.g. "time 2026-12-01T08:00:00.000Z". */
  readonly extensions?: readonly string[];
}

/** The jurisdiction's signing key: its name in the notes (the log's origin), Ed25519 or SM2. */
export type CheckpointKey = NoteSigner;

export function checkpointKey(name: string, privateKey: KeyObject | string): CheckpointKey {
  return noteSigner(name, privateKey);
}

/** The checkpoint's text, each line ended by a newline. */
export function checkpointBody({ origin, size, rootHash, extensions = [] }: Checkpoint): string {
  if (!origin || /\s/.test(origin)) throw new Error('a checkpoint origin is one word without spaces');
  if (extensions.some((line) => line === '' || line.includes('\n')))
    throw new Error('an extension is one non-empty line');
  return [origin, String(size), rootHash.toString('base64'), ...extensions].map((line) => `${line}\n`).join('');
}

/** The verifier key in the note format: "<name>+<hex key ID>+<base64(type || public key)>". */
export function verifierKey(key: Pick<NoteKey, 'name' | 'algorithm' | 'publicKey'>): string {
  return `${key.name}+${keyId(key).toString('hex')}+${typedPublicKey(key).toString('base64')}`;
}

/** A signature line of `signer` for a note's text. */
function signatureLine(text: string, signer: NoteSigner): string {
  const signature = signer.sign(Buffer.from(text));
  return `— ${signer.name} ${Buffer.concat([keyId(signer), signature]).toString('base64')}\n`;
}

/** The checkpoint signed by the jurisdiction's key, as a signed note. */
export function signCheckpoint(checkpoint: Checkpoint, signer: NoteSigner): string {
  const text = checkpointBody(checkpoint);
  return `${text}\n${signatureLine(text, signer)}`;
}

/** Adds another signer's line (a witness's cosignature) to a signed note it has checked. */
export function addSignature(note: string, signer: NoteSigner): string {
  return note + signatureLine(splitNote(note).text, signer);
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

/** The text of a signed note if `key` signed it; null otherwise (or if malformed). */
export function openNote(note: string, key: NoteKey): string | null {
  let parts: ReturnType<typeof splitNote>;
  try {
    parts = splitNote(note);
  } catch {
    return null;
  }
  const id = keyId(key);
  const signed = parts.signatures.some((line) => {
    const match = /^— (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
    if (!match || match[1] !== key.name) return false;
    const bytes = Buffer.from(match[2], 'base64');
    return bytes.subarray(0, 4).equals(id) && key.verify(Buffer.from(parts.text), bytes.subarray(4));
  });
  return signed ? parts.text : null;
}

/** The checkpoint of a signed note, if `key` signed it; null otherwise (or if malformed). */
export function openCheckpoint(note: string, key: NoteKey): Checkpoint | null {
  const text = openNote(note, key);
  if (text === null) return null;
  return parseCheckpoint(text);
}

/** The checkpoint a note's text states, unverified (null if it is not one). */
export function parseCheckpoint(text: string): Checkpoint | null {
  const [origin, size, root, ...rest] = text.split('\n');
  if (!/^\d+$/.test(size ?? '') || !root || rest.at(-1) !== '') return null;
  return { origin, size: Number(size), rootHash: Buffer.from(root, 'base64'), extensions: rest.slice(0, -1) };
}

/** A verifier key "<name>+<hex key ID>+<base64(type || public key)>" as a note key (null if not one). */
export function parseVerifierKey(text: string): NoteKey | null {
  const match = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/=]+)$/.exec(text);
  const typed = match && untypedPublicKey(Buffer.from(match[3], 'base64'));
  if (!match || !typed) return null;
  const key = { name: match[1], ...typed };
  return keyId(key).toString('hex') === match[2] ? key : null;
}
