import type { Decider, DomainEvent } from '../domain/decider';
import { ConcurrencyError } from '../eventstore/errors';
import type { EventStore, ExpectedRevision, NewEvent, RecordedEvent } from '../eventstore/event-store.port';
import type { EventRegistry } from '../events/event-registry';
import type { JsonObject } from '../shared/json';
import { newId } from '../shared/ids';
import type { CommandContext } from './command-context';

export interface Handled<State, Event> {
  readonly state: State;
  readonly events: readonly Event[];
  /** Global position of the last appended event, or null when the command changed nothing. */
  readonly position: bigint | null;
}

/** Domain event + context -> the envelope the store writes. */
export function toNewEvent(
  event: DomainEvent,
  context: CommandContext,
  registry: EventRegistry,
  id: string = newId(),
): NewEvent {
  const definition = registry.get(event.type);
  if (!definition) throw new Error(`event type ${event.type} is not registered`);
  return {
    id,
    type: event.type,
    data: event.data as JsonObject,
    metadata: {
      actor: context.actor,
      correlationId: context.correlationId,
      causationId: context.causationId,
      schemaVersion: definition.schemaVersion,
    },
  };
}

export async function loadStream<Event extends DomainEvent, State>(
  store: EventStore,
  streamId: string,
  decider: Pick<Decider<never, Event, State>, 'initialState' | 'evolve'>,
): Promise<{ state: State; expected: ExpectedRevision; history: RecordedEvent[] }> {
  const history = await store.readStream(streamId);
  const state = history.reduce((s, e) => decider.evolve(s, e as unknown as Event), decider.initialState());
  const expected: ExpectedRevision = history.length === 0 ? 'no-stream' : history[history.length - 1].revision;
  return { state, expected, history };
}

/**
 * Read the stream, fold, decide, append with the expected revision: the whole of a command.
 * `readAt` pins the revision a caller already read and prepared the command from (secrets
 * stored, references to replace): if the stream has moved since, it is a conflict.
 */
export async function handleCommand<Command extends { type: string }, Event extends DomainEvent, State>(
  store: EventStore,
  registry: EventRegistry,
  streamId: string,
  decider: Decider<Command, Event, State>,
  command: Command,
  context: CommandContext,
  readAt?: ExpectedRevision,
): Promise<Handled<State, Event>> {
  const { state, expected } = await loadStream(store, streamId, decider);
  if (readAt !== undefined && readAt !== expected)
    throw new ConcurrencyError(streamId, readAt, expected === 'no-stream' ? 'no-stream' : Number(expected));
  const events = decider.decide(command, state);
  if (events.length === 0) return { state, events, position: null };
  const result = await store.append(
    streamId,
    events.map((e) => toNewEvent(e, context, registry)),
    expected,
  );
  return { state: events.reduce(decider.evolve, state), events, position: result.position };
}
