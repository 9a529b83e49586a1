import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { licenseeStreamState, subscriptionsProjection } from '../../projections/subscriptions/subscriptions.projection';
import type { CommandContext } from '../application/command-context';
import { CommandExecutor } from '../application/command-executor';
import type { StreamCommand } from '../domain/decider';
import { environmentDecider } from '../domain/environment/environment.decider';
import { integrationDecider } from '../domain/integration/integration.decider';
import type { RecordIntegrationActivity } from '../domain/integration/integration.events';
import { licenseeDecider } from '../domain/licensee/licensee.decider';
import type {
  AuditActivity,
  RecordUserActivity as RecordUserActivityCommand,
} from '../domain/licensee/record-user-activity';
import { streamIds } from '../domain/stream-names';
import type { EnvironmentRead } from './record-environment.handler';

/** What one refresh read of one environment's audit log. */
export interface ActivityPull extends EnvironmentRead {
  readonly from: string;
  readonly through: string;
}

/**
 * RecordUserActivity for every user an environment's pull saw, what each integration did in
 * people's names, then the read itself and the coverage that follows on the environment's
 * stream; answers how many activity facts were recorded.
 */
export class RecordUserActivity extends Command<number> {
  constructor(
    readonly pull: ActivityPull,
    readonly activity: AuditActivity,
    readonly at: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(RecordUserActivity)
export class RecordUserActivityHandler implements ICommandHandler<RecordUserActivity> {
  constructor(private readonly commands: CommandExecutor) {}

  async execute({ pull, activity, at, context }: RecordUserActivity): Promise<number> {
    const { profileId, runId, environmentUrl, from, through, analyzeActivityFrom } = pull;
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

    for (const integration of activity.integrations()) {
      const command: RecordIntegrationActivity = {
        type: 'RecordIntegrationActivity',
        data: { profileId, runId, environmentUrl, ...integration },
      };
      await this.commands.execute(
        streamIds.integration(profileId, integration.systemUserId),
        integrationDecider,
        command,
        context,
      );
    }

    const streamId = streamIds.environment(profileId, environmentUrl);
    await this.commands.execute(
      streamId,
      environmentDecider,
      {
        type: 'RecordActivityPull',
        data: { profileId, environmentUrl, runId, from, through, rowsRead: activity.rowsRead, at },
      },
      context,
    );
    await this.commands.execute(
      streamId,
      environmentDecider,
      { type: 'RecordCoverage', data: { profileId, environmentUrl, runId, analyzeActivityFrom, at } },
      context,
    );
    return events.length;
  }
}
