import { requestDecider, type RequestState, requestStream } from '../../domain/request/request.decider';
import { AccessControl } from '../access/access-control';
import { loadAggregate } from '../commands/decider-command-runner';
import type { EventStore } from '../ports/event-store.port';
import { type BusQueryHandler, PrincipalQuery } from '../queries/query-bus';
import { reviewerPermission } from './request-reviewers';

/**
 * A request as recorded: for its applicant, the admins of its unit, the reviewers of any of its
 * steps and system admins; for anyone else it does not exist (404, not 403).
 */
export class GetRequest extends PrincipalQuery<{
  request: Exclude<RequestState, { status: 'NONE' }> | null;
  revision: bigint | null;
}> {
  constructor(
    principal: ConstructorParameters<typeof PrincipalQuery>[0],
    readonly requestId: string,
  ) {
    super(principal);
  }
}

export class GetRequestHandler implements BusQueryHandler<GetRequest> {
  constructor(
    private readonly store: EventStore,
    private readonly access: AccessControl,
  ) {}

  async execute({ principal, requestId }: GetRequest) {
    this.access.authorize(principal, { kind: 'AUTHENTICATED' });
    const { state, revision } = await loadAggregate(this.store, requestDecider, requestStream(requestId));
    if (state.status === 'NONE') return { request: null, revision: null };
    const applicant = principal.kind === 'ACCOUNT' && principal.account.accountId === state.applicant.accountId;
    const readers = [
      await this.access.unit('查看申请', [state.orgNodeId]),
      ...(await Promise.all(
        state.route.map((step) =>
          reviewerPermission(this.access, { name: step.name, adminOf: step.reviewer.adminOf }, state.orgNodeId),
        ),
      )),
    ];
    if (!applicant && !this.access.allows(principal, AccessControl.anyOf(...readers)))
      return { request: null, revision: null };
    return { request: state, revision };
  }
}
