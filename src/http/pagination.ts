import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import type { PageRequest } from '../application/paging';

/** `?limit=`: default 100, at most 1000 (API.md "Lists"). */
export class LimitQuery implements PageRequest {
  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export class PageQuery extends LimitQuery implements PageRequest {
  @ApiPropertyOptional({ description: 'nextCursor from the previous page' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,512}$/, { message: 'must be a cursor returned by this endpoint' })
  cursor?: string;
}

export { compareKeys, decodeCursor, encodeCursor, pageByKey, pageByOrder, type Page } from '../application/paging';
