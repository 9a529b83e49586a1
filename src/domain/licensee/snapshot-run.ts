import { SkuScope, type SubscribedSku } from '../catalog/sku-scope';
import type { StreamCommand } from '../decider';
import { streamIds } from '../stream-names';
import type { TenantCatalogCommand } from '../tenant/tenant-catalog.decider';
import type { SnapshotCounts } from '../tenant/tenant.events';
import type { RemovalReason } from './licensee.events';
import { observe, type GraphUserLicenses, type RecordSubscriptionSnapshot } from './record-subscription-snapshot';

/**
 * One download of every subscription, page by page: the first command records the tenant's
 * SKUs on its catalog, each page of Graph users gives one RecordSubscriptionSnapshot per
 * user, and the end gives the users the snapshot no longer showed (their licenses are gone)
 * and the run's summary. Pure: the job feeds it pages and the events that were recorded.
 */
export class SnapshotRun {
  readonly scope: SkuScope;
  private readonly seen = new Set<string>();
  private readonly tally = {
    users: 0,
    licensedUsers: 0,
    subscriptions: 0,
    assigned: 0,
    changed: 0,
    removed: 0,
    modelsCreated: 0,
    unrecognized: 0,
  };

  constructor(
    readonly profileId: string,
    readonly runId: string,
    readonly takenAt: string,
    private readonly skus: readonly SubscribedSku[],
  ) {
    this.scope = new SkuScope(skus);
  }

  /** The tenant's SKUs, for its catalog stream. */
  subscribedSkus(): StreamCommand<TenantCatalogCommand> {
    return {
      streamId: streamIds.catalog(this.profileId),
      command: {
        type: 'RecordSubscribedSkus',
        data: { profileId: this.profileId, skus: this.skus, scope: this.scope, takenAt: this.takenAt },
      },
    };
  }

  /** One RecordSubscriptionSnapshot per user of a page who holds or held anything in scope. */
  page(
    users: readonly GraphUserLicenses[],
    held: (userId: string) => boolean,
  ): StreamCommand<RecordSubscriptionSnapshot>[] {
    const commands: StreamCommand<RecordSubscriptionSnapshot>[] = [];
    for (const user of users) {
      const userId = user.id.toLowerCase();
      if (this.seen.has(userId)) continue; // a user on two pages of one read counts once
      this.seen.add(userId);
      this.tally.users += 1;
      const observation = observe(user, this.scope);
      if (observation.present && observation.licenses.length > 0) {
        this.tally.licensedUsers += 1;
        this.tally.subscriptions += observation.licenses.length;
      } else if (!held(userId)) continue;
      commands.push(this.command(userId, observation));
    }
    return commands;
  }

  /** Users the ledger holds licenses for whom this snapshot has not shown (yet). */
  unseen(holders: Iterable<string>): string[] {
    const out: string[] = [];
    for (const userId of holders) if (!this.seen.has(userId)) out.push(userId);
    return out;
  }

  /** The SKUs worth reading users for: those the ledger tracks. */
  inScopeSkuIds(): string[] {
    return this.skus.filter((sku) => this.scope.of(sku.skuId) !== undefined).map((sku) => sku.skuId.toLowerCase());
  }

  /**
   * The last page: everyone the ledger holds licenses for whom this snapshot did not show.
   * `reason` says why each is missing (deleted from the directory, or no longer licensed).
   */
  end(
    holders: Iterable<string>,
    reason: (userId: string) => RemovalReason,
  ): StreamCommand<RecordSubscriptionSnapshot>[] {
    const commands: StreamCommand<RecordSubscriptionSnapshot>[] = [];
    for (const userId of holders) {
      if (!this.seen.has(userId)) commands.push(this.command(userId, { present: false, reason: reason(userId) }));
    }
    return commands;
  }

  /** Counts what was recorded, for the summary. */
  recorded(events: Iterable<{ readonly type: string }>): void {
    for (const event of events) {
      if (event.type === 'LicenseAssigned') this.tally.assigned += 1;
      else if (event.type === 'LicenseAssignmentChanged') this.tally.changed += 1;
      else if (event.type === 'LicenseRemoved') this.tally.removed += 1;
      else if (event.type === 'SoftwareModelCreated') this.tally.modelsCreated += 1;
      else if (event.type === 'SubscriptionIdentifierUnrecognized') this.tally.unrecognized += 1;
    }
  }

  counts(): SnapshotCounts {
    let inScope = 0;
    for (const sku of this.skus) if (this.scope.of(sku.skuId)) inScope += 1;
    return { ...this.tally, outOfScopeSkus: this.skus.length - inScope };
  }

  /** The run's summary, recorded last on the catalog stream. */
  summary(): StreamCommand<TenantCatalogCommand> {
    return {
      streamId: streamIds.catalog(this.profileId),
      command: {
        type: 'RecordSnapshotSummary',
        data: { profileId: this.profileId, runId: this.runId, takenAt: this.takenAt, counts: this.counts() },
      },
    };
  }

  private command(userId: string, observation: RecordSubscriptionSnapshot['data']['observation']) {
    return {
      streamId: streamIds.licensee(this.profileId, userId),
      command: {
        type: 'RecordSubscriptionSnapshot' as const,
        data: { profileId: this.profileId, userId, takenAt: this.takenAt, observation },
      },
    };
  }
}
