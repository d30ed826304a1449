/**
 * The signature algorithms of the checkpoints' signed notes (c2sp.org/signed-note): Ed25519 (type
 * 0x01, the spec's own) and SM2 with SM3 (国密, GB/T 32918.2, default ID "1234567812345678" of GM/T
 * 0009), which the spec leaves to 0xff followed by a longer identifier: here "SM2-with-SM3", the
 * name of its OID 1.2.156.10197.1.501. An SM2 public key is its uncompressed point (65 bytes), an
 * SM2 signature the DER SEQUENCE {r, s} of GM/T 0009.
 *
 * Node's crypto generates and parses SM2 keys, but `crypto.sign('sm3', …)` with one computes a
 * plain ECDSA over the SM2 curve, without the Z value of the signer's ID: not an SM2 signature
 * (OpenSSL refuses it with any ID). SM2 goes through sm-crypto-v2 (on @noble/curves), whose
 * signatures OpenSSL verifies with distid 1234567812345678.
 */
import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import { sm2 } from 'sm-crypto-v2';

export type SignatureAlgorithm = 'ed25519' | 'sm2';

/** A key as notes name it: its holder's name, its algorithm and its public key's bytes. */
export interface NoteKey {
  readonly name: string;
  readonly algorithm: SignatureAlgorithm;
  readonly publicKey: Buffer;
  /** Whether `signature` is this key's signature of `text`. */
  verify(text: Buffer, signature: Buffer): boolean;
}

/** A key that signs notes: the jurisdiction's (named by the log's origin), or a witness's. */
export interface NoteSigner extends NoteKey {
  sign(text: Buffer): Buffer;
}

/** The signature type identifier of each algorithm (c2sp.org/signed-note "Signature types"). */
export const SIGNATURE_TYPE: Readonly<Record<SignatureAlgorithm, Buffer>> = {
  ed25519: Buffer.from([0x01]),
  sm2: Buffer.concat([Buffer.from([0xff]), Buffer.from('SM2-with-SM3', 'ascii')]),
};

const PUBLIC_KEY_LENGTH: Readonly<Record<SignatureAlgorithm, number>> = { ed25519: 32, sm2: 65 };

/** The named-curve OID of SM2 (1.2.156.10197.1.301), DER-encoded, as a PKCS#8 SM2 key names it. */
const SM2_CURVE = Buffer.from('06082a811ccf5501822d', 'hex');
/** ECPrivateKey's version 1 then the OCTET STRING of a 32-byte scalar (RFC 5915). */
const EC_PRIVATE_SCALAR = Buffer.from('0201010420', 'hex');

/**
 * The private scalar of an SM2 key in PKCS#8 DER (hex), or null if the key is not SM2. SM2 keys stay
 * bytes: Node loads an SM2 PEM as a key object it cannot export (the process aborts).
 */
function sm2Scalar(pkcs8: Buffer): string | null {
  const curve = pkcs8.indexOf(SM2_CURVE);
  if (curve < 0 || curve > 32) return null;
  const scalar = pkcs8.indexOf(EC_PRIVATE_SCALAR, curve + SM2_CURVE.length);
  if (scalar < 0) throw new Error('an SM2 private key of 32 bytes was expected');
  return pkcs8.subarray(scalar + EC_PRIVATE_SCALAR.length, scalar + EC_PRIVATE_SCALAR.length + 32).toString('hex');
}

function pkcs8Of(privateKey: KeyObject | string): Buffer {
  if (typeof privateKey !== 'string') return privateKey.export({ format: 'der', type: 'pkcs8' });
  const body = /-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\s]+)-----END PRIVATE KEY-----/.exec(privateKey);
  if (!body) throw new Error('a PKCS#8 PEM private key (-----BEGIN PRIVATE KEY-----) was expected');
  return Buffer.from(body[1].replace(/\s/g, ''), 'base64');
}

/** A signer for notes under `name` with an Ed25519 or SM2 private key (a key object or PKCS#8 PEM). */
export function noteSigner(name: string, privateKey: KeyObject | string): NoteSigner {
  const pkcs8 = pkcs8Of(privateKey);
  const scalar = sm2Scalar(pkcs8);
  if (scalar !== null) {
    const publicKey = Buffer.from(sm2.getPublicKeyFromPrivateKey(scalar), 'hex');
    const options = { hash: true, der: true, publicKey: publicKey.toString('hex') };
    const signSm2 = (text: Buffer) => Buffer.from(sm2.doSignature(text, scalar, options), 'hex');
    return { name, algorithm: 'sm2', publicKey, sign: signSm2, verify: verifierOf('sm2', publicKey) };
  }
  const key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('notes are signed with an Ed25519 or an SM2 key');
  const jwk = createPublicKey(key).export({ format: 'jwk' });
  const publicKey = Buffer.from(jwk.x as string, 'base64url');
  const verify = verifierOf('ed25519', publicKey);
  return { name, algorithm: 'ed25519', publicKey, sign: (text) => sign(null, text, key), verify };
}

/** The key encoded as verifier keys carry it: its type identifier, then its public key. */
export function typedPublicKey(key: Pick<NoteKey, 'algorithm' | 'publicKey'>): Buffer {
  return Buffer.concat([SIGNATURE_TYPE[key.algorithm], key.publicKey]);
}

/** The typed public key's algorithm and key bytes (null if neither algorithm's). */
export function untypedPublicKey(bytes: Buffer): Omit<NoteKey, 'name'> | null {
  for (const algorithm of ['ed25519', 'sm2'] as const) {
    const type = SIGNATURE_TYPE[algorithm];
    const fits = bytes.length === type.length + PUBLIC_KEY_LENGTH[algorithm];
    if (!fits || !bytes.subarray(0, type.length).equals(type)) continue;
    const publicKey = bytes.subarray(type.length);
    return { algorithm, publicKey, verify: verifierOf(algorithm, publicKey) };
  }
  return null;
}

/** The 4-byte key ID: SHA-256(name || "\n" || type || public key)[:4], as c2sp.org/signed-note recommends. */
export function keyId(key: Pick<NoteKey, 'name' | 'algorithm' | 'publicKey'>): Buffer {
  return createHash('sha256').update(key.name).update('\n').update(typedPublicKey(key)).digest().subarray(0, 4);
}

/**
 * The verification of one public key's signatures. An SM2 key's point is precomputed once (about
 * five times faster per signature: `verify` checks every checkpoint ever signed).
 */
function verifierOf(algorithm: SignatureAlgorithm, publicKey: Buffer): NoteKey['verify'] {
  if (algorithm === 'sm2') {
    let point: ReturnType<typeof sm2.precomputePublicKey> | null = null;
    const options = { hash: true, der: true };
    return (text, signature) => {
      try {
        point ??= sm2.precomputePublicKey(publicKey.toString('hex'));
        return sm2.doVerifySignature(text, signature.toString('hex'), point, options);
      } catch {
        return false;
      }
    };
  }
  const jwk = { kty: 'OKP', crv: 'Ed25519', x: publicKey.toString('base64url') };
  const key = createPublicKey({ key: jwk, format: 'jwk' });
  return (text, signature) => verify(null, text, key, signature);
}
