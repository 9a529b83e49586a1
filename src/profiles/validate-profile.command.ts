import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '../application/command-context';
import { CommandExecutor } from '../application/command-executor';
import { profileDecider } from '../domain/profile/profile.decider';
import { type ValidationCheck } from '../domain/profile/profile.events';
import { ConcurrencyError, StoreUnavailableError } from '../eventstore/errors';
import type { DataverseClient } from '../connectors';
import { COMMON_TABLES, CUSTOMER_SERVICE_TABLES, SALES_TABLES } from '../domain/catalog/audit-tables';
import { ProfileConnectors } from '../microsoft/profile-connectors';
import type { ExistingProfile } from './profile.view';
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

  /** calculateActivity and auditSettings for every environment; a failed discovery is a failed check of its own. */
  private async activityChecks(profile: ExistingProfile): Promise<ValidationCheck[]> {
    const checks: ValidationCheck[] = [];
    const { environmentUrls, discoveryError, refused } = await this.connectors.environmentsOf(profile);
    if (discoveryError)
      checks.push({
        name: 'calculateActivity',
        ok: false,
        error: `environment discovery failed: ${messageOf(discoveryError)}`,
      });
    if (refused.length > 0)
      checks.push({
        name: 'calculateActivity',
        ok: true,
        warnings: refused.map((url) => `discovered ${url}, which SAM_ALLOWED_ENDPOINT_HOSTS does not allow: not read`),
      });
    for (const environmentUrl of environmentUrls) {
      let dataverse: DataverseClient;
      try {
        dataverse = await this.connectors.dataverseFor(profile, environmentUrl);
      } catch (error) {
        if (error instanceof StoreUnavailableError) throw error;
        checks.push({ name: 'calculateActivity', ok: false, error: messageOf(error) });
        continue;
      }
      checks.push(
        await check(
          'calculateActivity',
          async () => {
            await dataverse.firstAuditsPage(`${profile.analyzeActivityFrom}T00:00:00.000Z`);
          },
          environmentUrl,
        ),
      );
      checks.push(await auditSettingsCheck(dataverse, environmentUrl));
    }
    return checks;
  }

  async execute({ profileId, context }: ValidateProfile) {
    const streamId = streamIds.profile(profileId);
    const { state, revision } = await this.commands.load(streamId, profileDecider);
    if (state.status === 'none') throw notFound('profile', profileId);
    const checks: ValidationCheck[] = [];
    let clients: Awaited<ReturnType<ProfileConnectors['clientsFor']>> | null = null;
    try {
      clients = await this.connectors.clientsFor(state, {});
    } catch (error) {
      // The store being down is a 503 for the whole request, not a verdict on the profile.
      if (error instanceof StoreUnavailableError) throw error;
      checks.push({ name: 'downloadSubscriptions', ok: false, error: messageOf(error) });
    }
    if (clients) {
      const { graph } = clients;
      checks.push(
        await check('downloadSubscriptions', async () => {
          await graph.subscribedSkus();
          await graph.firstUsersPage();
        }),
      );
      if (state.downloadActivity) checks.push(...(await this.activityChecks(state)));
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

async function check(
  name: ValidationCheck['name'],
  run: () => Promise<void>,
  environmentUrl?: string,
): Promise<ValidationCheck> {
  const where = environmentUrl !== undefined ? { environmentUrl } : {};
  try {
    await run();
    return { name, ...where, ok: true };
  } catch (error) {
    return { name, ...where, ok: false, error: messageOf(error) };
  }
}

/**
 * An environment's audit settings, as inactivity needs them: auditing and user-access
 * auditing on, and the audit log readable by this connection; the catalog's activity tables
 * whose own auditing is off only warn (their activity is invisible, listed in the coverage).
 */
async function auditSettingsCheck(dataverse: DataverseClient, environmentUrl: string): Promise<ValidationCheck> {
  try {
    const settings = await dataverse.organizationAuditSettings();
    const problems: string[] = [];
    if (!settings.isauditenabled)
      problems.push(
        "auditing is off in this environment (isauditenabled): turn on Start Auditing in the environment's audit settings, or no inactivity can be proven",
      );
    if (!settings.isuseraccessauditenabled)
      problems.push(
        'user-access auditing is off (isuseraccessauditenabled): turn on Log access, or sign-ins are invisible',
      );
    await dataverse.proveAuditReadable();
    const tables = await dataverse.tableAuditSettings(ACTIVITY_TABLES);
    const unaudited = tables
      .filter((t) => !t.isAuditEnabled)
      .map((t) => t.logicalName)
      .sort();
    const warnings = unaudited.map(
      (table) => `table ${table} is not audited (IsAuditEnabled off): activity there is invisible`,
    );
    return {
      name: 'auditSettings',
      environmentUrl,
      ok: problems.length === 0,
      ...(problems.length > 0 ? { error: problems.join('; ') } : {}),
      ...(warnings.length > 0 ? { warnings } : {}),
    };
  } catch (error) {
    return { name: 'auditSettings', environmentUrl, ok: false, error: messageOf(error) };
  }
}

/** The catalog's activity tables: those whose own auditing matters. */
const ACTIVITY_TABLES = [...SALES_TABLES, ...CUSTOMER_SERVICE_TABLES, ...COMMON_TABLES];

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
