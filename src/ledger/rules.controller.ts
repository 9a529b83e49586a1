import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Put, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { tenantCatalogProjection } from '../../projections/tenant-catalog/tenant-catalog.projection';
import { effectivePrice } from '../domain/conclusions';
import type { CommandContext } from '../application/command-context';
import { findCatalogEntry } from '../domain/catalog/catalog';
import { AllowAccess } from '../http/access';
import { Caller } from '../http/command-context.decorator';
import { PageQuery, compareKeys, pageByKey } from '../http/pagination';
import { ProjectionRunner } from '../projection-runner/projection-runner';
import { ProfileId } from '../profiles/profiles.controller';
import { ProfileQueries } from '../profiles/profile.queries';
import { notFound } from '../shared/domain-error';
import { ChangeReclamationRule, SetEntitlement, SetListPrice } from './rules.commands';
import { EntitlementDto, PriceOverrideDto, UpdateReclamationRuleDto } from './rules.dto';

@ApiTags('rules')
@ApiBearerAuth()
@Controller('profiles/:id')
export class RulesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly runner: ProjectionRunner,
    private readonly profiles: ProfileQueries,
  ) {}

  @Get('reclamation-rules')
  @AllowAccess('read')
  @ApiOperation({ summary: 'One rule per software model with activity tracking, made automatically (60 days)' })
  reclamationRules(@ProfileId() id: string, @Query() query: PageQuery) {
    const rules = [...(this.catalog(id)?.rules.values() ?? [])].sort((a, b) =>
      compareKeys(a.skuPartNumber, b.skuPartNumber),
    );
    return pageByKey(rules, (r) => r.skuPartNumber, query);
  }

  @Patch('reclamation-rules/:ruleId')
  @AllowAccess('command')
  async changeRule(
    @ProfileId() id: string,
    @Param('ruleId') ruleId: string,
    @Body() body: UpdateReclamationRuleDto,
    @Caller() caller: CommandContext,
  ) {
    await this.commands.execute(new ChangeReclamationRule(id, ruleId, body, caller));
    const rule = this.catalog(id)?.rules.get(ruleId);
    if (!rule) throw notFound('reclamation-rule', ruleId);
    return rule;
  }

  @Get('prices')
  @AllowAccess('read')
  @ApiOperation({
    summary:
      'The effective list price of every SKU the tenant has: the profile override, else the catalog price with its source',
  })
  prices(@ProfileId() id: string, @Query() query: PageQuery) {
    const catalog = this.catalog(id);
    const overrides = catalog?.priceOverrides ?? new Map();
    const skus = [...(catalog?.models.values() ?? []), ...(catalog?.unrecognized.values() ?? [])].sort((a, b) =>
      compareKeys(a.skuPartNumber, b.skuPartNumber),
    );
    const page = pageByKey(skus, (s) => s.skuPartNumber, query);
    return {
      items: page.items.map((s) => {
        const entry = findCatalogEntry(s);
        const overridden = overrides.has(entry?.skuPartNumber ?? s.skuPartNumber);
        const price = overridden ? overrides.get(entry?.skuPartNumber ?? s.skuPartNumber) : (entry?.listPrice ?? null);
        return {
          skuPartNumber: s.skuPartNumber,
          skuId: s.skuId,
          overridden,
          listPriceMonthly: price?.amount ?? null,
          currency: price?.currency ?? null,
          source: price?.source ?? null,
          asOf: price?.asOf ?? null,
        };
      }),
      nextCursor: page.nextCursor,
    };
  }

  @Put('prices/:skuPartNumber')
  @AllowAccess('command')
  @ApiOperation({ summary: "Override a SKU's list price for this profile (null: no price)" })
  async setPrice(
    @ProfileId() id: string,
    @Param('skuPartNumber') sku: string,
    @Body() body: PriceOverrideDto,
    @Caller() caller: CommandContext,
  ) {
    const result = await this.commands.execute(new SetListPrice(id, sku, body, caller));
    const price = effectivePrice(
      findCatalogEntry({ skuPartNumber: result.skuPartNumber }),
      result.skuPartNumber,
      this.catalog(id)?.priceOverrides ?? new Map(),
    );
    return {
      skuPartNumber: result.skuPartNumber,
      overridden: true,
      listPriceMonthly: price?.amount ?? null,
      currency: price?.currency ?? null,
      source: result.price?.source ?? null,
    };
  }

  @Delete('prices/:skuPartNumber')
  @HttpCode(204)
  @AllowAccess('command')
  async removePrice(@ProfileId() id: string, @Param('skuPartNumber') sku: string, @Caller() caller: CommandContext) {
    await this.commands.execute(new SetListPrice(id, sku, null, caller));
  }

  @Get('entitlements')
  @AllowAccess('read')
  @ApiOperation({
    summary:
      "Licenses owned per software model: Graph's prepaid units, a hand-entered entitlement, and which one counts",
  })
  entitlements(@ProfileId() id: string, @Query() query: PageQuery) {
    const catalog = this.catalog(id);
    const models = [...(catalog?.models.values() ?? [])].sort((a, b) => compareKeys(a.skuPartNumber, b.skuPartNumber));
    const page = pageByKey(models, (m) => m.skuPartNumber, query);
    return {
      items: page.items.map((m) => {
        const graph = catalog?.entitlements.get(m.skuId) ?? null;
        const manual = catalog?.manualEntitlements.get(m.skuId) ?? null;
        return {
          skuId: m.skuId,
          skuPartNumber: m.skuPartNumber,
          name: m.name,
          prepaidUnits: graph?.prepaidUnits ?? null,
          capabilityStatus: graph?.capabilityStatus ?? null,
          manual: manual ? { purchased: manual.purchased, source: manual.source, enteredAt: manual.enteredAt } : null,
          purchased: manual?.purchased ?? graph?.prepaidUnits.enabled ?? 0,
          purchasedSource: manual ? 'manual' : graph ? 'graph' : 'none',
        };
      }),
      nextCursor: page.nextCursor,
    };
  }

  @Put('entitlements/:skuPartNumber')
  @HttpCode(204)
  @AllowAccess('command')
  @ApiOperation({
    summary:
      'Enter the licenses owned for a software model by hand (replaces Graph prepaid units in the license position)',
  })
  async enterEntitlement(
    @ProfileId() id: string,
    @Param('skuPartNumber') sku: string,
    @Body() body: EntitlementDto,
    @Caller() caller: CommandContext,
  ) {
    await this.commands.execute(new SetEntitlement(id, sku, body, caller));
  }

  @Delete('entitlements/:skuPartNumber')
  @HttpCode(204)
  @AllowAccess('command')
  async removeEntitlement(
    @ProfileId() id: string,
    @Param('skuPartNumber') sku: string,
    @Caller() caller: CommandContext,
  ) {
    await this.commands.execute(new SetEntitlement(id, sku, null, caller));
  }

  private catalog(profileId: string) {
    this.profiles.get(profileId);
    return this.runner.state(tenantCatalogProjection).catalogs.get(profileId);
  }
}
