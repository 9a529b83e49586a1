import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, IsUUID, Length, Matches, ValidateIf } from 'class-validator';

export class ReclaimDto {
  @ApiProperty({ description: 'Graph user id' })
  @IsString()
  @Length(1, 100)
  userId!: string;

  @ApiPropertyOptional({ example: 'DYN365_ENTERPRISE_SALES', description: 'Either skuPartNumber or skuId' })
  @ValidateIf((o: ReclaimDto) => o.skuId === undefined)
  @Matches(/^[A-Za-z0-9_ ()\-./]{1,128}$/, { message: 'must be a SKU part number (or give skuId)' })
  skuPartNumber?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  skuId?: string;

  @ApiProperty({ description: 'Say what would happen and call nothing' })
  @IsBoolean()
  dryRun!: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(0, 1000)
  reason?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Idempotency: the same id never removes twice and returns the first outcome',
  })
  @IsOptional()
  @IsUUID('all')
  reclamationId?: string;
}

export class KeepDto {
  @ApiPropertyOptional({ description: 'Why the user needs the license' })
  @IsOptional()
  @IsString()
  @Length(0, 1000)
  reason?: string;

  @ApiPropertyOptional({ description: 'Who asks (defaults to the user the notice went to)' })
  @IsOptional()
  @IsString()
  @Length(1, 320)
  requestedBy?: string;
}

export class KeepQuery {
  @ApiPropertyOptional({ description: 'The token from the notice (instead of an admin API key)' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.-]{20,200}$/, { message: 'is not a keep token' })
  token?: string;
}

export class DecisionDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(0, 1000)
  note?: string;
}
