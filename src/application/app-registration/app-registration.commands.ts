import type { AppCommand, AppEvent } from '../../domain/app-registration/app-registration.decider';
import { AggregateCommand } from '../commands/command-bus';
import type { CommandOutcome } from '../commands/decider-command-runner';

type WithoutFacts<C> = C extends { type: infer T; data: infer D }
  ? { type: T; data: Omit<D, 'reviewDueOn' | 'nodeStatus'> }
  : never;

/** An app command as an issuer sends it: the handler adds the review's due date and the owning unit's status. */
export type AppRequest = WithoutFacts<AppCommand>;
export type AppRequestData<T extends AppRequest['type']> = Extract<AppRequest, { type: T }>['data'];

/** Any command on one app registration's stream (RequestAppAccess … DeregisterApp). */
export class ExecuteAppCommand extends AggregateCommand<AppRequest, CommandOutcome<AppEvent>> {}
