import {
  appRegistrationDecider,
  type AppState,
  appStream,
} from '../../domain/app-registration/app-registration.decider';
import { AccessControl } from '../access/access-control';
import { loadAggregate } from '../commands/decider-command-runner';
import type { EventStore } from '../ports/event-store.port';
import { type BusQueryHandler, PrincipalQuery } from '../queries/query-bus';

/** An app registration with its authorizations: for the admins of its unit and for its own temporary accounts. */
export class GetApp extends PrincipalQuery<{
  app: Exclude<AppState, { status: 'NONE' }> | null;
  revision: bigint | null;
}> {
  constructor(
    principal: ConstructorParameters<typeof PrincipalQuery>[0],
    readonly appId: string,
  ) {
    super(principal);
  }
}

export class GetAppHandler implements BusQueryHandler<GetApp> {
  constructor(
    private readonly store: EventStore,
    private readonly access: AccessControl,
  ) {}

  async execute({ principal, appId }: GetApp) {
    const { state, revision } = await loadAggregate(this.store, appRegistrationDecider, appStream(appId));
    this.access.authorize(principal, { kind: 'AUTHENTICATED' });
    const ofUnit = await this.access.unit('查看应用', state.status === 'NONE' ? [] : [state.owningOrgNodeId]);
    // For anyone but its unit's admins and its own temporary accounts the app does not exist (404, not 403).
    if (!this.access.allows(principal, AccessControl.anyOf(ofUnit, { kind: 'APP_INTEGRATION', appId })))
      return { app: null, revision: null };
    return { app: state.status === 'NONE' ? null : state, revision };
  }
}
