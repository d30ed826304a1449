/**
 * The key that signs the Merkle log's checkpoints: INTEGRITY_SIGNING_KEY (PKCS#8 PEM, Ed25519 or
 * SM2 as INTEGRITY_SIGNATURE_ALGORITHM says; set it alike on every instance), or for the embedded
 * default one generated once into DATA_DIR/integrity-signing-key.pem (0600). Its public half, as a
 * verifier key, is what auditors and witnesses keep (GET /integrity/checkpoints/latest shows it).
 */
import { generateKeyPairSync } from 'node:crypto';
import { type CheckpointKey, checkpointKey, parseVerifierKey } from '../../application/integrity/checkpoint';
import type { Witness } from '../../application/integrity/integrity-log.command-handler';
import { type SignatureAlgorithm } from '../../application/integrity/note-signature';
import { type AppConfig, ConfigurationError } from '../config/app-config';
import { CHECKPOINT_SIGNING_KEY_FILE, generatedKey } from '../system/generated-key';

function newKey(algorithm: SignatureAlgorithm): string {
  const pair = algorithm === 'sm2' ? generateKeyPairSync('ec', { namedCurve: 'SM2' }) : generateKeyPairSync('ed25519');
  return pair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

export function checkpointSigningKey(config: AppConfig): CheckpointKey {
  const { signingKey, signatureAlgorithm, origin } = config.integrity;
  const where = signingKey ? 'INTEGRITY_SIGNING_KEY' : `DATA_DIR/${CHECKPOINT_SIGNING_KEY_FILE}`;
  const pem = signingKey ?? generatedKey(config.dataDir, CHECKPOINT_SIGNING_KEY_FILE, () => newKey(signatureAlgorithm));
  let key: CheckpointKey;
  try {
    key = checkpointKey(origin, pem);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigurationError([`${where}: not a usable Ed25519 or SM2 private key (${reason})`]);
  }
  // A log keeps its key for its life: auditors hold the verifier key of the checkpoints already published.
  if (key.algorithm !== signatureAlgorithm)
    throw new ConfigurationError([
      `${where} holds an ${key.algorithm} key but INTEGRITY_SIGNATURE_ALGORITHM is ${signatureAlgorithm}: ` +
        'set the algorithm of the key the log has signed with, or give a key of that algorithm',
    ]);
  return key;
}

export function witnessesOf(config: AppConfig): Witness[] {
  return config.integrity.witnessKeys.map((text) => {
    const witness = parseVerifierKey(text);
    if (!witness) throw new ConfigurationError([`INTEGRITY_WITNESS_KEYS: ${text} is not a valid verifier key`]);
    return witness;
  });
}
