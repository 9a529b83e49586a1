import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { LimitQuery } from '../http/pagination';

const POSITION = /^\d{1,40}$/;
const TYPES = /^[A-Za-z][A-Za-z0-9]*(,[A-Za-z][A-Za-z0-9]*)*$/;

export class EventsQuery extends LimitQuery {
  @ApiPropertyOptional({ description: 'Global position (decimal): events strictly after it' })
  @IsOptional()
  @Matches(POSITION, { message: 'must be a decimal global position' })
  from?: string;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @Matches(POSITION, { message: 'must be a cursor returned by this endpoint' })
  cursor?: string;

  @ApiPropertyOptional({ description: 'Event types, comma-separated' })
  @IsOptional()
  @Matches(TYPES, { message: 'must be event type names separated by commas' })
  type?: string;
}

export class EventStreamQuery {
  @ApiPropertyOptional({ description: 'Global position (decimal): stream events strictly after it' })
  @IsOptional()
  @Matches(POSITION, { message: 'must be a decimal global position' })
  from?: string;
}

export const isPosition = (value: string): boolean => POSITION.test(value);
