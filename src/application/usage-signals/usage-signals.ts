/**
 * Usage signals from the platform's gateway (sign-ins, password changes, group activity), in
 * batches. The gateway is authorized once for the batch; each signal is then its own command on
 * the bus (RecordSignIn, RecordPasswordChange, RecordGroupActivity), recorded at most once, keyed
 * by the sender's event id. A bad signal is rejected alone; the answer lists each signal's outcome.
 */
import type { Principal } from '../../domain/access/access-policy';
import { DomainError } from '../../domain/shared/domain-error';
import { AccessControl } from '../access/access-control';
import { type AccountRequest, ExecuteAccountCommand } from '../account/account.commands';
import { BusCommand, type BusCommandHandler, byPrincipal, type CommandBus } from '../commands/command-bus';
import type { CommandMetadata, CommandOutcome } from '../commands/decider-command-runner';
import { ExecuteWorkGroupCommand, type WorkGroupRequest } from '../work-group/work-group.commands';

export type UsageSignal =
  | { kind: 'ACCOUNT'; signalId: string; at: string; request: AccountRequest }
  | { kind: 'WORK_GROUP'; signalId: string; at: string; request: WorkGroupRequest };

export type SignalOutcome =
  | { signalId: string; outcome: 'RECORDED' | 'DUPLICATE' }
  | { signalId: string; outcome: 'REJECTED'; code: string; message: string };

export interface SignalsAnswer {
  readonly recorded: number;
  readonly duplicates: number;
  readonly rejected: number;
  readonly results: SignalOutcome[];
}

export class RecordUsageSignals extends BusCommand<SignalsAnswer> {
  constructor(
    readonly principal: Principal,
    readonly signals: readonly UsageSignal[],
  ) {
    super();
  }
}

export class RecordUsageSignalsHandler implements BusCommandHandler<RecordUsageSignals> {
  constructor(
    private readonly commands: CommandBus,
    private readonly access: AccessControl,
    private readonly jurisdiction: string,
  ) {}

  async execute({ principal, signals }: RecordUsageSignals): Promise<SignalsAnswer> {
    this.access.authorize(principal, { kind: 'GATEWAY' });
    const actor = AccessControl.actorOf(principal);
    const issuer = byPrincipal(principal);
    const results: SignalOutcome[] = [];
    for (const signal of signals) {
      const metadata: CommandMetadata = {
        actor,
        jurisdiction: this.jurisdiction,
        effectiveAt: signal.at,
        sourceRef: signal.signalId,
      };
      try {
        const command: BusCommand<CommandOutcome> =
          signal.kind === 'ACCOUNT'
            ? new ExecuteAccountCommand(signal.request, metadata, issuer)
            : new ExecuteWorkGroupCommand(signal.request, metadata, issuer);
        const outcome = await this.commands.execute(command);
        results.push({ signalId: signal.signalId, outcome: outcome.events.length > 0 ? 'RECORDED' : 'DUPLICATE' });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        results.push({ signalId: signal.signalId, outcome: 'REJECTED', code: error.code, message: error.message });
      }
    }
    const count = (outcome: SignalOutcome['outcome']) => results.filter((r) => r.outcome === outcome).length;
    return { recorded: count('RECORDED'), duplicates: count('DUPLICATE'), rejected: count('REJECTED'), results };
  }
}
