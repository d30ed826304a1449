/** Whether the history is intact: the hash chain recomputed over every event (system admins and auditors). */
import { type AccessControl } from '../access/access-control';
import type { EventStore } from '../ports/event-store.port';
import { type BusQueryHandler, PrincipalQuery } from '../queries/query-bus';
import { verifyChain } from './hash-chain';

export class VerifyIntegrity extends PrincipalQuery<Awaited<ReturnType<typeof verifyChain>>> {}

export class VerifyIntegrityHandler implements BusQueryHandler<VerifyIntegrity> {
  constructor(
    private readonly events: EventStore,
    private readonly access: AccessControl,
  ) {}

  async execute({ principal }: VerifyIntegrity) {
    const within = this.access.readScope(principal, 'AUDITOR', '校验事件哈希链');
    const verification = await verifyChain(this.events);
    const { firstBreak } = verification;
    // A scoped auditor learns where the chain breaks, not whose stream it is.
    if (within === null || firstBreak === null) return verification;
    return { ...verification, firstBreak: { ...firstBreak, streamId: '', type: '' } };
  }
}
