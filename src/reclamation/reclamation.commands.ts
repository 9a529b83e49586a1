import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { ReclamationsReadModel, ReclamationView } from '../../projections/reclamations/reclamations.projection';
import type { SubscriptionsReadModel } from '../../projections/subscriptions/subscriptions.projection';
import type { CommandContext } from '../application/command-context';
import { Streams } from '../application/streams.service';
import { licenseeStreamId } from '../domain/licensee/licensee.events';
import { reclamationDecider } from '../domain/licensee/reclamation.decider';
import { ProfileQueries } from '../profiles/profile.queries';
import { CLOCK, type Clock } from '../shared/clock';
import { conflict, notFound } from '../shared/domain-error';
import { newId } from '../shared/ids';
import { Reclaimer } from './reclaimer';
import type { ReclaimDto } from './reclamation.dto';
import { KeepLinks } from './keep-links';

export type ReclaimResponse = {
  id: string;
  status: 'dry-run' | 'reclaimed' | 'blocked' | 'failed';
  detail: string;
  wouldBe?: 'reclaimed' | 'blocked';
};

export class ReclaimSubscription extends Command<ReclaimResponse> {
  constructor(
    readonly profileId: string,
    readonly body: ReclaimDto,
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

@CommandHandler(ReclaimSubscription)
export class ReclaimSubscriptionHandler implements ICommandHandler<ReclaimSubscription> {
  constructor(
    private readonly streams: Streams,
    private readonly profiles: ProfileQueries,
    private readonly reclaimer: Reclaimer,
  ) {}

  async execute({ profileId, body, context }: ReclaimSubscription): Promise<ReclaimResponse> {
    const profile = this.profiles.get(profileId);
    const userId = body.userId.toLowerCase();
    const earlier = body.reclamationId
      ? this.streams.runner.state<ReclamationsReadModel>('reclamations').byId.get(body.reclamationId.toLowerCase())
      : undefined;
    if (earlier && !body.dryRun) {
      // A retry of a reclamation already decided: its first outcome, and Graph is not called again.
      if (earlier.profileId !== profileId || earlier.userId !== userId)
        throw conflict('reclamation-id-in-use', 'this reclamation id belongs to another subscription');
      if (
        earlier.status === 'reclaimed' ||
        earlier.status === 'blocked' ||
        (earlier.status === 'failed' && !earlier.removing)
      ) {
        return { id: earlier.id, status: earlier.status, detail: earlier.detail };
      }
      return this.reclaimer.reclaim(
        profile,
        userId,
        earlier.skuId,
        earlier.id,
        earlier.trigger,
        body.reason ?? '',
        context,
      );
    }
    const user = this.streams.runner.state<SubscriptionsReadModel>('subscriptions').get(profileId)?.users.get(userId);
    const wanted = body.skuId?.toLowerCase();
    const part = body.skuPartNumber?.toUpperCase();
    const license = [...(user?.licenses.values() ?? [])].find((l) =>
      wanted ? l.skuId === wanted : l.skuPartNumber.toUpperCase() === part,
    );
    if (!user || !license) throw notFound('subscription', `${body.skuPartNumber ?? body.skuId} of user ${body.userId}`);
    const id = body.reclamationId?.toLowerCase() ?? newId();
    if (body.dryRun) {
      // Says what would happen from what the ledger knows; calls nothing (group names come with a real reclaim).
      const excluded = profile.exclusionRules.some((r) =>
        r.type === 'identifier'
          ? [license.skuPartNumber.toLowerCase(), license.skuId].includes(r.value.toLowerCase())
          : [userId, user.userPrincipalName.toLowerCase()].includes(r.value.toLowerCase()),
      );
      const detail = excluded
        ? 'would be blocked: the subscription is excluded by an exclusion rule'
        : license.assignedVia !== 'direct'
          ? `would be blocked: assigned through group ${license.groupIds.join(', ')}`
          : `would remove the direct assignment of ${license.skuPartNumber} from ${user.userPrincipalName} through Graph assignLicense`;
      return {
        id,
        status: 'dry-run',
        detail,
        wouldBe: excluded || license.assignedVia !== 'direct' ? 'blocked' : 'reclaimed',
      };
    }
    return this.reclaimer.reclaim(profile, userId, license.skuId, id, 'manual', body.reason ?? '', context);
  }
}

@Injectable()
abstract class ReclamationStepHandler {
  constructor(
    protected readonly streams: Streams,
    protected readonly profiles: ProfileQueries,
    @Inject(CLOCK) protected readonly clock: Clock,
  ) {}

  protected find(profileId: string, reclamationId: string): ReclamationView {
    this.profiles.get(profileId);
    const r = this.streams.runner.state<ReclamationsReadModel>('reclamations').byId.get(reclamationId);
    if (!r || r.profileId !== profileId) throw notFound('reclamation', reclamationId);
    return r;
  }

  protected view(reclamationId: string): ReclamationView {
    return this.streams.runner.state<ReclamationsReadModel>('reclamations').byId.get(reclamationId)!;
  }
}

/** A notified user (with the notice's token) or an admin asks to keep the license. */
@CommandHandler(RequestKeep)
export class RequestKeepHandler extends ReclamationStepHandler implements ICommandHandler<RequestKeep> {
  constructor(
    streams: Streams,
    profiles: ProfileQueries,
    @Inject(CLOCK) clock: Clock,
    private readonly keepLinks: KeepLinks,
  ) {
    super(streams, profiles, clock);
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
      const check = token ? this.keepLinks.check(profileId, reclamationId, token) : 'invalid';
      if (check === 'expired')
        throw new UnauthorizedException('the keep link has expired; ask an administrator to keep the license');
      if (check !== 'valid')
        throw new UnauthorizedException('a keep request needs the token from the notice or an admin API key');
    }
    const user = this.streams.runner.state<SubscriptionsReadModel>('subscriptions').get(profileId)?.users.get(r.userId);
    const who = requestedBy ?? user?.userPrincipalName ?? r.userId;
    const actor = admin ? context : { ...context, actor: { kind: 'user' as const, id: r.userId } };
    await this.streams.execute(
      licenseeStreamId(profileId, r.userId),
      reclamationDecider,
      {
        type: 'RequestKeep',
        data: { reclamationId, skuId: r.skuId, at: this.clock.now().toISOString(), requestedBy: who, reason },
      },
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
    await this.streams.execute(
      licenseeStreamId(profileId, r.userId),
      reclamationDecider,
      {
        type: 'DecideKeep',
        data: {
          reclamationId,
          skuId: r.skuId,
          at: this.clock.now().toISOString(),
          approve,
          by: context.actor.id,
          note,
        },
      },
      context,
    );
    return this.view(reclamationId);
  }
}

export const RECLAMATION_COMMAND_HANDLERS = [ReclaimSubscriptionHandler, RequestKeepHandler, DecideKeepHandler];
