/**
 * Reading the verifiable history (issue 22): the signed checkpoints and the verifier key (any
 * signed-in principal: they say how many events there are and the root hash, nothing about any
 * one of them — and they are published to every subscriber anyway); consistency proofs between two
 * checkpoints (hashes only: what a witness asks for); and inclusion proofs of one event, which
 * name the event's stream and type, so for those who may audit the whole jurisdiction only. A
 * proof carries the event's data with personal fields withheld unless asked for in full by a
 * system admin: the leaf is over the data's digest, so a proof holds either way.
 */
import { AccessDenied, type Principal } from '../../domain/access/access-policy';
import type { AccessControl } from '../access/access-control';
import type { EventStore } from '../ports/event-store.port';
import { withholdPersonalData } from '../published-events/public-event';
import { type BusQueryHandler, PrincipalQuery } from '../queries/query-bus';
import { type CheckpointKey, verifierKey } from './checkpoint';
import { ENTRY_FORMAT, entryDigests, loggedEvent } from './log-entry';
import type { CheckpointDoc, LeafDoc, MerkleLogReader } from './merkle-log';

export const PROOF_FORMAT = 'gov-collab/proof/v1';

export class IntegrityProofError extends Error {
  constructor(
    readonly code:
      | 'CHECKPOINT_NOT_FOUND'
      | 'EVENT_NOT_FOUND'
      | 'EVENT_NOT_YET_CHECKPOINTED'
      | 'EVENT_NOT_IN_CHECKPOINT'
      | 'INVALID_PROOF_REQUEST',
    message: string,
  ) {
    super(message);
  }
}

export interface InclusionProofFile {
  readonly format: typeof PROOF_FORMAT;
  readonly kind: 'inclusion';
  readonly entryFormat: typeof ENTRY_FORMAT;
  readonly event: {
    readonly eventId: string;
    readonly streamId: string;
    readonly revision: string;
    readonly type: string;
    readonly dataDigest: string;
    readonly metadataDigest: string;
    readonly data: unknown;
    readonly metadata: unknown;
    /** Paths of `data` left out (personal fields); when empty, `data` is the stored data in full. */
    readonly withheld: readonly string[];
  };
  readonly leafIndex: number;
  readonly treeSize: number;
  readonly leafHash: string;
  readonly inclusionPath: readonly string[];
  readonly rootHash: string;
  /** The signed checkpoint of `treeSize` (a C2SP signed note). */
  readonly checkpoint: string;
  readonly verifierKey: string;
}

export interface ConsistencyProofFile {
  readonly format: typeof PROOF_FORMAT;
  readonly kind: 'consistency';
  readonly first: number;
  readonly second: number;
  readonly firstHash: string;
  readonly secondHash: string;
  readonly consistencyPath: readonly string[];
  readonly firstCheckpoint: string;
  readonly secondCheckpoint: string;
  readonly verifierKey: string;
}

/**
 * Checkpoints and consistency proofs are for any signed-in account and any service credential the
 * platform issued (subscribers, witnesses, the gateway): they are what witnesses keep.
 */
export function authorizeWitnessRead(access: AccessControl, principal: Principal): void {
  if (principal.kind !== 'SERVICE') access.authorize(principal, { kind: 'AUTHENTICATED' });
}

const hexes = (hashes: readonly Buffer[]) => hashes.map((h) => h.toString('hex'));

function sizeOf(value: string | number | undefined, field: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const size = Number(value);
  if (!Number.isSafeInteger(size) || size < 1)
    throw new IntegrityProofError('INVALID_PROOF_REQUEST', `${field} 应为检查点的事件数（正整数）`);
  return size;
}

/** What the proofs need: the stored tree, the events, the key that signs. */
export class IntegrityProofs {
  constructor(
    readonly log: MerkleLogReader,
    private readonly events: EventStore,
    readonly key: CheckpointKey,
  ) {}

  get verifierKey(): string {
    return verifierKey(this.key);
  }

  async checkpoint(size: number | undefined): Promise<CheckpointDoc> {
    const doc = size === undefined ? await this.log.latestCheckpoint() : await this.log.checkpoint(size);
    if (!doc)
      throw new IntegrityProofError(
        'CHECKPOINT_NOT_FOUND',
        size === undefined ? '尚未签署任何检查点' : `没有第 ${size} 个事件处的检查点`,
      );
    return doc;
  }

  async inclusion(eventId: string, atSize: number | undefined, full: boolean): Promise<InclusionProofFile> {
    const leaf = await this.log.leafOf(eventId);
    if (!leaf)
      throw new IntegrityProofError('EVENT_NOT_FOUND', `变更历史中没有事件 ${eventId}（或尚未整合进默克尔日志）`);
    const checkpoint = await this.checkpoint(atSize);
    if (checkpoint.size <= leaf.index)
      throw atSize === undefined
        ? new IntegrityProofError('EVENT_NOT_YET_CHECKPOINTED', `事件 ${eventId} 尚未被已签署的检查点覆盖，请稍后再试`)
        : new IntegrityProofError('EVENT_NOT_IN_CHECKPOINT', `第 ${atSize} 个事件处的检查点不包含事件 ${eventId}`);
    const stored = await this.storedEvent(leaf);
    const { data, withheld } = full
      ? { data: stored.data, withheld: [] }
      : withholdPersonalData(stored.data, new Set());
    return {
      format: PROOF_FORMAT,
      kind: 'inclusion',
      entryFormat: ENTRY_FORMAT,
      event: { ...stored, ...entryDigests(stored), data, withheld },
      leafIndex: leaf.index,
      treeSize: checkpoint.size,
      leafHash: leaf.hash,
      inclusionPath: hexes(await this.log.inclusionPath(leaf.index, checkpoint.size)),
      rootHash: checkpoint.rootHash,
      checkpoint: checkpoint.note,
      verifierKey: this.verifierKey,
    };
  }

  /** The event of a leaf, read from the store where the leaf says it is. */
  private async storedEvent(leaf: LeafDoc) {
    const [event] = await this.events.readStream(leaf.streamId, { from: BigInt(leaf.revision), maxCount: 1 });
    if (event?.eventId !== leaf.eventId)
      throw new IntegrityProofError('EVENT_NOT_FOUND', `变更历史中没有事件 ${leaf.eventId}`);
    return loggedEvent(event);
  }

  async consistency(from: number, to: number): Promise<ConsistencyProofFile> {
    if (from > to) throw new IntegrityProofError('INVALID_PROOF_REQUEST', 'from 应不大于 to');
    const [first, second] = [await this.checkpoint(from), await this.checkpoint(to)];
    return {
      format: PROOF_FORMAT,
      kind: 'consistency',
      first: first.size,
      second: second.size,
      firstHash: first.rootHash,
      secondHash: second.rootHash,
      consistencyPath: hexes(from === to ? [] : await this.log.consistencyPath(from, to)),
      firstCheckpoint: first.note,
      secondCheckpoint: second.note,
      verifierKey: this.verifierKey,
    };
  }
}

export class GetCheckpoint extends PrincipalQuery<CheckpointDoc & { verifierKey: string }> {
  constructor(
    principal: Principal,
    readonly size?: string | number,
  ) {
    super(principal);
  }
}

export class GetCheckpointHandler implements BusQueryHandler<GetCheckpoint> {
  constructor(
    private readonly proofs: IntegrityProofs,
    private readonly access: AccessControl,
  ) {}

  async execute({ principal, size }: GetCheckpoint) {
    authorizeWitnessRead(this.access, principal);
    return { ...(await this.proofs.checkpoint(sizeOf(size, 'size'))), verifierKey: this.proofs.verifierKey };
  }
}

export class ProveConsistency extends PrincipalQuery<ConsistencyProofFile> {
  constructor(
    principal: Principal,
    readonly from: string | number | undefined,
    readonly to: string | number | undefined,
  ) {
    super(principal);
  }
}

export class ProveConsistencyHandler implements BusQueryHandler<ProveConsistency> {
  constructor(
    private readonly proofs: IntegrityProofs,
    private readonly access: AccessControl,
  ) {}

  async execute({ principal, from, to }: ProveConsistency) {
    authorizeWitnessRead(this.access, principal);
    const first = sizeOf(from, 'from');
    if (first === undefined) throw new IntegrityProofError('INVALID_PROOF_REQUEST', '请给出 from：较早检查点的事件数');
    const second = sizeOf(to, 'to') ?? (await this.proofs.checkpoint(undefined)).size;
    return this.proofs.consistency(first, second);
  }
}

export class ProveInclusion extends PrincipalQuery<InclusionProofFile> {
  constructor(
    principal: Principal,
    readonly eventId: string,
    readonly checkpoint?: string | number,
    /** The stored data in full, personal fields included (system admins only). */
    readonly full = false,
  ) {
    super(principal);
  }
}

export class ProveInclusionHandler implements BusQueryHandler<ProveInclusion> {
  constructor(
    private readonly proofs: IntegrityProofs,
    private readonly access: AccessControl,
  ) {}

  async execute({ principal, eventId, checkpoint, full }: ProveInclusion) {
    const scope = this.access.readScope(principal, 'AUDITOR', '取得事件的包含证明');
    if (scope !== null || (full && !(principal.kind === 'ACCOUNT' && principal.account.type === 'SYSTEM_ADMIN')))
      throw new AccessDenied(
        'PROOF_NOT_ALLOWED',
        full ? '含个人信息全文的证明只有系统管理员可以取得' : '事件的包含证明只向全辖区的审计员和系统管理员提供',
      );
    if (!eventId) throw new IntegrityProofError('INVALID_PROOF_REQUEST', '请给出 eventId');
    return this.proofs.inclusion(eventId, sizeOf(checkpoint, 'checkpoint'), full);
  }
}
