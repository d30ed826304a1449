/**
 * A one-time sign-in link (issue 24): on the embedded default, where no SSO stands in front of the
 * service, the operator prints one for an account with the CLI. Using it records the account's
 * sign-in, and the first sign-in activates a new account (000:9), so that a newly opened account
 * can be used without a gateway. The link's id is the sign-in's signal id: a second use finds it
 * recorded and is refused.
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

export class SignInWithLinkHandler implements BusCommandHandler<SignInWithLink> {
  constructor(
    private readonly commands: CommandBus,
    private readonly store: EventStore,
    private readonly clock: Clock,
    private readonly jurisdiction: string,
  ) {}

  async execute({ accountId, linkId }: SignInWithLink): Promise<SignedIn> {
    const { state } = await loadAggregate(this.store, accountDecider, accountStream(accountId));
    if (state.status === 'NONE')
      throw new RuleViolation('ACCOUNT_NOT_FOUND', 'unprocessable', `账号 ${accountId} 不存在`, { accountId });
    // The account signs itself in; the link is what lets it, named as the record's source.
    const actor = { accountId, personId: state.personId ?? undefined, role: state.type };
    const metadata = { actor, jurisdiction: this.jurisdiction, sourceRef: `sign-in-link:${linkId}` };
    const at = this.clock.now().toISOString();
    const request = {
      type: 'RecordSignIn' as const,
      data: { accountId, signalId: `link-${linkId}`, at, client: 'sign-in-link' },
    };
    const outcome = await this.commands.execute(
      new ExecuteAccountCommand(request, metadata, byPlatform('sign-in-link')),
    );
    if (outcome.events.length === 0)
      throw new RuleViolation('SIGN_IN_LINK_USED', 'conflict', '该登录链接已经用过，请向管理员重新获取', { accountId });
    return { accountId, activated: outcome.events.some((event) => event.type === 'AccountActivated') };
  }
}
