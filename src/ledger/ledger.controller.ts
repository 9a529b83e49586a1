import { Controller, Get, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { integrationsProjection } from '../../projections/integrations/integrations.projection';
import { tenantCatalogProjection } from '../../projections/tenant-catalog/tenant-catalog.projection';
import { effectivePrice } from '../domain/conclusions';
import { findCatalogEntry } from '../domain/catalog/catalog';
import { AllowAccess } from '../http/access';
import { PageQuery, compareKeys, pageByKey, pageByOrder } from '../http/pagination';
import { ProjectionRunner } from '../projection-runner/projection-runner';
import { ProfileId } from '../profiles/profiles.controller';
import { ProfileQueries } from '../profiles/profile.queries';
import { LedgerQueries, type AnsweredView } from './ledger.queries';
import { SerializedPages } from './serialized-pages';
import { AsOfQuery, LowUsageQuery, SubscriptionsQuery } from './ledger-query.dto';

/** "What was learned": software models, identifiers, subscriptions and the conclusions drawn from them. */
@ApiTags('what was learned')
@ApiBearerAuth()
@Controller('profiles/:id')
@AllowAccess('read')
export class LedgerController {
  constructor(
    private readonly ledger: LedgerQueries,
    private readonly profiles: ProfileQueries,
    private readonly runner: ProjectionRunner,
    private readonly pages: SerializedPages,
  ) {}

  @Get('software-models')
  @ApiOperation({ summary: 'Recognised products the tenant has, with license type and effective list price' })
  softwareModels(@ProfileId() id: string, @Query() query: PageQuery) {
    this.profiles.get(id);
    const catalog = this.runner.state(tenantCatalogProjection).catalogs.get(id);
    const models = [...(catalog?.models.values() ?? [])].sort((a, b) => compareKeys(a.skuPartNumber, b.skuPartNumber));
    const page = pageByKey(models, (m) => m.skuPartNumber, query);
    return {
      items: page.items.map((m) => {
        const price = effectivePrice(findCatalogEntry(m), m.skuPartNumber, catalog!.priceOverrides);
        return {
          id: m.skuId,
          skuId: m.skuId,
          skuPartNumber: m.skuPartNumber,
          name: m.name,
          licenseType: m.licenseType,
          activityTracked: m.activityTracked,
          activityNeeded: m.activityNeeded,
          listPriceMonthly: price?.amount ?? null,
          currency: price?.currency ?? null,
          createdAt: m.createdAt,
        };
      }),
      nextCursor: page.nextCursor,
    };
  }

  @Get('unrecognized-identifiers')
  @ApiOperation({
    summary: 'Dynamics 365 / Power Platform SKUs the catalog does not know, with how many users hold them',
  })
  async unrecognized(@ProfileId() id: string, @Query() query: PageQuery) {
    const answer = await this.ledger.unrecognized(id);
    const page = pageByKey(answer.items, answer.key, query);
    return { items: page.items, nextCursor: page.nextCursor };
  }

  @Get('subscriptions')
  @ApiOperation({ summary: 'Current software subscriptions (one user holding one SKU)' })
  async subscriptions(
    @ProfileId() id: string,
    @Query() query: SubscriptionsQuery,
    @Res({ passthrough: true }) res: Response,
  ) {
    const answer = await this.ledger.subscriptions(
      id,
      { userId: query.userId, skuPartNumber: query.skuPartNumber },
      query.asOf,
    );
    return this.pages.json(res, pageKey('subscriptions', answer, query, query.userId, query.skuPartNumber), () =>
      paged(answer, query),
    );
  }

  @Get('low-usage')
  @ApiOperation({
    summary:
      'Tracked, non-excluded subscriptions whose inactivity past their rule is proven (the audit log covered the whole window), most overdue first; ?include=unproven adds the rest with the reason; ?inactivityDays= asks what if every rule had that threshold; ?asOf= for a past moment',
  })
  async lowUsage(@ProfileId() id: string, @Query() query: LowUsageQuery, @Res({ passthrough: true }) res: Response) {
    const options = { includeUnproven: query.include === 'unproven', inactivityDays: query.inactivityDays };
    const answer = await this.ledger.lowUsage(id, query.asOf, options);
    return this.pages.json(
      res,
      pageKey('low-usage', answer, query, query.include, query.inactivityDays?.toString()),
      () => paged(answer, query),
    );
  }

  @Get('activity-coverage')
  @ApiOperation({
    summary:
      "Each environment's covered time: from coveredFrom to now, except the gaps (audit off, user-access audit off, logs deleted, not read); ?asOf= for a past moment",
  })
  async coverage(@ProfileId() id: string, @Query() query: AsOfQuery) {
    const answer = await this.ledger.coverage(id, query.asOf);
    return paged(answer, query);
  }

  @Get('downgrade-advice')
  @ApiOperation({
    summary:
      'Full licenses whose users, in the proven window, did only what Team Members allows: advised down to Team Members, with the saving and the evidence',
  })
  async downgrade(@ProfileId() id: string, @Query() query: AsOfQuery, @Res({ passthrough: true }) res: Response) {
    const answer = await this.ledger.downgradeAdvice(id, query.asOf);
    return this.pages.json(res, pageKey('downgrade-advice', answer, query), () => paged(answer, query));
  }

  @Get('integrations')
  @ApiOperation({
    summary:
      "Identities that wrote audit rows in people's names (impersonation): what each integration did, which is never counted as the people's activity",
  })
  integrations(@ProfileId() id: string, @Query() query: PageQuery) {
    this.profiles.get(id);
    const all = [...(this.runner.state(integrationsProjection).get(id)?.values() ?? [])]
      .map((i) => ({ ...i, environments: [...i.environments].sort() }))
      .sort((a, b) => compareKeys(a.systemUserId, b.systemUserId));
    const page = pageByKey(all, (i) => i.systemUserId, query);
    return { items: page.items, nextCursor: page.nextCursor };
  }

  @Get('consolidation')
  @ApiOperation({ summary: 'Users with two or more base licenses: keep the highest-priced, attach the rest' })
  async consolidation(@ProfileId() id: string, @Query() query: AsOfQuery, @Res({ passthrough: true }) res: Response) {
    const answer = await this.ledger.consolidation(id, query.asOf);
    return this.pages.json(res, pageKey('consolidation', answer, query), () => ({
      ...paged(answer, query),
      totals: answer.totals,
    }));
  }

  @Get('license-position')
  @ApiOperation({
    summary: 'Purchased vs assigned vs active per software model, with compliance; ?asOf= for a past moment',
  })
  async licensePosition(@ProfileId() id: string, @Query() query: AsOfQuery, @Res({ passthrough: true }) res: Response) {
    const answer = await this.ledger.licensePosition(id, query.asOf);
    return this.pages.json(res, pageKey('license-position', answer, query), () => ({
      ...paged(answer, query),
      totals: answer.totals,
    }));
  }
}

/** Everything a page depends on: the memoised list (profile, folded position, moment) and the page asked for. */
function pageKey(what: string, answer: AnsweredView, query: PageQuery, ...filters: (string | undefined)[]): string {
  return JSON.stringify([
    what,
    answer.profileId,
    answer.position,
    answer.asOf,
    query.limit ?? null,
    query.cursor ?? null,
    ...filters.map((f) => f ?? null),
  ]);
}

function paged<T>(
  answer: { items: readonly T[]; key: (item: T) => string; asOf: string; position: string | null },
  query: PageQuery,
) {
  const page = pageByOrder(answer.items, answer.key, query);
  return { items: page.items, nextCursor: page.nextCursor, asOf: answer.asOf, position: answer.position };
}
