import { applyEvent, type ProjectedEvent } from '../../projections/projection';
import {
  subscriptionsProjection,
  type SubscriptionsReadModel,
} from '../../projections/subscriptions/subscriptions.projection';
import {
  tenantCatalogProjection,
  type TenantCatalogReadModel,
} from '../../projections/tenant-catalog/tenant-catalog.projection';
import type { StreamChanges } from '../../src/domain/licensee/subscription-snapshot.decider';

/** Folds decided changes through the real projections, as the runner would after an append. */
export class LedgerState {
  subscriptions: SubscriptionsReadModel = subscriptionsProjection.initialState();
  catalog: TenantCatalogReadModel = tenantCatalogProjection.initialState();
  private position = 0n;
  private readonly revisions = new Map<string, number>();

  apply(changes: readonly StreamChanges<{ type: string; data: unknown }>[]): this {
    for (const c of changes) {
      for (const { id, event } of c.events) {
        const revision = (this.revisions.get(c.streamId) ?? -1) + 1;
        this.revisions.set(c.streamId, revision);
        this.position += 1n;
        const projected: ProjectedEvent = {
          type: event.type,
          data: event.data,
          streamId: c.streamId,
          revision,
          position: this.position,
          recordedAt: new Date(Number(this.position) * 1000).toISOString(),
          metadata: { actor: { kind: 'system', id: id } },
        };
        this.subscriptions = applyEvent(subscriptionsProjection, this.subscriptions, projected);
        this.catalog = applyEvent(tenantCatalogProjection, this.catalog, projected);
      }
    }
    return this;
  }
}
