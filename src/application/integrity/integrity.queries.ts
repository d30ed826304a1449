/** Whether the history is intact: the hash chain recomputed over every event (system admins). */
import { AccessControl } from '../access/access-control';
import type { EventStore } from '../ports/event-store.port';
import { type BusQueryHandler, PrincipalQuery } from '../queries/query-bus';
import { verifyChain } from './hash-chain';

export class VerifyIntegrity extends PrincipalQuery<Awaited<ReturnType<typeof verifyChain>>> {}

export class VerifyIntegrityHandler implements BusQueryHandler<VerifyIntegrity> {
  constructor(
    private readonly events: EventStore,
    private readonly access: AccessControl,
  ) {}

  execute({ principal }: VerifyIntegrity) {
    this.access.authorize(principal, AccessControl.systemAdmin('校验事件哈希链'));
    return verifyChain(this.events);
  }
}
