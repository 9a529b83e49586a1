import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional } from 'class-validator';
import type { Response } from 'express';
import { AllowAccess } from '../http/access';
import { LedgerQueries } from '../ledger/ledger.queries';
import { ProfileId } from '../profiles/profiles.controller';
import { notFound } from '../shared/domain-error';
import { toCsv } from './csv';

class ExportQuery {
  @ApiPropertyOptional({
    description: 'ISO date-time: the export answers from the events recorded up to this moment (default now)',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 date-time' })
  asOf?: string;

  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}

const COLUMNS: Record<string, string[]> = {
  'license-position': [
    'skuId',
    'skuPartNumber',
    'name',
    'licenseType',
    'purchased',
    'inGracePeriod',
    'suspended',
    'lockedOut',
    'assigned',
    'active',
    'lowUsage',
    'excluded',
    'available',
    'compliance',
    'listPriceMonthly',
    'currency',
    'monthlyCost',
    'purchasedMonthlyCost',
  ],
  subscriptions: [
    'userId',
    'userPrincipalName',
    'skuId',
    'skuPartNumber',
    'assignedVia',
    'groupIds',
    'assignedAt',
    'lastActivityAt',
    'lowUsage',
    'excluded',
  ],
  'low-usage': [
    'userId',
    'userPrincipalName',
    'skuId',
    'skuPartNumber',
    'lastActivityAt',
    'daysInactive',
    'thresholdDays',
    'monthlyCost',
    'currency',
    'assignedAt',
  ],
};

/**
 * Compliance exports: the whole dataset at a moment, stamped with that moment and the
 * global position of the last event folded into it, so an auditor can reproduce it from
 * the log (the same answer comes back for the same asOf).
 */
@ApiTags('exports')
@ApiBearerAuth()
@Controller('profiles/:id/exports')
@AllowAccess('read')
export class ExportsController {
  constructor(private readonly ledger: LedgerQueries) {}

  @Get(':dataset')
  @ApiOperation({ summary: 'license-position, subscriptions or low-usage as JSON or CSV, at any asOf' })
  @ApiProduces('application/json', 'text/csv')
  async export(
    @ProfileId() id: string,
    @Param('dataset') dataset: string,
    @Query() query: ExportQuery,
    @Res({ passthrough: true }) response: Response,
  ) {
    const columns = COLUMNS[dataset];
    if (!columns) throw notFound('export', `${dataset} (license-position, subscriptions, low-usage)`);
    const answer =
      dataset === 'license-position'
        ? await this.ledger.licensePosition(id, query.asOf)
        : dataset === 'subscriptions'
          ? await this.ledger.subscriptions(id, {}, query.asOf)
          : await this.ledger.lowUsage(id, query.asOf);
    const stamp = {
      dataset,
      profileId: id,
      asOf: answer.asOf,
      position: answer.position,
      generatedAt: new Date().toISOString(),
    };
    response.setHeader('X-Ledger-As-Of', answer.asOf);
    response.setHeader('X-Ledger-Position', answer.position ?? '');
    const name = `${dataset}_${id}_${answer.asOf.replace(/[:.]/g, '-')}_position-${answer.position ?? 'none'}`;
    if (query.format === 'csv') {
      response.setHeader('Content-Type', 'text/csv; charset=utf-8');
      response.setHeader('Content-Disposition', `attachment; filename="${name}.csv"`);
      const rows = (answer.items as unknown as Record<string, unknown>[]).map((item) => ({
        ...item,
        asOf: answer.asOf,
        eventPosition: answer.position,
      }));
      return toCsv([...columns, 'asOf', 'eventPosition'], rows);
    }
    response.setHeader('Content-Disposition', `attachment; filename="${name}.json"`);
    return { ...stamp, ...('totals' in answer ? { totals: answer.totals } : {}), items: answer.items };
  }
}
