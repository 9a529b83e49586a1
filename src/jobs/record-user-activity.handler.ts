import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { licenseeStreamState, subscriptionsProjection } from '../../projections/subscriptions/subscriptions.projection';
import {
  catalogStreamState,
  tenantCatalogProjection,
} from '../../projections/tenant-catalog/tenant-catalog.projection';
import type { CommandContext } from '../application/command-context';
import { CommandExecutor } from '../application/command-executor';
import type { StreamCommand } from '../domain/decider';
import { licenseeDecider } from '../domain/licensee/licensee.decider';
import type {
  AuditActivity,
  RecordUserActivity as RecordUserActivityCommand,
} from '../domain/licensee/record-user-activity';
import { streamIds } from '../domain/stream-names';
import { tenantCatalogDecider } from '../domain/tenant/tenant-catalog.decider';

/** The pull a batch of activity came from: recorded on the catalog stream, where the next pull continues. */
export interface ActivityPull {
  readonly profileId: string;
  readonly runId: string;
  readonly from: string;
  readonly through: string;
}

/** RecordUserActivity for every user a pull saw, then the pull itself; answers how many facts were recorded. */
export class RecordUserActivity extends Command<number> {
  constructor(
    readonly pull: ActivityPull,
    readonly activity: AuditActivity,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(RecordUserActivity)
export class RecordUserActivityHandler implements ICommandHandler<RecordUserActivity> {
  constructor(private readonly commands: CommandExecutor) {}

  async execute({ pull, activity, context }: RecordUserActivity): Promise<number> {
    const { profileId, runId, from, through } = pull;
    const model = this.commands.runner.state(subscriptionsProjection);
    const perUser: StreamCommand<RecordUserActivityCommand>[] = [];
    for (const { userId, activity: observed } of activity.perUser()) {
      perUser.push({
        streamId: streamIds.licensee(profileId, userId),
        command: {
          type: 'RecordUserActivity',
          data: { profileId, userId, activity: observed, source: 'dataverse-audit' },
        },
      });
    }
    const { events } = await this.commands.executeMany(
      licenseeDecider,
      perUser,
      (id) => licenseeStreamState(model, id),
      context,
    );
    const catalogs = this.commands.runner.state(tenantCatalogProjection);
    const recordedPull = {
      streamId: streamIds.catalog(profileId),
      command: {
        type: 'RecordActivityPull' as const,
        data: {
          profileId,
          runId,
          from,
          through,
          rowsRead: activity.rowsRead,
          activityRecorded: events.length,
          ignored: activity.ignored,
        },
      },
    };
    await this.commands.executeMany(
      tenantCatalogDecider,
      [recordedPull],
      () => catalogStreamState(catalogs, profileId),
      context,
    );
    return events.length + 1;
  }
}
