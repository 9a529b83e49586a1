import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { IsMoment } from '../http/moment';
import { PageQuery } from '../http/pagination';

export class AsOfQuery extends PageQuery {
  @ApiPropertyOptional({
    description: 'ISO date-time: answer from the events recorded up to this moment (default now)',
  })
  @IsOptional()
  @IsMoment()
  asOf?: string;
}

export class SubscriptionsQuery extends AsOfQuery {
  @ApiPropertyOptional({ description: 'Graph user id' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  userId?: string;

  @ApiPropertyOptional({ example: 'DYN365_ENTERPRISE_SALES' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_ ()\-./]{1,128}$/, { message: 'must be a SKU part number' })
  skuPartNumber?: string;
}

export class LowUsageQuery extends AsOfQuery {
  @ApiPropertyOptional({
    enum: ['unproven'],
    description: 'unproven: also list subscriptions that look inactive where the audit log has gaps, with the reason',
  })
  @IsOptional()
  @IsIn(['unproven'])
  include?: 'unproven';

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 3650,
    description: 'What if every reclamation rule had this threshold: answered from the same history, changing nothing',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(3650)
  inactivityDays?: number;
}

export class PositionSeriesQuery {
  @ApiProperty({
    description: 'ISO date-time: the earliest moment a point may have (points run back from `to`, one step apart)',
  })
  @IsMoment()
  from!: string;

  @ApiPropertyOptional({
    description: 'ISO date-time: the last point (default now, the end of the current minute)',
  })
  @IsOptional()
  @IsMoment()
  to?: string;

  @ApiPropertyOptional({ enum: ['week', 'day'], default: 'week', description: 'The step between points' })
  @IsOptional()
  @IsIn(['week', 'day'])
  every?: 'week' | 'day';
}

export class SavingsQuery {
  @ApiPropertyOptional({
    description: 'ISO date-time: count reclaims recorded from this moment on (default: every reclaim)',
  })
  @IsOptional()
  @IsMoment()
  since?: string;

  @ApiPropertyOptional({
    description: 'ISO date-time: answer from the events recorded up to this moment (default now)',
  })
  @IsOptional()
  @IsMoment()
  asOf?: string;
}
