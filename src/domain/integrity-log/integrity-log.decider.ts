/**
 * The integrity log (可验证的变更历史, issue 22), stream `IntegrityLog`: the checkpoints signed over
 * the Merkle log of the whole history and the witnesses' cosignatures. A checkpoint names a tree
 * size and root hash and carries the signed note (c2sp.org/tlog-checkpoint) as the platform's key
 * signed it; the platform proves each new checkpoint consistent with the one before before it
 * signs (the handler does, with the stored tree), so the chain of checkpoints never forks.
 *
 * Cryptography stays outside: the handler signs, and checks a witness's signature, before deciding.
 */
import { eventTypes, type Decider } from '../shared/decider';
import { RuleViolation } from '../shared/domain-error';

export const INTEGRITY_LOG_STREAM = 'IntegrityLog';

/** Checkpoints a witness may still cosign: the latest ones (a witness cosigns what it has just seen). */
export const COSIGNABLE_CHECKPOINTS = 256;

export interface CheckpointHead {
  readonly size: number;
  /** Hex. */
  readonly rootHash: string;
}

export interface IntegrityLogState {
  readonly latest: CheckpointHead | null;
  readonly recent: ReadonlyArray<CheckpointHead & { readonly cosigners: readonly string[] }>;
}

export type IntegrityLogCommand =
  | {
      type: 'SignCheckpoint';
      data: CheckpointHead & {
        origin: string;
        note: string;
        /** The checkpoint the handler proved this one consistent with (null: the first). */
        extends: CheckpointHead | null;
      };
    }
  | {
      type: 'CosignCheckpoint';
      data: CheckpointHead & { origin: string; witness: string; signature: string };
    };

export type IntegrityLogEvent =
  | { type: 'CheckpointSigned'; data: CheckpointHead & { origin: string; note: string } }
  | { type: 'CheckpointCosigned'; data: CheckpointHead & { origin: string; witness: string; signature: string } };

export const INTEGRITY_LOG_EVENT_TYPES = eventTypes<IntegrityLogEvent>({
  CheckpointSigned: true,
  CheckpointCosigned: true,
});

const sameHead = (a: CheckpointHead | null, b: CheckpointHead | null) =>
  a === b || (a !== null && b !== null && a.size === b.size && a.rootHash === b.rootHash);

function decide(command: IntegrityLogCommand, state: IntegrityLogState): IntegrityLogEvent[] {
  switch (command.type) {
    case 'SignCheckpoint': {
      const { origin, size, rootHash, note } = command.data;
      if (sameHead(state.latest, { size, rootHash })) return [];
      if (state.latest !== null && size <= state.latest.size)
        throw new RuleViolation(
          'CHECKPOINT_NOT_NEWER',
          'conflict',
          `已签署至第 ${state.latest.size} 个事件的检查点，不能再签署第 ${size} 个事件的检查点`,
          { latest: state.latest.size, size },
        );
      if (!sameHead(state.latest, command.data.extends))
        throw new RuleViolation(
          'CHECKPOINT_FORK',
          'conflict',
          '新的检查点未能证明与上一个已签署的检查点一致（历史可能被改写），已拒绝签署',
          { latest: state.latest, extends: command.data.extends },
        );
      return [{ type: 'CheckpointSigned', data: { origin, size, rootHash, note } }];
    }
    case 'CosignCheckpoint': {
      const { size, rootHash, witness } = command.data;
      const checkpoint = state.recent.find((c) => c.size === size);
      if (!checkpoint || checkpoint.rootHash !== rootHash)
        throw new RuleViolation(
          'CHECKPOINT_UNKNOWN',
          'unprocessable',
          `没有可联署的第 ${size} 个事件的检查点（只能联署最近 ${COSIGNABLE_CHECKPOINTS} 个检查点之一，且根哈希须一致）`,
          { size },
        );
      if (checkpoint.cosigners.includes(witness)) return [];
      return [{ type: 'CheckpointCosigned', data: command.data }];
    }
  }
}

function evolve(state: IntegrityLogState, event: IntegrityLogEvent): IntegrityLogState {
  switch (event.type) {
    case 'CheckpointSigned': {
      const head = { size: event.data.size, rootHash: event.data.rootHash };
      return { latest: head, recent: [...state.recent, { ...head, cosigners: [] }].slice(-COSIGNABLE_CHECKPOINTS) };
    }
    case 'CheckpointCosigned':
      return {
        ...state,
        recent: state.recent.map((c) =>
          c.size === event.data.size ? { ...c, cosigners: [...c.cosigners, event.data.witness] } : c,
        ),
      };
  }
}

export const integrityLogDecider: Decider<IntegrityLogCommand, IntegrityLogEvent, IntegrityLogState> = {
  initialState: () => ({ latest: null, recent: [] }),
  decide,
  evolve,
};
