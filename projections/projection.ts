/**
 * A projection is pure: an initial read-model state and one handler per event type it
 * cares about. No Nest, no I/O, no clock. The runner in src/ feeds it committed events
 * in global order, checkpoints it, and rebuilds it from position 0 on demand; the same
 * definition answers point-in-time questions by folding history up to a moment.
 *
 * Handlers may update the state they are given in place and return it: a fold over
 * millions of events cannot afford to copy a 250,000-entry map per event. The runner owns
 * the state and never shares it with a half-applied event.
 */
export interface ProjectedEvent<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
  readonly streamId: string;
  readonly revision: number;
  readonly position: bigint;
  readonly recordedAt: string;
  readonly metadata: {
    readonly actor: { readonly kind: string; readonly id: string; readonly role?: string };
    readonly [key: string]: unknown;
  };
}

export type Handler<State, Event extends { type: string; data: unknown }> = (
  state: State,
  event: ProjectedEvent<Event['type'], Event['data']>,
) => State;

export type Handlers<State, Events extends { type: string; data: unknown }> = {
  readonly [Type in Events['type']]?: Handler<State, Extract<Events, { type: Type }>>;
};

export interface Projection<State, Events extends { type: string; data: unknown } = { type: string; data: unknown }> {
  readonly name: string;
  /** Bump when the handlers change meaning: a stored read model of another version is rebuilt. */
  readonly version: number;
  initialState(): State;
  readonly handlers: Handlers<State, Events>;
  /**
   * Saved (and restored) in parts, a turn of the event loop each, for a state large enough
   * that one serialisation would hold the loop for a second. Only for a state in which nothing
   * a handler changes in place is reachable from two places: parts come back as copies.
   */
  readonly saveInParts?: boolean;
}

/** Applies one event if the projection handles its type. */
export function applyEvent<State>(projection: Projection<State, any>, state: State, event: ProjectedEvent): State {
  const handler = (projection.handlers as Record<string, Handler<State, any> | undefined>)[event.type];
  return handler ? handler(state, event) : state;
}

export function defineProjection<State, Events extends { type: string; data: unknown }>(
  projection: Projection<State, Events>,
): Projection<State, Events> {
  return projection;
}
