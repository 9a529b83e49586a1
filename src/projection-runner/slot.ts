import type { ProjectedEvent, Projection } from '../../projections/projection';

/** One read model in the runner: its definition, live state and checkpoint. */
export interface Slot {
  readonly projection: Projection<unknown, any>;
  /** The projection's handlers by event type, looked up once per event instead of through applyEvent. */
  readonly handlers: Readonly<Record<string, ((state: unknown, event: ProjectedEvent) => unknown) | undefined>>;
  state: unknown;
  position: bigint | null;
  /** Its position moved since the last save. */
  dirty: boolean;
  /** A handler changed its state since the last save; when only the position moved, the save updates just the checkpoint. */
  changed: boolean;
  faulted: string | null;
}
