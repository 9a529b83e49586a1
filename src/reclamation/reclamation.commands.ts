import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type ReclamationView, reclamationsProjection } from '../../projections/reclamations/reclamations.projection';
import { subscriptionsProjection } from '../../projections/subscriptions/subscriptions.projection';
import type { CommandContext } from '../application/command-context';
import { CommandExecutor } from '../application/command-executor';
import { licenseeDecider } from '../domain/licensee/licensee.decider';
import {
  licenseOf,
  reclaimInFlight,
  type ReclaimSubscription as ReclaimCommand,
  type SkuReference,
} from '../domain/licensee/reclaim-subscription';
import { streamIds } from '../domain/stream-names';
import { ProfileQueries } from '../profiles/profile.queries';
import { CLOCK, type Clock } from '../shared/clock';
import { conflict, notFound } from '../shared/domain-error';
import { newId } from '../shared/ids';
import { KeepLinks } from './keep-links';
import { Reclaimer, resultOf } from './reclaimer';

/** What an admin asks for: one user's license, by SKU id or part number. */
export interface ReclaimRequest {
  readonly userId: string;
  readonly skuId?: string;
  readonly skuPartNumber?: string;
  readonly dryRun: boolean;
  readonly reason?: string;
  /** Idempotency: the same id never removes twice and returns the first outcome. */
  readonly reclamationId?: string;
}

export type ReclaimResponse = {
  id: string;
  status: 'dry-run' | 'reclaimed' | 'blocked' | 'failed';
  detail: string;
  wouldBe?: 'reclaimed' | 'blocked';
};

export class ReclaimSubscription extends Command<ReclaimResponse> {
  constructor(
    readonly profileId: string,
    readonly request: ReclaimRequest,
    readonly context: CommandContext,
  ) {
    super();
  }
}

export class RequestKeep extends Command<ReclamationView> {
  constructor(
    readonly profileId: string,
    readonly reclamationId: string,
    readonly requestedBy: string | null,
    readonly reason: string,
    readonly token: string | null,
    readonly context: CommandContext,
  ) {
    super();
  }
}

export class DecideKeep extends Command<ReclamationView> {
  constructor(
    readonly profileId: string,
    readonly reclamationId: string,
    readonly approve: boolean,
    readonly note: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/**
 * ReclaimSubscription from the HTTP edge. A dry run asks the same decider on the stream as it
 * is and appends nothing; a real one goes through the Reclaimer (decide, Graph, outcome).
 */
@CommandHandler(ReclaimSubscription)
export class ReclaimSubscriptionHandler implements ICommandHandler<ReclaimSubscription> {
  constructor(
    private readonly commands: CommandExecutor,
    private readonly profiles: ProfileQueries,
    private readonly reclaimer: Reclaimer,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ profileId, request, context }: ReclaimSubscription): Promise<ReclaimResponse> {
    const profile = this.profiles.get(profileId);
    const userId = request.userId.toLowerCase();
    const reclamationId = request.reclamationId?.toLowerCase() ?? newId();
    const earlier = this.commands.runner.state(reclamationsProjection).byId.get(reclamationId);
    if (earlier && (earlier.profileId !== profileId || earlier.userId !== userId))
      throw conflict('reclamation-id-in-use', 'this reclamation id belongs to another subscription');
    const sku: SkuReference = request.skuId ? { skuId: request.skuId } : { skuPartNumber: request.skuPartNumber ?? '' };
    const command: ReclaimCommand = {
      type: 'ReclaimSubscription',
      data: {
        profileId,
        userId,
        reclamationId,
        sku,
        trigger: earlier?.trigger ?? 'manual',
        reason: request.reason ?? '',
        exclusionRules: profile.exclusionRules,
        groupNames: new Map(),
        at: this.clock.now().toISOString(),
      },
    };
    if (!request.dryRun) return this.reclaimer.reclaim(profile, command, context);

    const { state, events } = await this.commands.dryRun(
      streamIds.licensee(profileId, userId),
      licenseeDecider,
      command,
    );
    const decided = events[0];
    if (decided?.type === 'ReclamationBlocked') {
      return {
        id: reclamationId,
        status: 'dry-run',
        detail: `would be blocked: ${decided.data.detail}`,
        wouldBe: 'blocked',
      };
    }
    if (decided?.type === 'ReclamationRequested') {
      const upn = state.userPrincipalName || userId;
      const detail = `would remove the direct assignment of ${decided.data.skuPartNumber} from ${upn} through Graph assignLicense`;
      return { id: reclamationId, status: 'dry-run', detail, wouldBe: 'reclaimed' };
    }
    // Already decided under this id: the first outcome stands, and a real request would return it.
    const settled = state.reclamations.get(reclamationId);
    const license = settled ? undefined : licenseOf(state, sku);
    const inFlight = license && reclaimInFlight(state, license.skuId);
    if (inFlight) {
      const detail = `reclamation ${inFlight.id} of this subscription is waiting for Microsoft Graph; a real request would wait for its outcome`;
      return { id: reclamationId, status: 'dry-run', detail };
    }
    if (!settled) throw notFound('subscription', `${request.skuPartNumber ?? request.skuId} of user ${request.userId}`);
    const { status, detail } = resultOf(settled);
    return { id: reclamationId, status: 'dry-run', detail: `already ${status}: ${detail}` };
  }
}

@Injectable()
abstract class ReclamationStepHandler {
  constructor(
    protected readonly commands: CommandExecutor,
    protected readonly profiles: ProfileQueries,
    @Inject(CLOCK) protected readonly clock: Clock,
  ) {}

  protected find(profileId: string, reclamationId: string): ReclamationView {
    this.profiles.get(profileId);
    const r = this.commands.runner.state(reclamationsProjection).byId.get(reclamationId);
    if (!r || r.profileId !== profileId) throw notFound('reclamation', reclamationId);
    return r;
  }

  protected view(reclamationId: string): ReclamationView {
    return this.commands.runner.state(reclamationsProjection).byId.get(reclamationId)!;
  }
}

/** A notified user (with the notice's token) or an admin asks to keep the license. */
@CommandHandler(RequestKeep)
export class RequestKeepHandler extends ReclamationStepHandler implements ICommandHandler<RequestKeep> {
  constructor(
    commands: CommandExecutor,
    profiles: ProfileQueries,
    @Inject(CLOCK) clock: Clock,
    private readonly keepLinks: KeepLinks,
  ) {
    super(commands, profiles, clock);
  }

  async execute({
    profileId,
    reclamationId,
    requestedBy,
    reason,
    token,
    context,
  }: RequestKeep): Promise<ReclamationView> {
    const r = this.find(profileId, reclamationId);
    const admin = context.actor.kind === 'api-key' && context.actor.role === 'admin';
    if (!admin) {
      const check = token ? await this.keepLinks.check(profileId, reclamationId, token) : 'invalid';
      if (check === 'expired')
        throw new UnauthorizedException('the keep link has expired; ask an administrator to keep the license');
      if (check !== 'valid')
        throw new UnauthorizedException('a keep request needs the token from the notice or an admin API key');
    }
    const user = this.commands.runner.state(subscriptionsProjection).get(profileId)?.users.get(r.userId);
    const who = requestedBy ?? user?.userPrincipalName ?? r.userId;
    const actor = admin ? context : { ...context, actor: { kind: 'user' as const, id: r.userId } };
    await this.commands.execute(
      streamIds.licensee(profileId, r.userId),
      licenseeDecider,
      { type: 'RequestKeep', data: { reclamationId, at: this.clock.now().toISOString(), requestedBy: who, reason } },
      actor,
    );
    return this.view(reclamationId);
  }
}

/** An administrator approves (the user keeps it) or rejects (it is reclaimed) a keep request. */
@CommandHandler(DecideKeep)
export class DecideKeepHandler extends ReclamationStepHandler implements ICommandHandler<DecideKeep> {
  async execute({ profileId, reclamationId, approve, note, context }: DecideKeep): Promise<ReclamationView> {
    const r = this.find(profileId, reclamationId);
    await this.commands.execute(
      streamIds.licensee(profileId, r.userId),
      licenseeDecider,
      {
        type: 'DecideKeep',
        data: { reclamationId, at: this.clock.now().toISOString(), approve, by: context.actor.id, note },
      },
      context,
    );
    return this.view(reclamationId);
  }
}

export const RECLAMATION_COMMAND_HANDLERS = [ReclaimSubscriptionHandler, RequestKeepHandler, DecideKeepHandler];
