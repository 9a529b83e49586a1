import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { tenantCatalogProjection } from '../../projections/tenant-catalog/tenant-catalog.projection';
import type { CommandContext } from '../application/command-context';
import { CommandExecutor } from '../application/command-executor';
import { findCatalogEntry } from '../domain/catalog/catalog';
import { tenantCatalogDecider } from '../domain/tenant/tenant-catalog.decider';
import { type PriceValue } from '../domain/tenant/tenant.events';
import { ProfileQueries } from '../profiles/profile.queries';
import { CLOCK, type Clock } from '../shared/clock';
import { notFound } from '../shared/domain-error';
import type { EntitlementInput, PriceOverrideInput, ReclamationRulePatch } from './rules.input';
import { streamIds } from '../domain/stream-names';

export class ChangeReclamationRule extends Command<void> {
  constructor(
    readonly profileId: string,
    readonly ruleId: string,
    readonly changes: ReclamationRulePatch,
    readonly context: CommandContext,
  ) {
    super();
  }
}

export class SetListPrice extends Command<{ skuPartNumber: string; price: PriceValue | null }> {
  constructor(
    readonly profileId: string,
    readonly skuPartNumber: string,
    readonly body: PriceOverrideInput | null,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(ChangeReclamationRule)
export class ChangeReclamationRuleHandler implements ICommandHandler<ChangeReclamationRule> {
  constructor(
    private readonly commands: CommandExecutor,
    private readonly profiles: ProfileQueries,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ profileId, ruleId, changes, context }: ChangeReclamationRule): Promise<void> {
    this.profiles.get(profileId);
    await this.commands.execute(
      streamIds.catalog(profileId),
      tenantCatalogDecider,
      { type: 'ChangeReclamationRule', data: { ruleId, changes, at: this.clock.now().toISOString() } },
      context,
    );
  }
}

/**
 * Sets (body) or removes (null body) a profile's own price for a SKU. The part number is
 * resolved to the catalog's spelling, or to an identifier this tenant has shown, so the
 * override keys the same SKU the conclusions look up.
 */
@CommandHandler(SetListPrice)
export class SetListPriceHandler implements ICommandHandler<SetListPrice> {
  constructor(
    private readonly commands: CommandExecutor,
    private readonly profiles: ProfileQueries,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ profileId, skuPartNumber, body, context }: SetListPrice) {
    this.profiles.get(profileId);
    const canonical = this.resolve(profileId, skuPartNumber);
    const at = this.clock.now().toISOString();
    const price: PriceValue | null =
      body && body.listPriceMonthly !== null
        ? {
            amount: body.listPriceMonthly,
            currency: body.currency ?? 'USD',
            source: body.source ?? `set by ${context.actor.id}`,
            asOf: at.slice(0, 10),
          }
        : null;
    await this.commands.execute(
      streamIds.catalog(profileId),
      tenantCatalogDecider,
      body
        ? { type: 'OverrideListPrice', data: { profileId, skuPartNumber: canonical, price, at } }
        : { type: 'RemoveListPriceOverride', data: { profileId, skuPartNumber: canonical, at } },
      context,
    );
    return { skuPartNumber: canonical, price };
  }

  private resolve(profileId: string, skuPartNumber: string): string {
    const entry = findCatalogEntry({ skuPartNumber });
    if (entry) return entry.skuPartNumber;
    const catalog = this.commands.runner.state(tenantCatalogProjection).catalogs.get(profileId);
    const seen = [...(catalog?.unrecognized.values() ?? [])].find(
      (u) => u.skuPartNumber.toUpperCase() === skuPartNumber.toUpperCase(),
    );
    if (seen) return seen.skuPartNumber;
    throw notFound('sku', skuPartNumber);
  }
}

export class SetEntitlement extends Command<void> {
  constructor(
    readonly profileId: string,
    readonly skuPartNumber: string,
    readonly body: EntitlementInput | null,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/** Enters (body) or removes (null) the licenses owned for a software model, by hand. */
@CommandHandler(SetEntitlement)
export class SetEntitlementHandler implements ICommandHandler<SetEntitlement> {
  constructor(
    private readonly commands: CommandExecutor,
    private readonly profiles: ProfileQueries,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ profileId, skuPartNumber, body, context }: SetEntitlement): Promise<void> {
    this.profiles.get(profileId);
    const at = this.clock.now().toISOString();
    await this.commands.execute(
      streamIds.catalog(profileId),
      tenantCatalogDecider,
      body
        ? {
            type: 'EnterEntitlement',
            data: {
              profileId,
              skuPartNumber,
              purchased: body.purchased,
              source: body.source ?? `entered by ${context.actor.id}`,
              at,
            },
          }
        : { type: 'RemoveEntitlementEntry', data: { profileId, skuPartNumber, at } },
      context,
    );
  }
}

export const RULE_COMMAND_HANDLERS = [ChangeReclamationRuleHandler, SetListPriceHandler, SetEntitlementHandler];
