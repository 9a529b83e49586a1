import type { Actor } from '../eventstore/event-store.port';
import { newId } from '../shared/ids';

/** Who asked, and which request or run the resulting events belong to. */
export interface CommandContext {
  readonly actor: Actor;
  readonly correlationId: string;
  readonly causationId: string | null;
}

export const systemContext = (id: string, correlationId: string = newId()): CommandContext => ({
  actor: { kind: 'system', id },
  correlationId,
  causationId: null,
});
