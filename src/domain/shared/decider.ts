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

/**
 * The list of an aggregate's event types, written as a record so that the compiler checks it is
 * exhaustive: adding an event to the union without listing it here does not compile.
 */
export function eventTypes<Event extends DomainEvent>(all: Record<Event['type'], true>): ReadonlyArray<Event['type']> {
  return Object.keys(all) as Array<Event['type']>;
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

/**
 * A decider that takes several commands at once and decides them in order, each on the state
 * the previous ones lead to; all or nothing (bulk import appends a whole tree in one go).
 */
export function batchOf<Command extends DomainCommand, Event extends DomainEvent, State>(
  decider: Decider<Command, Event, State>,
): Decider<DomainCommand<'Batch', { commands: readonly Command[] }>, Event, State> {
  return {
    initialState: decider.initialState,
    evolve: decider.evolve,
    decide(batch, state, context) {
      const events: Event[] = [];
      let current = state;
      for (const command of batch.data.commands) {
        for (const event of decider.decide(command, current, context)) {
          events.push(event);
          current = decider.evolve(current, event);
        }
      }
      return events;
    },
  };
}
