import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { Response } from 'express';
import { AllowAccess } from '../http/access';
import { IsMoment } from '../http/moment';
import { LedgerQueries } from '../ledger/ledger.queries';
import { ProfileId } from '../profiles/profiles.controller';
import { notFound } from '../shared/domain-error';
import { toCsv } from './csv';

class ExportQuery {
  @ApiPropertyOptional({
    description: 'ISO date-time: the export answers from the events recorded up to this moment (default now)',
  })
  @IsOptional()
  @IsMoment()
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
  consolidation: [
    'userId',
    'userPrincipalName',
    'baseLicenses',
    'suggestedBase',
    'suggestedAttach',
    'notConvertible',
    'currentMonthlyCost',
    'suggestedMonthlyCost',
    'monthlySavings',
    'currency',
    'unpriced',
  ],
  'downgrade-advice': [
    'userId',
    'userPrincipalName',
    'skuId',
    'skuPartNumber',
    'suggestedSkuPartNumber',
    'reason',
    'currentMonthlyCost',
    'suggestedMonthlyCost',
    'monthlySavings',
    'currency',
    'windowFrom',
    'windowTo',
    'lastActivityAt',
    'lastBeyondTeamMembersAt',
  ],
};

/** A UTF-8 byte-order mark: without it Excel reads the file in the local code page and mangles names. */
const BOM = '\uFEFF';

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
  @ApiOperation({
    summary:
      'license-position, subscriptions, low-usage, consolidation or downgrade-advice as JSON or CSV (UTF-8 with a byte-order mark, so that Excel reads it), at any asOf',
  })
  @ApiProduces('application/json', 'text/csv')
  async export(
    @ProfileId() id: string,
    @Param('dataset') dataset: string,
    @Query() query: ExportQuery,
    @Res({ passthrough: true }) response: Response,
  ) {
    const columns = COLUMNS[dataset];
    if (!columns) throw notFound('export', `${dataset} (${Object.keys(COLUMNS).join(', ')})`);
    const answer = await this.answer(id, dataset, query.asOf);
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
        ...(item.evidence as object | undefined),
        asOf: answer.asOf,
        eventPosition: answer.position,
      }));
      return BOM + toCsv([...columns, 'asOf', 'eventPosition'], rows);
    }
    response.setHeader('Content-Disposition', `attachment; filename="${name}.json"`);
    return { ...stamp, ...('totals' in answer ? { totals: answer.totals } : {}), items: answer.items };
  }

  private answer(id: string, dataset: string, asOf: string | undefined) {
    switch (dataset) {
      case 'license-position':
        return this.ledger.licensePosition(id, asOf);
      case 'subscriptions':
        return this.ledger.subscriptions(id, {}, asOf);
      case 'consolidation':
        return this.ledger.consolidation(id, asOf);
      case 'downgrade-advice':
        return this.ledger.downgradeAdvice(id, asOf);
      default:
        return this.ledger.lowUsage(id, asOf);
    }
  }
}
