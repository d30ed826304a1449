import type { AccountCommand, AccountEvent } from '../../domain/account/account.decider';
import { AggregateCommand } from '../commands/command-bus';
import type { CommandOutcome } from '../commands/decider-command-runner';

type WithoutFacts<C> = C extends { type: infer T; data: infer D }
  ? { type: T; data: Omit<D, 'facts' | 'nodeStatus'> }
  : never;

/** An account command as an issuer sends it: without the facts (person, app, node status) the handler resolves. */
export type AccountRequest = WithoutFacts<AccountCommand>;
export type AccountRequestData<T extends AccountRequest['type']> = Extract<AccountRequest, { type: T }>['data'];

/** Any command on one account's stream (OpenAccount … RecordPasswordChange). */
export class ExecuteAccountCommand extends AggregateCommand<AccountRequest, CommandOutcome<AccountEvent>> {}
