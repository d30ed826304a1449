/**
 * Whether the history is intact (system admins and auditors): the embedded store's hash chain
 * recomputed over every event, and the Merkle log checked against the events and against every
 * checkpoint signed over it (log-verification.ts).
 */
import { type AccessControl } from '../access/access-control';
import type { EventStore } from '../ports/event-store.port';
import { type BusQueryHandler, PrincipalQuery } from '../queries/query-bus';
import { type ChainVerification, verifyChain } from './hash-chain';
import { type LogVerification, verifyLog } from './log-verification';
import type { IntegrityProofs } from './proofs.queries';

export type IntegrityVerification = ChainVerification & { readonly log: LogVerification };

export class VerifyIntegrity extends PrincipalQuery<IntegrityVerification> {}

export class VerifyIntegrityHandler implements BusQueryHandler<VerifyIntegrity> {
  constructor(
    private readonly events: EventStore,
    private readonly proofs: IntegrityProofs,
    private readonly access: AccessControl,
  ) {}

  async execute({ principal }: VerifyIntegrity): Promise<IntegrityVerification> {
    const within = this.access.readScope(principal, 'AUDITOR', '校验变更历史的完整性');
    const chain = await verifyChain(this.events);
    const log = await verifyLog(this.events, this.proofs.log, this.proofs.key);
    const verification = { ...chain, ok: chain.ok && log.ok, log };
    if (within === null) return verification;
    // A scoped auditor learns where the history breaks, not whose stream it is.
    const { firstBreak } = chain;
    const { firstMismatch } = log;
    return {
      ...verification,
      firstBreak: firstBreak && { ...firstBreak, streamId: '', type: '' },
      log: { ...log, firstMismatch: firstMismatch && { ...firstMismatch, streamId: '', type: '' } },
    };
  }
}
