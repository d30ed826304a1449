import type { PersonCommand, PersonEvent } from '../../domain/person/person.decider';
import { AggregateCommand } from '../commands/command-bus';
import type { CommandOutcome } from '../commands/decider-command-runner';

type WithoutFacts<C> = C extends { type: infer T; data: infer D } ? { type: T; data: Omit<D, 'nodes'> } : never;

/** A person command as an issuer sends it: without the node facts, which the handler resolves. */
export type PersonRequest = WithoutFacts<PersonCommand>;
export type PersonRequestData<T extends PersonRequest['type']> = Extract<PersonRequest, { type: T }>['data'];

/** Any command on one person's stream (RegisterPerson … SetContactMode). */
export class ExecutePersonCommand extends AggregateCommand<PersonRequest, CommandOutcome<PersonEvent>> {}
