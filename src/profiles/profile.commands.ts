import { Inject, Injectable } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '../application/command-context';
import { CommandExecutor } from '../application/command-executor';
import { CONFIG } from '../core/tokens';
import type { Config } from '../config/config';
import { CREDENTIALS, type CredentialStore } from '../credentials/credential.store';
import { profileDecider, type ProfileState } from '../domain/profile/profile.decider';
import { type ExclusionRuleType } from '../domain/profile/profile.events';
import { CLOCK, type Clock } from '../shared/clock';
import { invalid, notFound } from '../shared/domain-error';
import { WebhookRefused, WebhookTargets } from '../webhooks/webhook-targets';
import { newId } from '../shared/ids';
import type { NotificationsInput, ProfileInput, ProfilePatch } from './profile.input';
import { ProfileSettingsFactory } from './profile-settings';
import type { ExistingProfile } from './profile.view';
import { streamIds } from '../domain/stream-names';

export class CreateProfile extends Command<ExistingProfile> {
  constructor(
    readonly body: ProfileInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}

export class UpdateProfile extends Command<ExistingProfile> {
  constructor(
    readonly profileId: string,
    readonly body: ProfilePatch,
    readonly context: CommandContext,
  ) {
    super();
  }
}

export class PublishProfile extends Command<ExistingProfile> {
  constructor(
    readonly profileId: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}

export class AddExclusionRule extends Command<{ id: string; type: ExclusionRuleType; value: string; reason: string }> {
  constructor(
    readonly profileId: string,
    readonly rule: { type: ExclusionRuleType; value: string; reason: string },
    readonly context: CommandContext,
  ) {
    super();
  }
}

export class RemoveExclusionRule extends Command<void> {
  constructor(
    readonly profileId: string,
    readonly ruleId: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@Injectable()
abstract class ProfileCommandHandler {
  constructor(
    protected readonly commands: CommandExecutor,
    @Inject(CREDENTIALS) protected readonly credentials: CredentialStore,
    @Inject(CONFIG) protected readonly config: Config,
    @Inject(CLOCK) protected readonly clock: Clock,
    protected readonly webhooks: WebhookTargets,
  ) {}

  protected settings(): ProfileSettingsFactory {
    return new ProfileSettingsFactory(this.credentials, this.config.allowedEndpointHosts, this.webhooks, () =>
      this.clock.now().toISOString().slice(0, 10),
    );
  }

  /**
   * A webhook host that is, or resolves to, an inside address is refused before anything is
   * stored. Only a URL that passes the checks needing no DNS is looked up, so a request that
   * is wrong anyway costs no lookup.
   */
  protected async checkWebhookHost(notifications: NotificationsInput | null | undefined): Promise<void> {
    if (!notifications || this.webhooks.problemWithoutDns(notifications.webhookUrl)) return;
    try {
      await this.webhooks.check(notifications.webhookUrl);
    } catch (error) {
      if (!(error instanceof WebhookRefused)) throw error;
      throw invalid('invalid-profile', 'the profile is invalid', [
        { field: 'notifications.webhookUrl', problem: error.message },
      ]);
    }
  }

  protected now(): string {
    return this.clock.now().toISOString();
  }

  protected async existing(profileId: string): Promise<ExistingProfile> {
    const { state } = await this.commands.load(streamIds.profile(profileId), profileDecider);
    if (state.status === 'none') throw notFound('profile', profileId);
    return state;
  }

  /** A secret stored for a command that did not land must not linger. */
  protected async withSecrets<T>(
    stored: readonly string[],
    replaced: readonly string[],
    work: () => Promise<T>,
  ): Promise<T> {
    let result: T;
    try {
      result = await work();
    } catch (error) {
      for (const ref of stored) await this.credentials.delete(ref).catch(() => undefined);
      throw error;
    }
    // The command landed: a failure to destroy the old secrets must not turn it into an error.
    for (const ref of replaced) await this.credentials.delete(ref).catch(() => undefined);
    return result;
  }
}

const existingState = (state: ProfileState): ExistingProfile => {
  if (state.status === 'none') throw new Error('profile state missing after a successful command');
  return state;
};

@CommandHandler(CreateProfile)
export class CreateProfileHandler extends ProfileCommandHandler implements ICommandHandler<CreateProfile> {
  async execute({ body, context }: CreateProfile): Promise<ExistingProfile> {
    await this.checkWebhookHost(body.notifications);
    const { value, stored } = await this.settings().fromCreate(body);
    const profileId = newId();
    return this.withSecrets(stored, [], async () => {
      const handled = await this.commands.execute(
        streamIds.profile(profileId),
        profileDecider,
        { type: 'CreateProfile', data: { profileId, settings: value, at: this.now() } },
        context,
      );
      return existingState(handled.state);
    });
  }
}

@CommandHandler(UpdateProfile)
export class UpdateProfileHandler extends ProfileCommandHandler implements ICommandHandler<UpdateProfile> {
  async execute({ profileId, body, context }: UpdateProfile): Promise<ExistingProfile> {
    const { state: current, revision } = await this.commands.load(streamIds.profile(profileId), profileDecider);
    if (current.status === 'none') throw notFound('profile', profileId);
    await this.checkWebhookHost(body.notifications);
    const { value, stored, replaced } = await this.settings().fromPatch(body, current);
    // The settings were checked, and the credentials to replace chosen, on this revision:
    // deciding on a newer one would delete the wrong secret and keep the one replaced.
    return this.withSecrets(stored, replaced, async () => {
      const handled = await this.commands.execute(
        streamIds.profile(profileId),
        profileDecider,
        { type: 'UpdateProfile', data: { changes: value, at: this.now() } },
        context,
        { expectedRevision: revision },
      );
      return existingState(handled.state);
    });
  }
}

@CommandHandler(PublishProfile)
export class PublishProfileHandler extends ProfileCommandHandler implements ICommandHandler<PublishProfile> {
  async execute({ profileId, context }: PublishProfile): Promise<ExistingProfile> {
    await this.existing(profileId);
    const handled = await this.commands.execute(
      streamIds.profile(profileId),
      profileDecider,
      { type: 'PublishProfile', data: { at: this.now() } },
      context,
    );
    return existingState(handled.state);
  }
}

@CommandHandler(AddExclusionRule)
export class AddExclusionRuleHandler extends ProfileCommandHandler implements ICommandHandler<AddExclusionRule> {
  async execute({ profileId, rule, context }: AddExclusionRule) {
    await this.existing(profileId);
    const ruleId = newId();
    await this.commands.execute(
      streamIds.profile(profileId),
      profileDecider,
      {
        type: 'AddExclusionRule',
        data: { ruleId, ruleType: rule.type, value: rule.value.trim(), reason: rule.reason, at: this.now() },
      },
      context,
    );
    return { id: ruleId, type: rule.type, value: rule.value.trim(), reason: rule.reason };
  }
}

@CommandHandler(RemoveExclusionRule)
export class RemoveExclusionRuleHandler extends ProfileCommandHandler implements ICommandHandler<RemoveExclusionRule> {
  async execute({ profileId, ruleId, context }: RemoveExclusionRule): Promise<void> {
    await this.existing(profileId);
    await this.commands.execute(
      streamIds.profile(profileId),
      profileDecider,
      { type: 'RemoveExclusionRule', data: { ruleId, at: this.now() } },
      context,
    );
  }
}

export const PROFILE_COMMAND_HANDLERS = [
  CreateProfileHandler,
  UpdateProfileHandler,
  PublishProfileHandler,
  AddExclusionRuleHandler,
  RemoveExclusionRuleHandler,
];
