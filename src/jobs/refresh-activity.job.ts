import { Injectable } from '@nestjs/common';
import type { SubscriptionsReadModel } from '../../projections/subscriptions/subscriptions.projection';
import type { TenantCatalogReadModel } from '../../projections/tenant-catalog/tenant-catalog.projection';
import { UpstreamError } from '../connectors';
import { withIds } from '../domain/licensee/subscription-snapshot.decider';
import { UserActivityAccumulator, type SystemUserRow } from '../domain/licensee/user-activity.decider';
import { catalogStreamId } from '../domain/tenant/tenant.events';
import { ProfileConnectors } from '../microsoft/profile-connectors';
import { ProjectionRunner } from '../projection-runner/projection-runner';
import type { JobContext, JobImplementation } from './job-implementation';
import { LedgerWriter } from './ledger-writer';

/**
 * Dataverse writes user-access audit rows at most once per `useraccessauditinginterval`
 * (4 h by default) and audit storage can lag, so each pull re-reads the last 4 hours;
 * rows already counted cannot move a last-activity date, so the overlap costs nothing.
 */
const OVERLAP_MS = 4 * 3600_000;

/**
 * refresh-activity: audit rows from analyzeActivityFrom on the first run, then from the
 * last pull; maps Dataverse users to Graph users by their Entra object id and records
 * each user's last activity per app when it moves forward.
 */
@Injectable()
export class RefreshActivityJob implements JobImplementation {
  readonly job = 'refresh-activity' as const;

  constructor(
    private readonly connectors: ProfileConnectors,
    private readonly writer: LedgerWriter,
    private readonly projections: ProjectionRunner,
  ) {}

  async run(ctx: JobContext) {
    const { profile, runId } = ctx;
    const profileId = profile.profileId;
    const { dataverse } = this.connectors.clientsFor(profile, {
      onRetry: (e) => ctx.progress(`retrying after ${e.cause} (attempt ${e.attempt})`, e.attempt),
    });
    if (!dataverse)
      throw new UpstreamError({
        service: 'dataverse',
        cause: 'configuration',
        message: 'the profile has no activity connection; turn downloadActivity on and add one',
      });

    const windowStart = `${profile.analyzeActivityFrom}T00:00:00.000Z`;
    const previous = this.catalog().get(profileId)?.activityThrough ?? null;
    const from = previous
      ? new Date(Math.max(Date.parse(previous) - OVERLAP_MS, Date.parse(windowStart))).toISOString()
      : windowStart;
    const through = new Date().toISOString();

    ctx.progress('reading Dataverse users', 0);
    const systemUsers: SystemUserRow[] = [];
    for await (const page of dataverse.systemUsersPages()) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      systemUsers.push(...page);
    }

    await this.writer.catchUp();
    const known = () => this.subscriptions().get(profileId)?.users;
    const accumulator = new UserActivityAccumulator(
      profile.analyzeActivityFrom,
      systemUsers,
      (id) => known()?.has(id) ?? false,
    );
    let rows = 0;
    for await (const page of readAhead(dataverse.auditsPages({ from, to: through }))) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      accumulator.add(page);
      rows += page.length;
      ctx.progress('reading audit rows', rows);
    }

    ctx.progress('recording activity', 0);
    const { result: pull, written } = await this.writer.decideAndWrite(() => {
      const decision = accumulator.decide({
        profileId,
        runId,
        from,
        through,
        current: this.subscriptions().get(profileId),
      });
      return { changes: decision.licensees, result: decision.pull };
    }, ctx.context);
    await this.writer.decideAndWrite(() => {
      const revision = this.catalog().get(profileId)?.revision ?? -1;
      return { changes: [withIds(catalogStreamId(profileId), revision, [pull])], result: null };
    }, ctx.context);
    return {
      rowsRead: pull.data.rowsRead,
      activityRecorded: written,
      systemUsers: systemUsers.length,
      ...prefix('ignored', pull.data.ignored),
      from,
      through,
    };
  }

  private subscriptions() {
    return this.projections.state<SubscriptionsReadModel>('subscriptions');
  }

  private catalog() {
    return this.projections.state<TenantCatalogReadModel>('tenant-catalog');
  }
}

/**
 * The pages of `source`, the next one already requested while the caller works on the current
 * one: folding 5,000 audit rows takes about as long as Dataverse takes to send the next page.
 * Only one request is ever in flight; one still in flight when the caller stops is dropped.
 */
export async function* readAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T, void, undefined> {
  const pages = source[Symbol.asyncIterator]();
  let next = pages.next();
  try {
    for (;;) {
      const page = await next;
      if (page.done) return;
      next = pages.next();
      yield page.value;
    }
  } finally {
    void next.then(() => pages.return?.()).catch(() => undefined);
  }
}

const prefix = (name: string, counts: Record<string, number>) =>
  Object.fromEntries(Object.entries(counts).map(([k, v]) => [`${name}${k[0].toUpperCase()}${k.slice(1)}`, v]));
