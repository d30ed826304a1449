/**
 * Signing and cosigning checkpoints. Before signing, the handler proves the log's current head
 * consistent with the latest signed checkpoint from the stored tree (RFC 9162 §2.1.4); the decider
 * refuses a checkpoint that was not (CHECKPOINT_FORK), so a rewritten history is never signed.
 */
import {
  type CheckpointHead,
  INTEGRITY_LOG_STREAM,
  type IntegrityLogCommand,
  integrityLogDecider,
  type IntegrityLogState,
} from '../../domain/integrity-log/integrity-log.decider';
import { RuleViolation } from '../../domain/shared/domain-error';
import { AccessControl } from '../access/access-control';
import type { BusCommandHandler } from '../commands/command-bus';
import type { DeciderCommandRunner } from '../commands/decider-command-runner';
import type { Clock } from '../ports/clock.port';
import { type NoteKey } from './note-signature';
import { type CheckpointKey, openNote, parseCheckpoint, signCheckpoint, splitNote } from './checkpoint';
import { type CosignCheckpoint, type SignCheckpoint, type SignedCheckpoint } from './integrity-log.commands';
import { authorizeWitnessRead } from './proofs.queries';
import type { LogHead, MerkleLogReader } from './merkle-log';
import { verifyConsistency } from './merkle-tree';

/** A witness whose cosignatures are accepted: its name in the notes and its public key. */
export type Witness = NoteKey;

/** Whether the head holds an event the latest checkpoint does not cover (checkpoints themselves do not count). */
function hasNewContent(latest: CheckpointHead | null, head: LogHead): boolean {
  if (head.size === 0) return false;
  return latest === null || (head.size > latest.size && head.lastContentIndex >= latest.size);
}

export class SignCheckpointHandler implements BusCommandHandler<SignCheckpoint> {
  constructor(
    private readonly runner: DeciderCommandRunner,
    private readonly log: MerkleLogReader,
    private readonly key: CheckpointKey,
    private readonly access: AccessControl,
    private readonly clock: Clock,
  ) {}

  async execute({ metadata, issuer }: SignCheckpoint): Promise<SignedCheckpoint> {
    await this.access.check(issuer, () => AccessControl.systemAdmin('签署变更历史检查点'));
    const loaded = await this.runner.load(integrityLogDecider, INTEGRITY_LOG_STREAM);
    const head = await this.log.head();
    const latest = loaded.state.latest;
    if (!hasNewContent(latest, head)) {
      if (latest === null) return { signed: false, origin: this.key.name, size: 0, rootHash: '', note: '' };
      const doc = await this.log.checkpoint(latest.size);
      return { signed: false, origin: this.key.name, ...latest, note: doc?.note ?? '' };
    }
    let command: Extract<IntegrityLogCommand, { type: 'SignCheckpoint' }> | null = null;
    await this.runner.run(
      integrityLogDecider,
      INTEGRITY_LOG_STREAM,
      async (state) => (command = await this.signing(state, head)),
      metadata,
      loaded,
    );
    const { origin, size, rootHash, note } = command!.data;
    return { signed: true, origin, size, rootHash, note };
  }

  private async signing(
    state: IntegrityLogState,
    head: LogHead,
  ): Promise<Extract<IntegrityLogCommand, { type: 'SignCheckpoint' }>> {
    const checkpoint = {
      origin: this.key.name,
      size: head.size,
      rootHash: head.rootHash,
      extensions: [`time ${this.clock.now().toISOString()}`],
    };
    return {
      type: 'SignCheckpoint',
      data: {
        origin: this.key.name,
        size: head.size,
        rootHash: head.rootHash.toString('hex'),
        note: signCheckpoint(checkpoint, this.key),
        extends: await this.provenExtension(state.latest, head),
      },
    };
  }

  /** The latest checkpoint if the head provably extends it; null otherwise (the decider then refuses). */
  private async provenExtension(latest: CheckpointHead | null, head: LogHead): Promise<CheckpointHead | null> {
    if (latest === null || head.size < latest.size) return null;
    const path = latest.size === head.size ? [] : await this.log.consistencyPath(latest.size, head.size);
    const oldRoot = Buffer.from(latest.rootHash, 'hex');
    return verifyConsistency(latest.size, head.size, path, oldRoot, head.rootHash) ? latest : null;
  }
}

const malformed = (message: string) => new RuleViolation('COSIGNATURE_INVALID', 'unprocessable', message);

export class CosignCheckpointHandler implements BusCommandHandler<CosignCheckpoint> {
  constructor(
    private readonly runner: DeciderCommandRunner,
    private readonly origin: string,
    private readonly witnesses: readonly Witness[],
    private readonly access: AccessControl,
  ) {}

  async execute({ note, metadata, issuer }: CosignCheckpoint) {
    // The witness's signature is what counts; any principal may bring it.
    if (issuer.kind === 'PRINCIPAL') authorizeWitnessRead(this.access, issuer.principal);
    const text = noteText(note);
    const checkpoint = parseCheckpoint(text);
    if (!checkpoint || checkpoint.origin !== this.origin)
      throw malformed(`联署的内容不是本平台（${this.origin}）的检查点`);
    // The signature line of the first configured witness that signed this very text.
    const witness = this.witnesses.find((w) => openNote(note, w) !== null);
    if (!witness)
      throw new RuleViolation(
        'WITNESS_UNKNOWN',
        'forbidden',
        '联署签名不属于任何已配置的见证方（INTEGRITY_WITNESS_KEYS），或签名无效',
      );
    const signature = splitNote(note).signatures.find((line) => line.startsWith(`— ${witness.name} `))!;
    const { size } = checkpoint;
    const rootHash = checkpoint.rootHash.toString('hex');
    const outcome = await this.runner.run(
      integrityLogDecider,
      INTEGRITY_LOG_STREAM,
      {
        type: 'CosignCheckpoint',
        data: {
          origin: this.origin,
          size,
          rootHash,
          witness: witness.name,
          signature,
        },
      },
      metadata,
    );
    return { size, rootHash, witness: witness.name, recorded: outcome.events.length > 0 };
  }
}

function noteText(note: string): string {
  try {
    return splitNote(note).text;
  } catch {
    throw malformed('联署的内容不是签名注记（signed note）：缺少签名前的空行');
  }
}
