import type { Logger } from '../logging/logger';
import type { ReadModelStore } from './read-model.store';
import type { Slot } from './slot';

/**
 * Loads each saved read model whose definition and store are the current ones. A
 * checkpoint from another store (the store was switched, its volume wiped, the prefix
 * changed), or from a version that did not record its store, would skip or repeat events
 * here: that read model starts again from position 0, and the log says why. Never silently.
 */
export function restoreCheckpoints(
  slots: readonly Slot[],
  readModels: ReadModelStore,
  storeId: string,
  logger: Logger,
): void {
  for (const slot of slots) {
    const stored = readModels.load(slot.projection.name);
    if (!stored) continue;
    const projection = slot.projection.name;
    if (stored.storeId !== storeId) {
      logger.warn(
        stored.storeId === null
          ? 'read model checkpoint does not say which store it came from (saved by an earlier version): rebuilding from position 0'
          : 'read model checkpoint belongs to another store (switched, wiped or another prefix): rebuilding from position 0',
        { projection, checkpointStore: stored.storeId, store: storeId, checkpoint: stored.position },
      );
    } else if (stored.version !== slot.projection.version) {
      logger.info('read model definition changed: rebuilding', {
        projection,
        from: stored.version,
        to: slot.projection.version,
      });
    } else {
      slot.state = stored.state;
      slot.position = stored.position;
      slot.changed = false;
    }
  }
}
