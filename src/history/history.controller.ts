import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { modelHistoryProjection } from '../../projections/model-history/model-history.projection';
import { toEnvelope } from '../event-log/event-envelope';
import { EVENT_STORE, type EventStore } from '../eventstore/event-store.port';
import { AllowAccess } from '../http/access';
import { PageQuery, decodeCursor, encodeCursor } from '../http/pagination';
import { ProjectionRunner } from '../projection-runner/projection-runner';
import { ProfileId } from '../profiles/profiles.controller';
import { ProfileQueries } from '../profiles/profile.queries';
import { invalid, notFound } from '../shared/domain-error';
import { streamIds } from '../domain/stream-names';

const USER_ID = /^[A-Za-z0-9@._#:-]{1,200}$/;

/** Compliance's replay: every event about a user or a software model, oldest first, with actor and reason. */
@ApiTags('history')
@ApiBearerAuth()
@Controller('profiles/:id')
@AllowAccess('read')
export class HistoryController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly runner: ProjectionRunner,
    private readonly profiles: ProfileQueries,
  ) {}

  @Get('users/:userId/history')
  @ApiOperation({
    summary: "Every event of a user's licensee stream (assignments, activity, reclamation steps), oldest first",
  })
  async userHistory(@ProfileId() id: string, @Param('userId') userId: string, @Query() query: PageQuery) {
    this.profiles.get(id);
    if (!USER_ID.test(userId))
      throw invalid('invalid-user-id', 'the user id is not a Graph user id', [
        { field: 'userId', problem: 'is not a user id' },
      ]);
    const limit = query.limit ?? 100;
    const from = query.cursor ? Number(cursorNumber(query.cursor)) + 1 : 0;
    const events = await this.store.readStream(streamIds.licensee(id, userId.toLowerCase()), {
      fromRevision: from,
      maxCount: limit + 1,
    });
    if (from === 0 && events.length === 0) throw notFound('user', userId);
    const page = events.slice(0, limit);
    return {
      items: page.map(toEnvelope),
      nextCursor: events.length > limit ? encodeCursor(String(page[page.length - 1].revision)) : null,
    };
  }

  @Get('software-models/:skuPartNumber/history')
  @ApiOperation({
    summary:
      'Every event about a software model in this profile (model, entitlements, rules, prices, assignments, reclaims), oldest first',
  })
  async modelHistory(@ProfileId() id: string, @Param('skuPartNumber') sku: string, @Query() query: PageQuery) {
    this.profiles.get(id);
    const positions = this.runner.state(modelHistoryProjection).get(id)?.get(sku.toUpperCase());
    if (!positions) throw notFound('software-model', sku);
    const limit = query.limit ?? 100;
    const start = query.cursor ? Number(cursorNumber(query.cursor)) : 0;
    const slice = positions.slice(start, start + limit);
    const events = await this.store.readAt(slice);
    return {
      items: events.map(toEnvelope),
      nextCursor: start + limit < positions.length ? encodeCursor(String(start + limit)) : null,
    };
  }
}

function cursorNumber(cursor: string): string {
  const value = decodeCursor(cursor);
  if (!/^\d{1,15}$/.test(value))
    throw invalid('invalid-cursor', 'the cursor is not one this endpoint returned', [
      { field: 'cursor', problem: 'is not valid' },
    ]);
  return value;
}
