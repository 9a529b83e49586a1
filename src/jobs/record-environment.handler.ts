import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '../application/command-context';
import { CommandExecutor } from '../application/command-executor';
import { environmentDecider } from '../domain/environment/environment.decider';
import type { AuditSettings } from '../domain/environment/environment.state';
import { streamIds } from '../domain/stream-names';

/** One environment of a profile, in one refresh. */
export interface EnvironmentRead {
  readonly profileId: string;
  readonly runId: string;
  readonly environmentUrl: string;
  readonly analyzeActivityFrom: string;
}

/** What a refresh saw of an environment's auditing: its settings, and the rows that switch it. */
export class RecordEnvironmentAudit extends Command<void> {
  constructor(
    readonly read: EnvironmentRead,
    readonly settings: Omit<AuditSettings, 'observedAt'>,
    readonly settingRows: readonly { auditId: string; action: number; at: string }[],
    readonly at: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/** A refresh could not read an environment: recorded, with the coverage that follows (the others go on). */
export class RecordEnvironmentFailure extends Command<void> {
  constructor(
    readonly read: EnvironmentRead,
    readonly cause: string,
    readonly message: string,
    readonly at: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(RecordEnvironmentAudit)
export class RecordEnvironmentAuditHandler implements ICommandHandler<RecordEnvironmentAudit> {
  constructor(private readonly commands: CommandExecutor) {}

  async execute({ read, settings, settingRows, at, context }: RecordEnvironmentAudit): Promise<void> {
    const { profileId, environmentUrl } = read;
    const streamId = streamIds.environment(profileId, environmentUrl);
    await this.commands.execute(
      streamId,
      environmentDecider,
      { type: 'RecordAuditSettings', data: { profileId, environmentUrl, settings, at } },
      context,
    );
    await this.commands.execute(
      streamId,
      environmentDecider,
      { type: 'RecordAuditSettingRows', data: { profileId, environmentUrl, rows: settingRows } },
      context,
    );
  }
}

@CommandHandler(RecordEnvironmentFailure)
export class RecordEnvironmentFailureHandler implements ICommandHandler<RecordEnvironmentFailure> {
  constructor(private readonly commands: CommandExecutor) {}

  async execute({ read, cause, message, at, context }: RecordEnvironmentFailure): Promise<void> {
    const { profileId, runId, environmentUrl, analyzeActivityFrom } = read;
    const streamId = streamIds.environment(profileId, environmentUrl);
    await this.commands.execute(
      streamId,
      environmentDecider,
      { type: 'RecordActivityPullFailure', data: { profileId, environmentUrl, runId, cause, message, at } },
      context,
    );
    await this.commands.execute(
      streamId,
      environmentDecider,
      { type: 'RecordCoverage', data: { profileId, environmentUrl, runId, analyzeActivityFrom, at } },
      context,
    );
  }
}
