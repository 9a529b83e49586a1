import { Inject, Injectable } from '@nestjs/common';
import type { SubscriptionsReadModel } from '../../projections/subscriptions/subscriptions.projection';
import type { TenantCatalogReadModel } from '../../projections/tenant-catalog/tenant-catalog.projection';
import { ProjectionRunner } from '../projection-runner/projection-runner';
import { CLOCK, type Clock } from '../shared/clock';
import type { GraphUser } from '../connectors';
import {
  decideSubscriptionSnapshot,
  withIds,
  type SnapshotSku,
  type SnapshotUser,
} from '../domain/licensee/subscription-snapshot.decider';
import { catalogStreamId } from '../domain/tenant/tenant.events';
import { ProfileConnectors } from '../microsoft/profile-connectors';
import type { JobContext, JobImplementation } from './job-implementation';
import { LedgerWriter } from './ledger-writer';

const USER_FIELDS = [
  'id',
  'userPrincipalName',
  'accountEnabled',
  'userType',
  'assignedLicenses',
  'licenseAssignmentStates',
];

/**
 * download-subscriptions: reads subscribedSkus and every user (Graph delta does not track
 * licenseAssignmentStates, so it is a full read), and only once the whole download is in
 * hand diffs it against the ledger and appends the changes in one bulk write, then the
 * snapshot summary. A failed download therefore appends nothing but the run's failure.
 */
@Injectable()
export class DownloadSubscriptionsJob implements JobImplementation {
  readonly job = 'download-subscriptions' as const;

  constructor(
    private readonly connectors: ProfileConnectors,
    private readonly writer: LedgerWriter,
    private readonly projections: ProjectionRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async run(ctx: JobContext) {
    const { profile, runId } = ctx;
    const profileId = profile.profileId;
    const { graph } = this.connectors.clientsFor(profile, {
      onRetry: (e) => ctx.progress(`retrying after ${e.cause} (attempt ${e.attempt})`, e.attempt),
    });
    const takenAt = this.clock.now().toISOString();

    ctx.progress('reading subscribed SKUs', 0);
    const skus: SnapshotSku[] = (await graph.subscribedSkus()).map((s) => ({
      skuId: s.skuId.toLowerCase(),
      skuPartNumber: s.skuPartNumber,
      appliesTo: s.appliesTo,
      capabilityStatus: s.capabilityStatus,
      prepaidUnits: s.prepaidUnits,
      servicePlanNames: s.servicePlans.map((p) => p.servicePlanName),
    }));

    const allUserIds = new Set<string>();
    const licensedUsers: SnapshotUser[] = [];
    for await (const page of graph.usersPages(USER_FIELDS)) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      for (const user of page) {
        allUserIds.add(user.id.toLowerCase());
        if ((user.assignedLicenses?.length ?? 0) > 0) licensedUsers.push(toSnapshotUser(user));
      }
      ctx.progress('reading users', allUserIds.size);
    }

    ctx.progress('recording changes', 0, licensedUsers.length);
    const command = { profileId, runId, takenAt, skus, licensedUsers, allUserIds };
    // Only the summary outlives the write: a first download's 250,000 decided events can be
    // collected while the read models fold them, instead of staying reachable to the end.
    const { result: summary, written } = await this.writer.decideAndWrite(() => {
      const d = decideSubscriptionSnapshot(command, this.subscriptions().get(profileId), this.catalog().get(profileId));
      return { changes: [...d.licensees, d.catalog], result: d.summary };
    }, ctx.context);
    await this.writer.decideAndWrite(() => {
      const revision = this.catalog().get(profileId)?.revision ?? -1;
      return { changes: [withIds(catalogStreamId(profileId), revision, [summary])], result: null };
    }, ctx.context);
    return { ...summary.data.counts, eventsAppended: written + 1 };
  }

  private subscriptions() {
    return this.projections.state<SubscriptionsReadModel>('subscriptions');
  }

  private catalog() {
    return this.projections.state<TenantCatalogReadModel>('tenant-catalog');
  }
}

function toSnapshotUser(user: GraphUser): SnapshotUser {
  return {
    id: user.id.toLowerCase(),
    userPrincipalName: user.userPrincipalName ?? '',
    accountEnabled: user.accountEnabled ?? null,
    userType: user.userType ?? null,
    skuIds: (user.assignedLicenses ?? []).map((l) => l.skuId),
    states: (user.licenseAssignmentStates ?? []).map((s) => ({
      skuId: s.skuId,
      assignedByGroup: s.assignedByGroup,
      state: s.state,
      lastUpdatedDateTime: s.lastUpdatedDateTime,
    })),
  };
}
