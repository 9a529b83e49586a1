import { Inject, Injectable } from '@nestjs/common';
import type { CommandContext } from '../application/command-context';
import { CommandExecutor } from '../application/command-executor';
import { UpstreamError } from '../connectors';
import { LOGGER } from '../core/tokens';
import { licenseeDecider } from '../domain/licensee/licensee.decider';
import type { Reclamation } from '../domain/licensee/licensee.state';
import { isSettled, licenseOf, type ReclaimSubscription } from '../domain/licensee/reclaim-subscription';
import { streamIds } from '../domain/stream-names';
import type { Logger } from '../logging/logger';
import { ProfileConnectors } from '../microsoft/profile-connectors';
import type { ExistingProfile } from '../profiles/profile.view';
import { CLOCK, type Clock } from '../shared/clock';

export type ReclaimStatus = 'reclaimed' | 'blocked' | 'failed';

export interface ReclaimResult {
  readonly id: string;
  readonly status: ReclaimStatus;
  readonly detail: string;
}

/**
 * Carries out ReclaimSubscription for an admin's request or the workflow: the decider
 * records `ReclamationRequested` (against the licensee stream's revision) before Graph
 * assignLicense is called, then the outcome. A retry of the same reclamation id returns
 * the first outcome and never calls Graph again; one cut short by a crash (requested, no
 * outcome) is settled by reading the user back from Graph.
 */
@Injectable()
export class Reclaimer {
  constructor(
    private readonly commands: CommandExecutor,
    private readonly connectors: ProfileConnectors,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async reclaim(
    profile: ExistingProfile,
    command: ReclaimSubscription,
    context: CommandContext,
  ): Promise<ReclaimResult> {
    const { userId, reclamationId, sku } = command.data;
    const streamId = streamIds.licensee(profile.profileId, userId);
    const { state } = await this.commands.load(streamId, licenseeDecider);
    const before = state.reclamations.get(reclamationId);
    if (before && isSettled(before)) return resultOf(before);
    if (before?.status === 'requested') return this.settleInterrupted(profile, userId, before, context);

    const license = before ? state.licenses.get(before.skuId) : licenseOf(state, sku);
    const groupNames =
      license && license.assignedVia !== 'direct' ? await this.groupNames(profile, license.groupIds) : new Map();
    const requested = await this.commands.execute(
      streamId,
      licenseeDecider,
      { ...command, data: { ...command.data, groupNames } },
      context,
    );
    const decided = requested.state.reclamations.get(reclamationId);
    if (!decided) throw new Error(`reclamation ${reclamationId} was not recorded`);
    if (decided.status !== 'requested') return resultOf(decided);

    let outcome: { outcome: 'reclaimed' } | { outcome: 'failed'; cause: string; message: string };
    try {
      // Inside the try: a secret that cannot be read fails this reclamation, it does not leave it requested.
      const { graph } = await this.connectors.clientsFor(profile);
      await graph.assignLicense(userId, { addLicenses: [], removeLicenses: [decided.skuId] });
      outcome = { outcome: 'reclaimed' };
    } catch (error) {
      const cause = error instanceof UpstreamError ? error.cause : 'internal';
      outcome = { outcome: 'failed', cause, message: (error as Error).message };
      this.logger.warn('reclaim failed', { profileId: profile.profileId, userId, skuId: decided.skuId, cause });
    }
    const recorded = await this.commands.execute(
      streamId,
      licenseeDecider,
      { type: 'RecordReclaimOutcome', data: { reclamationId, at: this.now(), ...outcome } },
      context,
    );
    return resultOf(recorded.state.reclamations.get(reclamationId) ?? decided);
  }

  /** The request was recorded but its outcome was not (a crash): Graph says whether the license is gone. */
  private async settleInterrupted(
    profile: ExistingProfile,
    userId: string,
    requested: Reclamation,
    context: CommandContext,
  ): Promise<ReclaimResult> {
    const streamId = streamIds.licensee(profile.profileId, userId);
    const { graph } = await this.connectors.clientsFor(profile);
    const user = await graph.user(userId, ['id', 'assignedLicenses']);
    const stillHeld = (user.assignedLicenses ?? []).some((l) => l.skuId.toLowerCase() === requested.skuId);
    const outcome = stillHeld
      ? {
          outcome: 'failed' as const,
          cause: 'interrupted',
          message:
            'an earlier attempt was interrupted and the license is still assigned; reclaim again with a new request',
        }
      : { outcome: 'reclaimed' as const };
    const recorded = await this.commands.execute(
      streamId,
      licenseeDecider,
      { type: 'RecordReclaimOutcome', data: { reclamationId: requested.id, at: this.now(), ...outcome } },
      context,
    );
    return resultOf(recorded.state.reclamations.get(requested.id) ?? requested);
  }

  private async groupNames(profile: ExistingProfile, groupIds: readonly string[]): Promise<Map<string, string | null>> {
    const names = new Map<string, string | null>();
    // A secret that cannot be read leaves the names unknown here; the reclaim itself then fails with the reason.
    const graph = await this.connectors.clientsFor(profile).then(
      (clients) => clients.graph,
      () => null,
    );
    for (const id of groupIds) {
      if (!graph) {
        names.set(id, null);
        continue;
      }
      try {
        names.set(id, (await graph.group(id)).displayName);
      } catch {
        names.set(id, null); // GroupMember.Read.All may not be granted: the id still names the group
      }
    }
    return names;
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}

export function resultOf(r: Reclamation): ReclaimResult {
  const status: ReclaimStatus = r.status === 'reclaimed' || r.status === 'blocked' ? r.status : 'failed';
  return { id: r.id, status, detail: r.detail };
}
