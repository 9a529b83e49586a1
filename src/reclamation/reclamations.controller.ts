import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type ReclamationView, reclamationsProjection } from '../../projections/reclamations/reclamations.projection';
import { subscriptionsProjection } from '../../projections/subscriptions/subscriptions.projection';
import type { CommandContext } from '../application/command-context';
import { AllowAccess } from '../http/access';
import { Caller } from '../http/command-context.decorator';
import { PageQuery, compareKeys, pageByKey } from '../http/pagination';
import { ProjectionRunner } from '../projection-runner/projection-runner';
import { ProfileId } from '../profiles/profiles.controller';
import { ProfileQueries } from '../profiles/profile.queries';
import { invalid, notFound } from '../shared/domain-error';
import { DecideKeep, ReclaimSubscription, RequestKeep } from './reclamation.commands';
import { DecisionDto, KeepDto, KeepQuery, ReclaimDto } from './reclamation.dto';

const ReclamationId = () =>
  Param(
    'reclamationId',
    new ParseUUIDPipe({
      exceptionFactory: () =>
        invalid('invalid-reclamation-id', 'the reclamation id is not a UUID', [
          { field: 'reclamationId', problem: 'must be a UUID' },
        ]),
    }),
  );

@ApiTags('reclamation')
@ApiBearerAuth()
@Controller('profiles/:id/reclamations')
export class ReclamationsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly runner: ProjectionRunner,
    private readonly profiles: ProfileQueries,
  ) {}

  @Post()
  @HttpCode(200)
  @AllowAccess('command')
  @ApiOperation({ summary: 'Reclaim a subscription (remove a direct assignment through Graph); dryRun calls nothing' })
  reclaim(@ProfileId() id: string, @Body() body: ReclaimDto, @Caller() caller: CommandContext) {
    return this.commands.execute(new ReclaimSubscription(id, body, caller));
  }

  @Get()
  @AllowAccess('read')
  @ApiOperation({ summary: 'Every reclamation, manual and from the workflow, newest first, each with its history' })
  list(@ProfileId() id: string, @Query() query: PageQuery) {
    this.profiles.get(id);
    const model = this.runner.state(reclamationsProjection);
    const ids = model.byProfile.get(id) ?? [];
    const keyed = ids
      .map((rid, i) => ({ key: String(Number.MAX_SAFE_INTEGER - i).padStart(16, '0'), view: model.byId.get(rid)! }))
      .sort((a, b) => compareKeys(a.key, b.key));
    const page = pageByKey(keyed, (k) => k.key, query);
    return { items: page.items.map((k) => this.present(id, k.view)), nextCursor: page.nextCursor };
  }

  @Get(':reclamationId')
  @AllowAccess('read')
  get(@ProfileId() id: string, @ReclamationId() reclamationId: string) {
    return this.present(id, this.find(id, reclamationId));
  }

  @Post(':reclamationId/keep')
  @HttpCode(200)
  @AllowAccess('public')
  @ApiOperation({
    summary:
      "The notified user asks to keep the license (the notice's token, or an admin key); an admin then approves or rejects",
  })
  async keep(
    @ProfileId() id: string,
    @ReclamationId() reclamationId: string,
    @Query() query: KeepQuery,
    @Body() body: KeepDto,
    @Caller() caller: CommandContext,
  ) {
    const view = await this.commands.execute(
      new RequestKeep(id, reclamationId, body.requestedBy ?? null, body.reason ?? '', query.token ?? null, caller),
    );
    return this.present(id, view);
  }

  @Post(':reclamationId/approve')
  @HttpCode(200)
  @AllowAccess('command')
  @ApiOperation({ summary: 'Approve the keep request: the user keeps the license' })
  async approve(
    @ProfileId() id: string,
    @ReclamationId() reclamationId: string,
    @Body() body: DecisionDto,
    @Caller() caller: CommandContext,
  ) {
    return this.present(
      id,
      await this.commands.execute(new DecideKeep(id, reclamationId, true, body.note ?? '', caller)),
    );
  }

  @Post(':reclamationId/reject')
  @HttpCode(200)
  @AllowAccess('command')
  @ApiOperation({ summary: 'Reject the keep request: the license is reclaimed' })
  async reject(
    @ProfileId() id: string,
    @ReclamationId() reclamationId: string,
    @Body() body: DecisionDto,
    @Caller() caller: CommandContext,
  ) {
    return this.present(
      id,
      await this.commands.execute(new DecideKeep(id, reclamationId, false, body.note ?? '', caller)),
    );
  }

  private find(profileId: string, reclamationId: string): ReclamationView {
    this.profiles.get(profileId);
    const r = this.runner.state(reclamationsProjection).byId.get(reclamationId);
    if (!r || r.profileId !== profileId) throw notFound('reclamation', reclamationId);
    return r;
  }

  private present(profileId: string, r: ReclamationView) {
    const user = this.runner.state(subscriptionsProjection).get(profileId)?.users.get(r.userId);
    return {
      id: r.id,
      userId: r.userId,
      userPrincipalName: user?.userPrincipalName ?? null,
      skuId: r.skuId,
      skuPartNumber: r.skuPartNumber,
      trigger: r.trigger,
      status: r.status,
      detail: r.detail,
      openedAt: r.openedAt,
      graceEndsAt: r.graceEndsAt,
      updatedAt: r.updatedAt,
      history: r.history,
    };
  }
}
