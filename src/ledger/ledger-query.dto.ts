import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, Length, Matches } from 'class-validator';
import { PageQuery } from '../http/pagination';

export class AsOfQuery extends PageQuery {
  @ApiPropertyOptional({
    description: 'ISO date-time: answer from the events recorded up to this moment (default now)',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 date-time' })
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
