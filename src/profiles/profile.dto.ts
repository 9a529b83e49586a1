import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  ValidateIf,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { CLOUD_NAMES, type CloudName } from '../domain/profile/clouds';
import type { PermissionType } from '../domain/profile/profile.events';
import type {
  ActivityConnectionInput,
  NotificationsInput,
  ProfileInput,
  ProfilePatch,
  SubscriptionConnectionInput,
} from './profile.input';

const PERMISSION_TYPES: readonly PermissionType[] = ['application', 'delegated'];
const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export class EndpointsDto {
  @ApiProperty({ example: 'https://login.microsoftonline.com' })
  @IsString()
  @MaxLength(2048)
  authorityHost!: string;

  @ApiProperty({ example: 'https://graph.microsoft.com' })
  @IsString()
  @MaxLength(2048)
  graphBaseUrl!: string;

  @ApiPropertyOptional({
    example: 'https://globaldisco.crm.dynamics.com',
    description:
      'custom clouds: the base of the Global Discovery Service and the Power Platform admin environment list (discoverEnvironments)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  discoveryBaseUrl?: string;
}

export class SubscriptionConnectionDto implements SubscriptionConnectionInput {
  @ApiProperty({ format: 'uuid', description: 'Directory (tenant) ID' })
  @IsUUID('all')
  tenantId!: string;

  @ApiProperty({ format: 'uuid', description: 'Application (client) ID' })
  @IsUUID('all')
  clientId!: string;

  @ApiProperty({ writeOnly: true, description: 'Client secret value; stored encrypted, never returned' })
  @IsString()
  @Length(1, 1024)
  clientSecret!: string;

  @ApiPropertyOptional({ enum: PERMISSION_TYPES, default: 'application' })
  @IsOptional()
  @IsIn(PERMISSION_TYPES)
  permissionType?: PermissionType;
}

export class ActivityConnectionDto implements ActivityConnectionInput {
  @ApiPropertyOptional({
    example: 'https://contoso.crm.dynamics.com',
    description: 'Dynamics 365 environment URL (or give environmentUrls)',
  })
  @ValidateIf((o: ActivityConnectionDto) => o.environmentUrls === undefined)
  @IsString()
  @MaxLength(2048)
  environmentUrl?: string;

  @ApiPropertyOptional({
    type: [String],
    description: 'Several Dynamics 365 environments (1 to 50 distinct URLs), in place of environmentUrl',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ArrayUnique((url: string) => (typeof url === 'string' ? url.toLowerCase().replace(/\/+$/, '') : url))
  @IsString({ each: true })
  @MaxLength(2048, { each: true })
  environmentUrls?: string[];

  @ApiPropertyOptional({
    description:
      'Also read every environment the connection can find: the Global Discovery Service (delegated) or the Power Platform admin environment list (application)',
  })
  @IsOptional()
  @IsBoolean()
  discoverEnvironments?: boolean;

  @ApiProperty({ enum: PERMISSION_TYPES })
  @IsIn(PERMISSION_TYPES)
  permissionType!: PermissionType;

  @ApiProperty({ format: 'uuid' })
  @IsUUID('all')
  clientId!: string;

  @ApiProperty({ writeOnly: true })
  @IsString()
  @Length(1, 1024)
  clientSecret!: string;
}

export class NotificationsDto implements NotificationsInput {
  @ApiProperty({
    example: 'https://itsm.contoso.com/hooks/license-ledger',
    description:
      'Receives reclamation notices (POST, JSON). https to a public host; loopback, private, link-local and metadata addresses (or names resolving to them) are refused unless listed in SAM_ALLOWED_WEBHOOK_HOSTS. Secret query values are stored encrypted and shown redacted.',
  })
  @IsString()
  @MaxLength(2048)
  webhookUrl!: string;

  @ApiProperty({
    writeOnly: true,
    description:
      'Signs each notice per Standard Webhooks (webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">); a whsec_<base64> secret signs with the decoded key, any other with its UTF-8 bytes. X-LicenseLedger-Signature (sha256=<hex HMAC-SHA256 of the body>) is sent too.',
  })
  @IsString()
  @Length(16, 1024)
  webhookSecret!: string;
}

export class CreateProfileDto implements ProfileInput {
  @ApiProperty({ example: 'Contoso production' })
  @IsString()
  @Length(1, 200)
  displayName!: string;

  @ApiProperty({ enum: CLOUD_NAMES })
  @IsIn(CLOUD_NAMES)
  cloud!: CloudName;

  @ApiPropertyOptional({ type: EndpointsDto, description: 'Required only for cloud "custom"; ignored otherwise' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => EndpointsDto)
  endpoints?: EndpointsDto;

  @ApiProperty({ example: '2026-01-01', description: 'Earliest date whose activity is pulled' })
  @Matches(ISO_DATE, { message: 'must be a date YYYY-MM-DD' })
  analyzeActivityFrom!: string;

  @ApiProperty()
  @IsBoolean()
  downloadActivity!: boolean;

  @ApiProperty({ type: SubscriptionConnectionDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => SubscriptionConnectionDto)
  subscriptionConnection!: SubscriptionConnectionDto;

  @ApiPropertyOptional({ type: ActivityConnectionDto, description: 'Required when downloadActivity is true' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ActivityConnectionDto)
  activityConnection?: ActivityConnectionDto;

  @ApiPropertyOptional({
    type: NotificationsDto,
    description: 'Where reclamation rules that notify users send their notices',
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => NotificationsDto)
  notifications?: NotificationsDto;
}

export class SubscriptionConnectionPatchDto {
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID('all') tenantId?: string;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID('all') clientId?: string;
  @ApiPropertyOptional({ writeOnly: true, description: 'A new secret rotates the stored one' })
  @IsOptional()
  @IsString()
  @Length(1, 1024)
  clientSecret?: string;
  @ApiPropertyOptional({ enum: PERMISSION_TYPES })
  @IsOptional()
  @IsIn(PERMISSION_TYPES)
  permissionType?: PermissionType;
}

export class ActivityConnectionPatchDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2048) environmentUrl?: string;
  @ApiPropertyOptional({ type: [String], description: '1 to 50 distinct Dynamics 365 environment URLs' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ArrayUnique((url: string) => (typeof url === 'string' ? url.toLowerCase().replace(/\/+$/, '') : url))
  @IsString({ each: true })
  @MaxLength(2048, { each: true })
  environmentUrls?: string[];
  @ApiPropertyOptional() @IsOptional() @IsBoolean() discoverEnvironments?: boolean;
  @ApiPropertyOptional({ enum: PERMISSION_TYPES })
  @IsOptional()
  @IsIn(PERMISSION_TYPES)
  permissionType?: PermissionType;
  @ApiPropertyOptional({ format: 'uuid' }) @IsOptional() @IsUUID('all') clientId?: string;
  @ApiPropertyOptional({ writeOnly: true }) @IsOptional() @IsString() @Length(1, 1024) clientSecret?: string;
}

export class UpdateProfileDto implements ProfilePatch {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) displayName?: string;
  @ApiPropertyOptional({ enum: CLOUD_NAMES }) @IsOptional() @IsIn(CLOUD_NAMES) cloud?: CloudName;

  @ApiPropertyOptional({ type: EndpointsDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => EndpointsDto)
  endpoints?: EndpointsDto;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(ISO_DATE, { message: 'must be a date YYYY-MM-DD' })
  analyzeActivityFrom?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() downloadActivity?: boolean;

  @ApiPropertyOptional({ type: SubscriptionConnectionPatchDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => SubscriptionConnectionPatchDto)
  subscriptionConnection?: SubscriptionConnectionPatchDto;

  @ApiPropertyOptional({ type: ActivityConnectionPatchDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ActivityConnectionPatchDto)
  activityConnection?: ActivityConnectionPatchDto;

  @ApiPropertyOptional({ type: NotificationsDto, nullable: true, description: 'null removes the webhook' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => NotificationsDto)
  notifications?: NotificationsDto | null;
}
