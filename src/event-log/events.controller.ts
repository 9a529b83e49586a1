import { Controller, Get, Headers, Inject, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { EVENT_REGISTRY } from '../core/tokens';
import { EVENT_STORE, type EventStore } from '../eventstore/event-store.port';
import type { EventRegistry } from '../events/event-registry';
import { AllowAccess } from '../http/access';
import { invalid } from '../shared/domain-error';
import { toEnvelope } from './event-envelope';
import { EventStreamService } from './event-stream.service';
import { EventStreamQuery, EventsQuery, isPosition } from './events-query.dto';

@ApiTags('events')
@ApiBearerAuth()
@Controller('events')
@AllowAccess('events')
export class EventsController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(EVENT_REGISTRY) private readonly registry: EventRegistry,
    private readonly streams: EventStreamService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The global event log, oldest first, paged by position' })
  async list(@Query() query: EventsQuery) {
    const limit = query.limit ?? 100;
    const after = BigInt(query.cursor ?? query.from ?? '0');
    const types = query.type?.split(',');
    const events = await this.store.readAll({ after: after === 0n ? null : after, maxCount: limit + 1, types });
    const page = events.slice(0, limit);
    return {
      items: page.map(toEnvelope),
      nextCursor: events.length > limit ? page[page.length - 1].position.toString() : null,
    };
  }

  @Get('stream')
  @ApiOperation({ summary: 'Server-Sent Events: id is the global position; resumes after Last-Event-ID or ?from=' })
  @ApiProduces('text/event-stream')
  async stream(
    @Query() query: EventStreamQuery,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Res() response: Response,
  ) {
    const resumeFrom = lastEventId !== undefined && lastEventId !== '' ? lastEventId : query.from;
    if (resumeFrom !== undefined && !isPosition(resumeFrom)) {
      throw invalid('invalid-last-event-id', 'Last-Event-ID must be a global position sent by this stream', [
        { field: 'Last-Event-ID', problem: 'must be a decimal global position' },
      ]);
    }
    await this.streams.stream(response, resumeFrom === undefined ? null : BigInt(resumeFrom));
  }

  @Get('schemas')
  @ApiOperation({ summary: 'JSON Schema of every public event type' })
  schemas() {
    return this.registry.schemas();
  }
}
