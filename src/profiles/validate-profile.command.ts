import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '../application/command-context';
import { CommandExecutor } from '../application/command-executor';
import { profileDecider } from '../domain/profile/profile.decider';
import { type ValidationCheck } from '../domain/profile/profile.events';
import { ConcurrencyError } from '../eventstore/errors';
import { ProfileConnectors } from '../microsoft/profile-connectors';
import { CLOCK, type Clock } from '../shared/clock';
import { conflict, notFound } from '../shared/domain-error';
import { streamIds } from '../domain/stream-names';

export class ValidateProfile extends Command<{ valid: boolean; checks: ValidationCheck[] }> {
  constructor(
    readonly profileId: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/**
 * Proves the calls the jobs will make (the brief: "verifies the Download Subscriptions and
 * Calculate Activity APIs, but not the Reclaim Subscriptions APIs"): subscribedSkus and
 * one page of users, and one page of audits when activity is downloaded. The result is
 * appended against the revision the checks were run on: a change made meanwhile makes
 * the validation moot (409), never silently validates the new settings.
 */
@CommandHandler(ValidateProfile)
export class ValidateProfileHandler implements ICommandHandler<ValidateProfile> {
  constructor(
    private readonly commands: CommandExecutor,
    private readonly connectors: ProfileConnectors,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ profileId, context }: ValidateProfile) {
    const streamId = streamIds.profile(profileId);
    const { state, revision } = await this.commands.load(streamId, profileDecider);
    if (state.status === 'none') throw notFound('profile', profileId);
    const checks: ValidationCheck[] = [];
    let clients: ReturnType<ProfileConnectors['clientsFor']> | null = null;
    try {
      clients = this.connectors.clientsFor(state, {});
    } catch (error) {
      checks.push({ name: 'downloadSubscriptions', ok: false, error: messageOf(error) });
    }
    if (clients) {
      const { graph, dataverse } = clients;
      checks.push(
        await check('downloadSubscriptions', async () => {
          await graph.subscribedSkus();
          await graph.firstUsersPage();
        }),
      );
      if (state.downloadActivity) {
        checks.push(
          await check('calculateActivity', async () => {
            if (!dataverse) throw new Error('the profile has no activity connection');
            await dataverse.firstAuditsPage(`${state.analyzeActivityFrom}T00:00:00.000Z`);
          }),
        );
      }
    }
    try {
      await this.commands.execute(
        streamId,
        profileDecider,
        { type: 'RecordValidation', data: { checks, at: this.clock.now().toISOString() } },
        context,
        { expectedRevision: revision },
      );
    } catch (error) {
      if (error instanceof ConcurrencyError)
        throw conflict(
          'profile-changed-during-validation',
          'the profile changed while it was being validated; validate it again',
        );
      throw error;
    }
    return { valid: checks.every((c) => c.ok), checks };
  }
}

async function check(name: ValidationCheck['name'], run: () => Promise<void>): Promise<ValidationCheck> {
  try {
    await run();
    return { name, ok: true };
  } catch (error) {
    return { name, ok: false, error: messageOf(error) };
  }
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
