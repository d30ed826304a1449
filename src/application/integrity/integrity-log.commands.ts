/** The integrity log's commands on the bus: sign a checkpoint of the Merkle log now, record a witness's cosignature. */
import { BusCommand, type Issuer } from '../commands/command-bus';
import type { CommandMetadata } from '../commands/decider-command-runner';

export interface SignedCheckpoint {
  /** False when the latest checkpoint already covers every event (nothing new to sign). */
  readonly signed: boolean;
  readonly origin: string;
  readonly size: number;
  readonly rootHash: string;
  /** The signed note ('' when nothing was ever signed). */
  readonly note: string;
}

/** Signs the Merkle log's current head if it holds events the latest checkpoint does not cover. */
export class SignCheckpoint extends BusCommand<SignedCheckpoint> {
  constructor(
    readonly metadata: CommandMetadata,
    readonly issuer: Issuer,
  ) {
    super();
  }
}

/** A witness's cosignature: the checkpoint's note with the witness's signature line added. */
export interface Cosignature {
  readonly size: number;
  readonly rootHash: string;
  readonly witness: string;
  /** False when this witness had already cosigned it. */
  readonly recorded: boolean;
}

export class CosignCheckpoint extends BusCommand<Cosignature> {
  constructor(
    readonly note: string,
    readonly metadata: CommandMetadata,
    readonly issuer: Issuer,
  ) {
    super();
  }
}
