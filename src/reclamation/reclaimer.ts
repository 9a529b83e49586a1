import { Inject, Injectable } from '@nestjs/common';
import type { SubscriptionsReadModel } from '../../projections/subscriptions/subscriptions.projection';
import { exclusionsOf, identifierExcluded, userExcluded } from '../../projections/conclusions';
import type { CommandContext } from '../application/command-context';
import { toNewEvent } from '../application/command-handling';
import { Streams } from '../application/streams.service';
import { UpstreamError } from '../connectors';
import { licenseeStreamId } from '../domain/licensee/licensee.events';
import { reclamationDecider, type ReclamationCommand, type Reclamation } from '../domain/licensee/reclamation.decider';
import type { ReclamationTrigger } from '../domain/licensee/reclamation.events';
import { LOGGER } from '../core/tokens';
import type { Logger } from '../logging/logger';
import { ProfileConnectors } from '../microsoft/profile-connectors';
import type { ExistingProfile } from '../profiles/profile.view';
import { CLOCK, type Clock } from '../shared/clock';
import { notFound } from '../shared/domain-error';

export type ReclaimStatus = 'reclaimed' | 'blocked' | 'failed';

export interface ReclaimResult {
  readonly id: string;
  readonly status: ReclaimStatus;
  readonly detail: string;
}

/**
 * Removes a direct assignment through Graph assignLicense, for an admin's request or the
 * workflow. ReclamationRequested is appended (against the licensee stream's revision)
 * before Graph is called, so a retry with the same reclamation id finds it and never
 * calls Graph a second time; a request cut short is settled by reading the user back.
 */
@Injectable()
export class Reclaimer {
  constructor(
    private readonly streams: Streams,
    private readonly connectors: ProfileConnectors,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async reclaim(
    profile: ExistingProfile,
    userId: string,
    skuId: string,
    reclamationId: string,
    trigger: ReclamationTrigger,
    reason: string,
    context: CommandContext,
  ): Promise<ReclaimResult> {
    const streamId = licenseeStreamId(profile.profileId, userId);
    let { state } = await this.streams.load(streamId, reclamationDecider);
    const before = state.reclamations.get(reclamationId);
    if (before && isFinal(before)) return result(before);
    if (before?.status === 'requested')
      return this.settleInterrupted(profile, userId, skuId, reclamationId, reason, context);

    const license = state.licenses.get(skuId);
    if (!license) throw notFound('subscription', `${skuId} of user ${userId}`);
    const excludedBy = this.exclusion(profile, userId, skuId, license.skuPartNumber);
    const groupNames =
      license.assignedVia === 'direct'
        ? new Map<string, string | null>()
        : await this.groupNames(profile, license.groupIds);
    state =
      (await this.decide(
        streamId,
        {
          type: 'RequestReclaim',
          data: { reclamationId, skuId, at: this.now(), trigger, reason, excludedBy, groupNames },
        },
        context,
      )) ?? state;
    const requested = state.reclamations.get(reclamationId);
    if (!requested) throw new Error(`reclamation ${reclamationId} was not recorded`);
    if (requested.status !== 'requested') return result(requested);

    const { graph } = this.connectors.clientsFor(profile);
    let outcome: ReclamationCommand & { type: 'RecordReclaimOutcome' };
    try {
      await graph.assignLicense(userId, { addLicenses: [], removeLicenses: [skuId] });
      outcome = {
        type: 'RecordReclaimOutcome',
        data: { reclamationId, skuId, at: this.now(), outcome: 'reclaimed', reason },
      };
    } catch (error) {
      const cause = error instanceof UpstreamError ? error.cause : 'internal';
      outcome = {
        type: 'RecordReclaimOutcome',
        data: {
          reclamationId,
          skuId,
          at: this.now(),
          outcome: 'failed',
          cause,
          message: (error as Error).message,
          reason,
        },
      };
      this.logger.warn('reclaim failed', { profileId: profile.profileId, userId, skuId, cause });
    }
    const after = (await this.decide(streamId, outcome, context))?.reclamations.get(reclamationId);
    return result(after ?? requested);
  }

  /** The request was recorded but its outcome was not (a crash): Graph says whether the license is gone. */
  private async settleInterrupted(
    profile: ExistingProfile,
    userId: string,
    skuId: string,
    reclamationId: string,
    reason: string,
    context: CommandContext,
  ): Promise<ReclaimResult> {
    const streamId = licenseeStreamId(profile.profileId, userId);
    const { graph } = this.connectors.clientsFor(profile);
    const user = await graph.user(userId, ['id', 'assignedLicenses']);
    const stillHeld = (user.assignedLicenses ?? []).some((l) => l.skuId.toLowerCase() === skuId);
    const command: ReclamationCommand = stillHeld
      ? {
          type: 'RecordReclaimOutcome',
          data: {
            reclamationId,
            skuId,
            at: this.now(),
            outcome: 'failed',
            cause: 'interrupted',
            message:
              'an earlier attempt was interrupted and the license is still assigned; reclaim again with a new request',
            reason,
          },
        }
      : { type: 'RecordReclaimOutcome', data: { reclamationId, skuId, at: this.now(), outcome: 'reclaimed', reason } };
    const state = await this.decide(streamId, command, context);
    return result(state!.reclamations.get(reclamationId)!);
  }

  /** Which exclusion rule (if any) keeps this subscription out of optimisation: it is then blocked. */
  private exclusion(profile: ExistingProfile, userId: string, skuId: string, skuPartNumber: string): string | null {
    const user = this.streams.runner
      .state<SubscriptionsReadModel>('subscriptions')
      .get(profile.profileId)
      ?.users.get(userId);
    if (!user) return null;
    for (const rule of profile.exclusionRules) {
      const one = exclusionsOf([rule]);
      if (rule.type === 'identifier' ? identifierExcluded(one, skuId, skuPartNumber) : userExcluded(one, user)) {
        return `${rule.type} rule ${rule.value}${rule.reason ? `: ${rule.reason}` : ''}`;
      }
    }
    return null;
  }

  private async groupNames(profile: ExistingProfile, groupIds: readonly string[]): Promise<Map<string, string | null>> {
    const { graph } = this.connectors.clientsFor(profile);
    const names = new Map<string, string | null>();
    for (const id of groupIds) {
      try {
        names.set(id, (await graph.group(id)).displayName);
      } catch {
        names.set(id, null); // Group.Read.All may not be granted: the id still names the group
      }
    }
    return names;
  }

  private async decide(streamId: string, command: ReclamationCommand, context: CommandContext) {
    const { state, expected } = await this.streams.load(streamId, reclamationDecider);
    const events = reclamationDecider.decide(command, state);
    if (events.length === 0) return state;
    const appended = await this.streams.store.append(
      streamId,
      events.map((e) => toNewEvent(e, context, this.streams.registry)),
      expected,
    );
    await this.streams.runner.waitFor(appended.position);
    return events.reduce(reclamationDecider.evolve, state);
  }

  private now(): string {
    return this.clock.now().toISOString();
  }
}

const isFinal = (r: Reclamation) => r.status === 'reclaimed' || r.status === 'blocked' || r.status === 'failed';

function result(r: Reclamation): ReclaimResult {
  const status: ReclaimStatus = r.status === 'reclaimed' || r.status === 'blocked' ? r.status : 'failed';
  return { id: r.id, status, detail: r.detail };
}
