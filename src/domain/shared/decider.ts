/**
 * An aggregate is a decider (after event-driven-io/emmett): `decide` turns a command and the current
 * state into events or throws a typed DomainError; `evolve` folds an event into the state. Time,
 * the actor and the effective date come in through the context; the domain never reads a clock.
 */
import type { Actor } from './actor';

/** A domain event: a discriminated union member with plain-JSON data. */
export interface DomainEvent<Type extends string = string, Data extends object = object> {
  readonly type: Type;
  readonly data: Data;
}

export interface DomainCommand<Type extends string = string, Data extends object = object> {
  readonly type: Type;
  readonly data: Data;
}

export interface DecisionContext {
  /** When the decision is taken and recorded (the application's clock). */
  readonly now: Date;
  /** When the change happened in reality (业务发生日期), ISO 8601; may lie in the past or the future. */
  readonly effectiveAt: string;
  readonly actor: Actor;
}

export interface Decider<Command extends DomainCommand, Event extends DomainEvent, State> {
  readonly initialState: () => State;
  readonly decide: (command: Command, state: State, context: DecisionContext) => readonly Event[];
  readonly evolve: (state: State, event: Event) => State;
}

export function fold<Event extends DomainEvent, State>(
  decider: Pick<Decider<DomainCommand, Event, State>, 'initialState' | 'evolve'>,
  events: readonly Event[],
): State {
  return events.reduce(decider.evolve, decider.initialState());
}
