/**
 * A decider is the whole of an aggregate's behaviour as three pure functions: no
 * framework, no I/O, time and prices passed in. Events are past-tense facts,
 * commands imperatives, both `{ type, data }`.
 */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
}

export interface Decider<Command extends { type: string }, Event extends DomainEvent, State> {
  initialState(): State;
  evolve(state: State, event: Event): State;
  /** The events the command causes, or a thrown DomainError when the state forbids it. */
  decide(command: Command, state: State): Event[];
}

export const fold = <Event, State>(
  evolve: (s: State, e: Event) => State,
  initial: State,
  events: readonly Event[],
): State => events.reduce(evolve, initial);

export function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}

/** A command addressed to one stream: the unit of the bulk write path. */
export interface StreamCommand<Command> {
  readonly streamId: string;
  readonly command: Command;
}
