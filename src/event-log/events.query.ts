import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

const POSITION = /^\d{1,40}$/;
const TYPES = /^[A-Za-z][A-Za-z0-9]*(,[A-Za-z][A-Za-z0-9]*)*$/;

export class EventsQuery {
  @ApiPropertyOptional({ description: 'Global position (decimal): events strictly after it' })
  @IsOptional()
  @Matches(POSITION, { message: 'must be a decimal global position' })
  from?: string;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @Matches(POSITION, { message: 'must be a cursor returned by this endpoint' })
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;

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
