import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, Length, Max, Min, ValidateIf } from 'class-validator';
import type { ActivityBasis } from '../domain/catalog/catalog.types';
import { HasDecimalPlacesAtMost } from '../http/decimal-places';
import type { EntitlementInput, PriceOverrideInput, ReclamationRulePatch } from './rules.input';

const ACTIVITY_BASES: readonly ActivityBasis[] = ['app', 'app-and-common', 'any'];

export class UpdateReclamationRuleDto implements ReclamationRulePatch {
  @ApiPropertyOptional({
    minimum: 1,
    maximum: 3650,
    description: 'Days without qualifying activity before a subscription is low usage',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  inactivityDays?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ description: 'Notify the user (webhook) and give them graceDays before reclaiming' })
  @IsOptional()
  @IsBoolean()
  notify?: boolean;

  @ApiPropertyOptional({ minimum: 0, maximum: 365 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(365)
  graceDays?: number;

  @ApiPropertyOptional({
    enum: ACTIVITY_BASES,
    description:
      "Which audited activity keeps a Sales or Customer Service license in use: app (the app's own tables), app-and-common (also the tables both apps share: accounts, contacts, activities, notes) or any (also sign-ins). Team Members counts any activity whatever the basis",
  })
  @IsOptional()
  @IsIn(ACTIVITY_BASES)
  activityBasis?: ActivityBasis;
}

const CURRENCIES = [
  'USD',
  'EUR',
  'GBP',
  'CHF',
  'JPY',
  'CAD',
  'AUD',
  'NZD',
  'SEK',
  'NOK',
  'DKK',
  'INR',
  'CNY',
  'BRL',
  'ZAR',
  'SGD',
  'HKD',
  'MXN',
  'PLN',
  'AED',
];

export class PriceOverrideDto implements PriceOverrideInput {
  @ApiPropertyOptional({
    nullable: true,
    minimum: 0,
    description: 'Per user per month; null records "no price" for this SKU',
  })
  @ValidateIf((_, v) => v !== null)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @HasDecimalPlacesAtMost(4)
  @Min(0)
  @Max(1_000_000)
  listPriceMonthly!: number | null;

  @ApiPropertyOptional({ enum: CURRENCIES, default: 'USD' })
  @IsOptional()
  @IsIn(CURRENCIES)
  currency?: string;

  @ApiPropertyOptional({ description: 'Where the price comes from (contract, quote)' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  source?: string;
}

export class EntitlementDto implements EntitlementInput {
  @ApiPropertyOptional({
    minimum: 0,
    maximum: 10_000_000,
    description: "Licenses owned for this SKU; replaces Graph's enabled prepaid units",
  })
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  purchased!: number;

  @ApiPropertyOptional({ example: 'EA 2026 enrollment 12345' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  source?: string;
}
