import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { environmentsProjection } from '../../projections/environments/environments.projection';
import { subscriptionsProjection } from '../../projections/subscriptions/subscriptions.projection';
import { tenantCatalogProjection } from '../../projections/tenant-catalog/tenant-catalog.projection';
import { CommandExecutor } from '../application/command-executor';
import { type DataverseClient, UpstreamError } from '../connectors';
import { COMMON_TABLES, CUSTOMER_SERVICE_TABLES, SALES_TABLES } from '../domain/catalog/audit-tables';
import { DEFAULT_USER_ACCESS_AUDITING_INTERVAL_HOURS } from '../domain/defaults';
import { AuditActivity, type SystemUserRow } from '../domain/licensee/record-user-activity';
import { normalizedEnvironmentUrl } from '../domain/stream-names';
import { tenantCatalogDecider } from '../domain/tenant/tenant-catalog.decider';
import { streamIds } from '../domain/stream-names';
import { catalogStreamState } from '../../projections/tenant-catalog/tenant-catalog.projection';
import { ProfileConnectors } from '../microsoft/profile-connectors';
import { CLOCK, type Clock } from '../shared/clock';
import type { JobContext } from './job-implementation';
import type { JobImplementation } from './job-implementation';
import { mergePages, timeSlices } from './merge-pages';
import { RecordEnvironmentAudit, RecordEnvironmentFailure, type EnvironmentRead } from './record-environment.handler';
import { RecordUserActivity } from './record-user-activity.handler';

/** The catalog's activity tables: those whose own auditing the refresh checks. */
const ACTIVITY_TABLES = [...SALES_TABLES, ...CUSTOMER_SERVICE_TABLES, ...COMMON_TABLES];

interface EnvironmentResult {
  readonly rowsRead: number;
  readonly activityRecorded: number;
  readonly systemUsers: number;
  readonly ignored: AuditActivity['ignored'];
  readonly from: string;
}

/**
 * refresh-activity, per Dynamics 365 environment (those the profile names, and with
 * discoverEnvironments every one the connection finds): records the audit settings and the
 * rows that switch auditing, reads the audit log from the environment's own cursor (minus
 * its user-access auditing interval: access rows are written once per interval, and rows
 * already counted cannot move a date), reduces the rows to each user's latest activity of
 * each kind and records it where it moves forward, then the read and the coverage that
 * follows. One environment that fails is recorded as such and the others go on; the run
 * fails only when none could be read.
 */
/** Concurrent time slices of one environment's audit read (well under Dataverse's 52 concurrent requests). */
const AUDIT_SLICES = 4;

@Injectable()
export class RefreshActivityJob implements JobImplementation {
  readonly job = 'refresh-activity' as const;

  constructor(
    private readonly connectors: ProfileConnectors,
    private readonly commands: CommandExecutor,
    private readonly commandBus: CommandBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async run(ctx: JobContext) {
    const { profile, runId } = ctx;
    const profileId = profile.profileId;
    const retries = {
      onRetry: (e: { cause: string; attempt: number }) =>
        ctx.progress(`retrying after ${e.cause} (attempt ${e.attempt})`, e.attempt),
    };
    if (!profile.activityConnection)
      throw new UpstreamError({
        service: 'dataverse',
        cause: 'configuration',
        message: 'the profile has no activity connection; turn downloadActivity on and add one',
      });
    await this.commands.catchUp();
    ctx.progress('finding environments', 0);
    const { environmentUrls, discoveryError, refused } = await this.connectors.environmentsOf(profile, retries);
    const through = this.clock.now().toISOString();

    const failed: { environmentUrl: string; error: unknown }[] = [];
    const totals = {
      rowsRead: 0,
      activityRecorded: 0,
      systemUsers: 0,
      applicationUsers: 0,
      unknownUsers: 0,
      notActivity: 0,
      beforeWindow: 0,
      impersonated: 0,
    };
    let earliestFrom = through;
    for (const [i, environmentUrl] of environmentUrls.entries()) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      const read: EnvironmentRead = {
        profileId,
        runId,
        environmentUrl,
        analyzeActivityFrom: profile.analyzeActivityFrom,
      };
      ctx.progress(`reading environment ${i + 1} of ${environmentUrls.length}`, i, environmentUrls.length);
      try {
        const dataverse = await this.connectors.dataverseFor(profile, environmentUrl, retries);
        const result = await this.pull(ctx, read, dataverse, through);
        totals.rowsRead += result.rowsRead;
        totals.activityRecorded += result.activityRecorded;
        totals.systemUsers += result.systemUsers;
        for (const key of ['applicationUsers', 'unknownUsers', 'notActivity', 'beforeWindow', 'impersonated'] as const)
          totals[key] += result.ignored[key];
        if (result.from < earliestFrom) earliestFrom = result.from;
      } catch (error) {
        if (ctx.signal.aborted) throw ctx.signal.reason;
        failed.push({ environmentUrl, error });
        const cause = error instanceof UpstreamError ? error.cause : 'internal';
        await this.commandBus.execute(
          new RecordEnvironmentFailure(
            read,
            cause,
            (error as Error).message,
            this.clock.now().toISOString(),
            ctx.context,
          ),
        );
      }
    }
    if (environmentUrls.length === 0) throw discoveryError ?? new Error('the profile names no environment');
    if (failed.length === environmentUrls.length) throw failed[0].error;

    const catalogs = this.commands.runner.state(tenantCatalogProjection);
    await this.commands.executeMany(
      tenantCatalogDecider,
      [
        {
          streamId: streamIds.catalog(profileId),
          command: {
            type: 'RecordActivityPull',
            data: {
              profileId,
              runId,
              from: earliestFrom,
              through,
              rowsRead: totals.rowsRead,
              activityRecorded: totals.activityRecorded,
              ignored: {
                applicationUsers: totals.applicationUsers,
                unknownUsers: totals.unknownUsers,
                notActivity: totals.notActivity,
                beforeWindow: totals.beforeWindow,
                impersonated: totals.impersonated,
              },
            },
          },
        },
      ],
      () => catalogStreamState(catalogs, profileId),
      ctx.context,
    );
    return {
      environments: environmentUrls.length,
      environmentsFailed: failed.length,
      ...(failed.length > 0
        ? { failedEnvironments: failed.map((f) => `${f.environmentUrl} (${causeOf(f.error)})`).join('; ') }
        : {}),
      ...(discoveryError ? { discoveryFailed: (discoveryError as Error).message } : {}),
      ...(refused.length > 0 ? { discoveredButRefused: refused.join('; ') } : {}),
      rowsRead: totals.rowsRead,
      activityRecorded: totals.activityRecorded,
      systemUsers: totals.systemUsers,
      ignoredApplicationUsers: totals.applicationUsers,
      ignoredUnknownUsers: totals.unknownUsers,
      ignoredNotActivity: totals.notActivity,
      ignoredBeforeWindow: totals.beforeWindow,
      impersonatedRows: totals.impersonated,
      from: earliestFrom,
      through,
    };
  }

  private async pull(
    ctx: JobContext,
    read: EnvironmentRead,
    dataverse: DataverseClient,
    through: string,
  ): Promise<EnvironmentResult> {
    const { profile } = ctx;
    const windowStart = `${profile.analyzeActivityFrom}T00:00:00.000Z`;
    const settings = await dataverse.organizationAuditSettings();
    const tables = await dataverse.tableAuditSettings(ACTIVITY_TABLES);
    const rows = await dataverse.auditSettingChanges({ from: windowStart, to: through });
    await this.commandBus.execute(
      new RecordEnvironmentAudit(
        read,
        {
          auditEnabled: settings.isauditenabled,
          userAccessAuditEnabled: settings.isuseraccessauditenabled,
          userAccessAuditingIntervalHours: settings.useraccessauditinginterval,
          auditRetentionDays: settings.auditretentionperiodv2,
          unauditedTables: tables
            .filter((t) => !t.isAuditEnabled)
            .map((t) => t.logicalName)
            .sort(),
        },
        rows.map((r) => ({ auditId: r.auditid, action: r.action, at: r.createdon })),
        this.clock.now().toISOString(),
        ctx.context,
      ),
    );
    const from = this.cursorOf(read, windowStart, settings.useraccessauditinginterval);

    const systemUsers: SystemUserRow[] = [];
    for await (const page of dataverse.systemUsersPages()) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      systemUsers.push(...page);
    }
    const users = () => this.commands.runner.state(subscriptionsProjection).get(read.profileId)?.users;
    const activity = new AuditActivity(
      read.environmentUrl,
      profile.analyzeActivityFrom,
      systemUsers,
      (id) => users()?.has(id) ?? false,
    );
    // The window in AUDIT_SLICES time slices read at once (Dataverse allows 52 concurrent requests
    // per user and server): one chain of pages keeps the server waiting on us between pages. The
    // rows are reduced to each user's latest per kind, which does not depend on their order.
    const slices = timeSlices(from, through, AUDIT_SLICES);
    for await (const page of mergePages(slices.map((window) => dataverse.auditsPages(window)))) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      activity.add(page);
      ctx.progress('reading audit rows', activity.rowsRead);
    }
    ctx.progress('recording activity', 0);
    const recorded = await this.commandBus.execute(
      new RecordUserActivity({ ...read, from, through }, activity, this.clock.now().toISOString(), ctx.context),
    );
    return {
      rowsRead: activity.rowsRead,
      activityRecorded: recorded,
      systemUsers: systemUsers.length,
      ignored: activity.ignored,
      from,
    };
  }

  /**
   * Where this environment's read starts: its own last read minus the user-access auditing
   * interval, or analyzeActivityFrom. (A profile read before environments were tracked kept one
   * cursor, on its catalog; its environment is read again from the start once, which records
   * nothing twice, since a last activity only moves forward, and gives it a coverage of its own.)
   */
  private cursorOf(read: EnvironmentRead, windowStart: string, intervalHours: number): string {
    const environments = this.commands.runner.state(environmentsProjection).get(read.profileId);
    const previous = environments?.byUrl.get(normalizedEnvironmentUrl(read.environmentUrl))?.through ?? null;
    if (!previous) return windowStart;
    const overlapMs = (intervalHours > 0 ? intervalHours : DEFAULT_USER_ACCESS_AUDITING_INTERVAL_HOURS) * 3_600_000;
    return new Date(Math.max(Date.parse(previous) - overlapMs, Date.parse(windowStart))).toISOString();
  }
}

const causeOf = (error: unknown): string => (error instanceof UpstreamError ? error.cause : 'internal');
