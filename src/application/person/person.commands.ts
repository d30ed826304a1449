import type { PersonCommand, PersonEvent } from '../../domain/person/person.decider';
import { AggregateCommand, BusCommand, type Issuer } from '../commands/command-bus';
import type { CommandMetadata, CommandOutcome } from '../commands/decider-command-runner';

type WithoutFacts<C> = C extends { type: infer T; data: infer D } ? { type: T; data: Omit<D, 'nodes'> } : never;

/** A person command as an issuer sends it: without the node facts, which the handler resolves. */
export type PersonRequest = WithoutFacts<PersonCommand>;
export type PersonRequestData<T extends PersonRequest['type']> = Extract<PersonRequest, { type: T }>['data'];

/** Any command on one person's stream (RegisterPerson … SetContactMode). */
export class ExecutePersonCommand extends AggregateCommand<PersonRequest, CommandOutcome<PersonEvent>> {}

/** One registration's answer in RegisterNewPeople: its outcome, or why it was refused. */
export type RegistrationResult = { readonly outcome: CommandOutcome<PersonEvent> } | { readonly refused: unknown };

/**
 * Registrations of people planned as new (the bulk import's rows, validated whole first), decided
 * and reserved together so that their appends share the store's commits; each answers on its own.
 */
export class RegisterNewPeople extends BusCommand<RegistrationResult[]> {
  constructor(
    readonly registrations: ReadonlyArray<{
      readonly data: PersonRequestData<'RegisterPerson'>;
      readonly effectiveAt?: string;
    }>,
    readonly metadata: CommandMetadata,
    readonly issuer: Issuer,
  ) {
    super();
  }
}
