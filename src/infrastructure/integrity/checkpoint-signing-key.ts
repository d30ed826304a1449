/**
 * The key that signs the Merkle log's checkpoints: INTEGRITY_SIGNING_KEY (PKCS#8 PEM, Ed25519; set
 * it alike on every instance), or for the embedded default one generated once into
 * DATA_DIR/integrity-signing-key.pem (0600). Its public half, as a verifier key, is what auditors
 * and witnesses keep (GET /integrity/checkpoints/latest shows it).
 */
import { createPrivateKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { type CheckpointKey, checkpointKey, parseVerifierKey } from '../../application/integrity/checkpoint';
import type { Witness } from '../../application/integrity/integrity-log.command-handler';
import { type AppConfig, ConfigurationError } from '../config/app-config';
import { CHECKPOINT_SIGNING_KEY_FILE, generatedKey } from '../system/generated-key';

const newKey = () => generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();

export function checkpointSigningKey(config: AppConfig): CheckpointKey {
  const pem = config.integrity.signingKey ?? generatedKey(config.dataDir, CHECKPOINT_SIGNING_KEY_FILE, newKey);
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
    return checkpointKey(config.integrity.origin, privateKey);
  } catch (error) {
    throw new ConfigurationError([
      `INTEGRITY_SIGNING_KEY: not a usable Ed25519 private key (${error instanceof Error ? error.message : String(error)})`,
    ]);
  }
}

export function witnessesOf(config: AppConfig): Witness[] {
  return config.integrity.witnessKeys.map((text) => {
    const witness = parseVerifierKey(text);
    if (!witness) throw new ConfigurationError([`INTEGRITY_WITNESS_KEYS: ${text} is not a valid Ed25519 verifier key`]);
    return witness;
  });
}
