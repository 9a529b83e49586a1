import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { subscriptionsProjection } from '../../projections/subscriptions/subscriptions.projection';
import { tenantCatalogProjection } from '../../projections/tenant-catalog/tenant-catalog.projection';
import { CommandExecutor } from '../application/command-executor';
import { UpstreamError } from '../connectors';
import { AuditActivity, type SystemUserRow } from '../domain/licensee/record-user-activity';
import { ProfileConnectors } from '../microsoft/profile-connectors';
import type { JobContext, JobImplementation } from './job-implementation';
import { readAhead } from './read-ahead';
import { RecordUserActivity } from './record-user-activity.handler';

/**
 * Dataverse writes user-access audit rows at most once per `useraccessauditinginterval`
 * (4 h by default) and audit storage can lag, so each pull re-reads the last 4 hours;
 * rows already counted cannot move a last-activity date, so the overlap costs nothing.
 */
const OVERLAP_MS = 4 * 3600_000;

/**
 * refresh-activity: audit rows from analyzeActivityFrom on the first run, then from the
 * last pull; maps Dataverse users to Graph users by their Entra object id, reduces the rows
 * to each user's latest activity per app, and records it where it moves forward
 * (RecordUserActivity).
 */
@Injectable()
export class RefreshActivityJob implements JobImplementation {
  readonly job = 'refresh-activity' as const;

  constructor(
    private readonly connectors: ProfileConnectors,
    private readonly commands: CommandExecutor,
    private readonly commandBus: CommandBus,
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
    await this.commands.catchUp();
    const previous =
      this.commands.runner.state(tenantCatalogProjection).catalogs.get(profileId)?.activityThrough ?? null;
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

    const users = () => this.commands.runner.state(subscriptionsProjection).get(profileId)?.users;
    const activity = new AuditActivity(profile.analyzeActivityFrom, systemUsers, (id) => users()?.has(id) ?? false);
    for await (const page of readAhead(dataverse.auditsPages({ from, to: through }))) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      activity.add(page);
      ctx.progress('reading audit rows', activity.rowsRead);
    }

    ctx.progress('recording activity', 0);
    const recorded = await this.commandBus.execute(
      new RecordUserActivity({ profileId, runId, from, through }, activity, ctx.context),
    );
    const ignored = activity.ignored;
    return {
      rowsRead: activity.rowsRead,
      activityRecorded: recorded - 1,
      systemUsers: systemUsers.length,
      ignoredApplicationUsers: ignored.applicationUsers,
      ignoredUnknownUsers: ignored.unknownUsers,
      ignoredNotActivity: ignored.notActivity,
      ignoredBeforeWindow: ignored.beforeWindow,
      from,
      through,
    };
  }
}
