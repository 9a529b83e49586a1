import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AllowAccess } from '../http/access';
import { ProfileId } from '../profiles/profiles.controller';
import { invalid } from '../shared/domain-error';
import { PositionSeriesQuery, SavingsQuery } from './ledger-query.dto';
import { LedgerQueries } from './ledger.queries';
import { MAX_SERIES_POINTS, seriesMoments } from './position-series';

const amounts = {
  monthlySavings: { type: 'number' },
  currency: { type: 'string', nullable: true },
  otherCurrencies: { type: 'object', additionalProperties: { type: 'number' } },
};

/** The figures an overview opens on: the license position over time, and the money found and saved. */
@ApiTags('what was learned')
@ApiBearerAuth()
@Controller('profiles/:id')
@AllowAccess('read')
export class OverviewController {
  constructor(private readonly ledger: LedgerQueries) {}

  @Get('license-position/series')
  @ApiOperation({
    summary: `The license position at moments one step apart, from one pass over the history: points at to, to − every, … not before from (at most ${MAX_SERIES_POINTS}), oldest first; each point is what license-position?asOf= answers for its moment`,
  })
  @ApiOkResponse({
    description: 'Points oldest first; never paged (nextCursor is null)',
    schema: {
      type: 'object',
      properties: {
        from: { type: 'string', format: 'date-time' },
        to: { type: 'string', format: 'date-time' },
        every: { type: 'string', enum: ['week', 'day'] },
        items: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              asOf: { type: 'string', format: 'date-time' },
              position: { type: 'string', nullable: true, description: 'the last event folded' },
              totals: { type: 'object', description: 'as license-position totals' },
              items: { type: 'array', items: { type: 'object' }, description: 'as license-position items' },
            },
          },
        },
        nextCursor: { type: 'string', nullable: true },
      },
    },
  })
  async positionSeries(@ProfileId() id: string, @Query() query: PositionSeriesQuery) {
    const every = query.every ?? 'week';
    const to = query.to ? new Date(query.to) : this.ledger.now();
    const from = new Date(query.from);
    const items = await this.ledger.licensePositionAt(id, seriesMoments(from, to, every));
    return { from: from.toISOString(), to: to.toISOString(), every, items, nextCursor: null };
  }

  @Get('savings')
  @ApiOperation({
    summary:
      'Savings found (proven low usage, consolidation, downgrade; none counted twice) and savings realised (licenses reclaimed since a moment, each at its monthly price), per month; ?asOf= for a past moment',
  })
  @ApiOkResponse({
    schema: {
      type: 'object',
      properties: {
        asOf: { type: 'string', format: 'date-time' },
        position: { type: 'string', nullable: true },
        found: {
          type: 'object',
          properties: {
            ...amounts,
            lowUsage: { type: 'object', properties: { subscriptions: { type: 'integer' }, ...amounts } },
            consolidation: { type: 'object', properties: { users: { type: 'integer' }, ...amounts } },
            downgrade: { type: 'object', properties: { subscriptions: { type: 'integer' }, ...amounts } },
            overlap: { type: 'object', properties: { users: { type: 'integer' }, ...amounts } },
          },
        },
        realised: {
          type: 'object',
          properties: {
            since: { type: 'string', format: 'date-time', nullable: true },
            until: { type: 'string', format: 'date-time' },
            reclaimed: { type: 'integer' },
            reassigned: { type: 'integer' },
            unpriced: { type: 'integer' },
            ...amounts,
            bySku: { type: 'array', items: { type: 'object' } },
          },
        },
      },
    },
  })
  savings(@ProfileId() id: string, @Query() query: SavingsQuery) {
    if (query.since && query.asOf && Date.parse(query.since) > Date.parse(query.asOf))
      throw invalid('invalid-savings-range', 'since must not be after asOf', [
        { field: 'since', problem: 'must not be after asOf' },
      ]);
    return this.ledger.savings(id, query.since, query.asOf);
  }
}
