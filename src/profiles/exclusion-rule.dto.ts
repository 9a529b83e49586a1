import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import type { ExclusionRuleType } from '../domain/profile/profile.events';

export class CreateExclusionRuleDto {
  @ApiProperty({
    enum: ['identifier', 'user'],
    description: 'identifier: a skuPartNumber or skuId; user: a user id or user principal name',
  })
  @IsIn(['identifier', 'user'])
  type!: ExclusionRuleType;

  @ApiProperty({ example: 'DYN365_TEAM_MEMBERS' })
  @IsString()
  @Length(1, 256)
  value!: string;

  @ApiPropertyOptional({ example: 'Service account' })
  @IsOptional()
  @IsString()
  @Length(0, 1000)
  reason?: string;
}
