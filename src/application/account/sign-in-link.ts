/**
 * A one-time sign-in link (issue 24): on the embedded default, where no SSO stands in front of the
 * service, the operator prints one for an account with the CLI. Using it records the account's
 * sign-in, and the first sign-in activates a new account (000:9), so that a newly opened account
 * can be used without a gateway. The link's id is the sign-in's signal id: a second use finds it
 * recorded and is refused. A sign-in through the SSO records the same way, its signal id drawn
 * from the ID token.
 */
import { accountDecider, accountStream } from '../../domain/account/account.decider';
import { RuleViolation } from '../../domain/shared/domain-error';
import { BusCommand, type BusCommandHandler, byPlatform, type CommandBus } from '../commands/command-bus';
import { loadAggregate } from '../commands/decider-command-runner';
import type { Clock } from '../ports/clock.port';
import type { EventStore } from '../ports/event-store.port';
import { ExecuteAccountCommand } from './account.commands';

export interface SignedIn {
  readonly accountId: string;
  /** This sign-in was the account's first: it activated the account. */
  readonly activated: boolean;
}

export class SignInWithLink extends BusCommand<SignedIn> {
  constructor(
    /** As the verified link names them: the account, and the link's own id. */
    readonly accountId: string,
    readonly linkId: string,
  ) {
    super();
  }
}

/** A sign-in through the SSO (OpenID Connect): the issuer vouched for the account; one ID token, one sign-in. */
export class SignInThroughSso extends BusCommand<SignedIn> {
  constructor(
    readonly accountId: string,
    /** Derived from the ID token: the same token brought back twice records one sign-in. */
    readonly signInId: string,
  ) {
    super();
  }
}

/** Records the account's own sign-in (the first activates it, 000:9); refused when its signal is already recorded. */
abstract class AccountSignIn {
  constructor(
    private readonly commands: CommandBus,
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly jurisdiction: string,
  ) {}

  protected async signIn(
    accountId: string,
    signalId: string,
    client: string,
    sourceRef: string,
    used: () => RuleViolation,
  ): Promise<SignedIn> {
    const { state } = await loadAggregate(this.store, accountDecider, accountStream(accountId));
    if (state.status === 'NONE')
      throw new RuleViolation('ACCOUNT_NOT_FOUND', 'unprocessable', `账号 ${accountId} 不存在`, { accountId });
    // The account signs itself in; what let it (the link, the SSO) is named as the record's source.
    const actor = { accountId, personId: state.personId ?? undefined, role: state.type };
    const metadata = { actor, jurisdiction: this.jurisdiction, sourceRef };
    const at = this.clock.now().toISOString();
    const request = { type: 'RecordSignIn' as const, data: { accountId, signalId, at, client } };
    const outcome = await this.commands.execute(new ExecuteAccountCommand(request, metadata, byPlatform(client)));
    if (outcome.events.length === 0) throw used();
    return { accountId, activated: outcome.events.some((event) => event.type === 'AccountActivated') };
  }
}

export class SignInWithLinkHandler extends AccountSignIn implements BusCommandHandler<SignInWithLink> {
  execute({ accountId, linkId }: SignInWithLink): Promise<SignedIn> {
    return this.signIn(
      accountId,
      `link-${linkId}`,
      'sign-in-link',
      `sign-in-link:${linkId}`,
      () => new RuleViolation('SIGN_IN_LINK_USED', 'conflict', '该登录链接已经用过，请向管理员重新获取', { accountId }),
    );
  }
}

export class SignInThroughSsoHandler extends AccountSignIn implements BusCommandHandler<SignInThroughSso> {
  execute({ accountId, signInId }: SignInThroughSso): Promise<SignedIn> {
    return this.signIn(
      accountId,
      `sso-${signInId}`,
      'sso',
      `sso:${signInId}`,
      () =>
        new RuleViolation('SSO_SIGN_IN_REPLAYED', 'conflict', '该统一身份认证登录已经用过，请重新登录', { accountId }),
    );
  }
}
