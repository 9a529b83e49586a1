import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { subscriptionsProjection } from '../../projections/subscriptions/subscriptions.projection';
import { UpstreamError, type GraphUser } from '../connectors';
import { ProjectionRunner } from '../projection-runner/projection-runner';
import type { SubscribedSku } from '../domain/catalog/sku-scope';
import type { GraphUserLicenses } from '../domain/licensee/record-subscription-snapshot';
import { SnapshotRun } from '../domain/licensee/snapshot-run';
import { ProfileConnectors } from '../microsoft/profile-connectors';
import { CLOCK, type Clock } from '../shared/clock';
import type { JobContext, JobImplementation } from './job-implementation';
import { readAhead } from './read-ahead';
import { RecordSubscriptionSnapshot } from './record-subscription-snapshot.handler';

const USER_FIELDS = [
  'id',
  'userPrincipalName',
  'accountEnabled',
  'userType',
  'assignedLicenses',
  'licenseAssignmentStates',
];

/**
 * Pages of users decided and appended together, in one transaction on SQLite (~10,000 users,
 * ~25,000 events at most), once a page has recorded something: each commit syncs the WAL and
 * rewrites the index pages it dirtied (240,000 inserts: 100 commits 14.3 s wall, 3.5 s CPU; 10
 * commits 8.2 s, 2.3 s on this machine). The read runs ahead meanwhile.
 */
const PAGES_PER_WRITE = 10;

/**
 * download-subscriptions: reads subscribedSkus and the users holding a tracked SKU (Graph
 * delta does not track licenseAssignmentStates, so it is a full read of them) and records the
 * changes of every PAGES_PER_WRITE pages as they arrive (RecordSubscriptionSnapshot), the next
 * pages already on their way.
 * Users the ledger holds licenses for whom the read did not return are read back one by one:
 * still in the directory, their remaining licenses are recorded (the rest removed as
 * unassigned); gone, every license is removed as user-deleted. Removals come only at the end
 * of a complete read, then the summary: a run that fails part-way has recorded true changes,
 * never a false removal, and the next run completes it.
 */
@Injectable()
export class DownloadSubscriptionsJob implements JobImplementation {
  readonly job = 'download-subscriptions' as const;

  constructor(
    private readonly connectors: ProfileConnectors,
    private readonly commandBus: CommandBus,
    private readonly runner: ProjectionRunner,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Users the ledger says hold a license now. */
  private *holders(profileId: string): Iterable<string> {
    for (const [userId, user] of this.runner.state(subscriptionsProjection).get(profileId)?.users ?? []) {
      if (user.licenses.size > 0) yield userId;
    }
  }

  async run(ctx: JobContext) {
    const { profile, runId, context } = ctx;
    const { graph } = await this.connectors.clientsFor(profile, {
      onRetry: (e) => ctx.progress(`retrying after ${e.cause} (attempt ${e.attempt})`, e.attempt),
    });
    const takenAt = this.clock.now().toISOString();

    ctx.progress('reading subscribed SKUs', 0);
    const skus: SubscribedSku[] = (await graph.subscribedSkus()).map((s) => ({
      skuId: s.skuId.toLowerCase(),
      skuPartNumber: s.skuPartNumber,
      appliesTo: s.appliesTo,
      capabilityStatus: s.capabilityStatus,
      prepaidUnits: s.prepaidUnits,
      servicePlanNames: s.servicePlans.map((p) => p.servicePlanName),
    }));
    const run = new SnapshotRun(profile.profileId, runId, takenAt, skus);
    let appended = await this.commandBus.execute(new RecordSubscriptionSnapshot(run, { kind: 'skus' }, context));

    let users = 0;
    let pending: GraphUserLicenses[] = [];
    let pendingPages = 0;
    // Pages that change nothing (an unchanged re-sync) write nothing: batching them gains no
    // commit and only keeps more of them alive at once, so they go one at a time.
    let pagesPerWrite = 1;
    const record = async (page: readonly GraphUser[]) => {
      users += page.length;
      for (const user of page) pending.push(toGraphUserLicenses(user));
      if (++pendingPages < pagesPerWrite) return;
      await flush();
    };
    const flush = async () => {
      if (pendingPages === 0) return;
      const part = { kind: 'page' as const, users: pending };
      [pending, pendingPages] = [[], 0];
      const recorded = await this.commandBus.execute(new RecordSubscriptionSnapshot(run, part, context));
      appended += recorded;
      pagesPerWrite = recorded > 0 ? PAGES_PER_WRITE : 1;
      ctx.progress('reading licensed users', users);
    };
    // Only the users holding a tracked SKU: in a tenant where few hold Dynamics licenses, most of
    // the directory need not be read (Graph's advanced query, split at its clause limits); where
    // most do, the connector reads the directory once rather than each user once per query.
    // Two pages ahead: while a batch is decided and appended the event loop is busy, so more
    // requests in flight would not move (each page's request goes out once the one before is read).
    const read = graph.licensedUsersPages(run.inScopeSkuIds(), USER_FIELDS, undefined, undefined, (plan) =>
      ctx.progress(
        plan.read === 'directory'
          ? `reading the whole directory (${plan.directory} users): the ${plan.queries} license queries would return ${plan.rows} rows`
          : 'reading licensed users',
        0,
      ),
    );
    const pages = readAhead(read, 2);
    for await (const page of pages) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      await record(page);
    }
    await flush();
    // Who held a tracked license and was not returned lost their last one, or left the directory:
    // read each back to tell which (there are few).
    const lookedUp: GraphUser[] = [];
    for (const userId of run.unseen(this.holders(profile.profileId))) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      try {
        lookedUp.push(await graph.user(userId, USER_FIELDS));
      } catch (error) {
        if (!(error instanceof UpstreamError && error.cause === 'not-found')) throw error;
      }
    }
    if (lookedUp.length > 0) {
      await record(lookedUp);
      await flush();
    }

    ctx.progress('recording removals and the summary', users);
    appended += await this.commandBus.execute(new RecordSubscriptionSnapshot(run, { kind: 'end' }, context));
    return { ...run.counts(), eventsAppended: appended };
  }
}

function toGraphUserLicenses(user: GraphUser): GraphUserLicenses {
  return {
    id: user.id,
    userPrincipalName: user.userPrincipalName ?? '',
    accountEnabled: user.accountEnabled ?? null,
    userType: user.userType ?? null,
    skuIds: (user.assignedLicenses ?? []).map((l) => l.skuId),
    states: user.licenseAssignmentStates ?? [],
  };
}
