import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { ACCOUNT_TYPES, CLOSE_REASONS, FREEZE_REASONS } from '../../../domain/account/account.decider';
import { ACCESS_MODES, BACKUP_KINDS } from '../../../domain/app-registration/app-registration.decider';
import { REMOVAL_REASONS } from '../../../domain/work-group/work-group.decider';
import { CALENDAR_DATE, CommandMetaDto } from './command-meta.dto';
import { ID_MESSAGE, ID_PATTERN } from './org-node.dto';

const ids = (field: string) => Matches(ID_PATTERN, { each: true, message: `${field} ${ID_MESSAGE}` });
const id = (field: string) => Matches(ID_PATTERN, { message: `${field} ${ID_MESSAGE}` });

// ---- accounts ----
export class OpenAccountDto extends CommandMetaDto {
  @ApiProperty() @id('accountId') accountId!: string;
  @ApiProperty({ enum: ACCOUNT_TYPES })
  @IsIn(ACCOUNT_TYPES as unknown as string[])
  type!: (typeof ACCOUNT_TYPES)[number];
  @ApiProperty({ example: 'zhang.san' }) @IsString() @MaxLength(64) loginName!: string;
  @ApiPropertyOptional({ description: 'SYSTEM_ADMIN, TIERED_ADMIN, USER' })
  @IsOptional()
  @id('personId')
  personId?: string;
  @ApiPropertyOptional({ description: 'TEMPORARY: the app its holder works on' })
  @IsOptional()
  @id('appId')
  appId?: string;
  @ApiPropertyOptional({ description: 'TEMPORARY: ISO 8601 instant, within TEMPORARY_ACCOUNT_MAX_DAYS' })
  @IsOptional()
  @IsISO8601()
  expiresAt?: string;
}
export class FreezeAccountDto extends CommandMetaDto {
  @ApiProperty({ enum: FREEZE_REASONS })
  @IsIn(FREEZE_REASONS as unknown as string[])
  freezeReason!: (typeof FREEZE_REASONS)[number];
}
export class CloseAccountDto extends CommandMetaDto {
  @ApiProperty({ enum: CLOSE_REASONS })
  @IsIn(CLOSE_REASONS as unknown as string[])
  closeReason!: (typeof CLOSE_REASONS)[number];
}
export class AdminScopeDto extends CommandMetaDto {
  @ApiProperty() @id('orgNodeId') orgNodeId!: string;
}

// ---- work groups ----
export class CreateWorkGroupDto extends CommandMetaDto {
  @ApiProperty() @id('groupId') groupId!: string;
  @ApiProperty({ example: '防汛工作群' }) @IsString() @MaxLength(64) name!: string;
  @ApiProperty({ enum: ['UNIT', 'CROSS_UNIT'] }) @IsIn(['UNIT', 'CROSS_UNIT']) kind!: 'UNIT' | 'CROSS_UNIT';
  @ApiProperty() @id('owningOrgNodeId') owningOrgNodeId!: string;
  @ApiProperty() @id('ownerId') ownerId!: string;
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ids('adminIds')
  adminIds?: string[];
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5000)
  @ids('memberIds')
  memberIds?: string[];
}
export class GroupMembersDto extends CommandMetaDto {
  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(5000)
  @ids('personIds')
  personIds!: string[];
}
export class RemoveGroupMembersDto extends GroupMembersDto {
  @ApiProperty({ enum: REMOVAL_REASONS })
  @IsIn(REMOVAL_REASONS as unknown as string[])
  removalReason!: (typeof REMOVAL_REASONS)[number];
}
export class GroupPersonDto extends CommandMetaDto {
  @ApiProperty() @id('personId') personId!: string;
}

// ---- app registrations ----
export class ContactDto {
  @ApiProperty() @IsString() @MaxLength(32) name!: string;
  @ApiProperty() @IsString() @MaxLength(32) phone!: string;
}
export class RequestAppAccessDto extends CommandMetaDto {
  @ApiProperty() @id('appId') appId!: string;
  @ApiProperty({ example: '公文交换' }) @IsString() @MaxLength(64) name!: string;
  @ApiProperty() @id('owningOrgNodeId') owningOrgNodeId!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) description?: string;
  @ApiProperty({ type: ContactDto }) @ValidateNested() @Type(() => ContactDto) contact!: ContactDto;
  @ApiProperty({ type: ContactDto }) @ValidateNested() @Type(() => ContactDto) techLead!: ContactDto;
  @ApiProperty({ enum: ACCESS_MODES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @IsIn(ACCESS_MODES as unknown as string[], { each: true })
  accessModes!: Array<(typeof ACCESS_MODES)[number]>;
  @ApiProperty() @IsBoolean() userIntegration!: boolean;
  @ApiProperty({ example: '2025-06-01' })
  @Matches(CALENDAR_DATE, { message: 'expectedDate must be YYYY-MM-DD' })
  expectedDate!: string;
  @ApiPropertyOptional({ description: '代码安全审计/安全测评报告编号' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  securityAuditReportRef?: string;
  @ApiPropertyOptional({ description: '密评报告编号' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  cryptoAssessmentReportRef?: string;
}
export class AttachAppReportsDto extends CommandMetaDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) securityAuditReportRef?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) cryptoAssessmentReportRef?: string;
}
export class RejectAppAccessDto extends CommandMetaDto {
  @ApiProperty() @IsString() @MaxLength(500) rejectionReason!: string;
}
export class LaunchAppDto extends CommandMetaDto {
  @ApiProperty() @IsString() @MaxLength(16) shortName!: string;
  @ApiProperty() @IsString() @MaxLength(64) fullName!: string;
  @ApiProperty() @IsString() @MaxLength(500) iconUrl!: string;
  @ApiProperty() @IsString() @MaxLength(500) url!: string;
}
export class TakeAppOfflineDto extends CommandMetaDto {
  @ApiProperty() @IsString() @MaxLength(500) offlineReason!: string;
}
export class AppAuthorizationDto extends CommandMetaDto {
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10000)
  @ids('orgNodeIds')
  orgNodeIds?: string[];
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10000)
  @ids('tagIds')
  tagIds?: string[];
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10000)
  @ids('personIds')
  personIds?: string[];
}
export class BackupConfirmationDto {
  @ApiProperty({ enum: BACKUP_KINDS }) @IsIn(BACKUP_KINDS as unknown as string[]) kind!: (typeof BACKUP_KINDS)[number];
  @ApiProperty({ description: '备份/迁移确认单编号' }) @IsString() @MaxLength(100) ref!: string;
}
export class DeregisterAppDto extends CommandMetaDto {
  @ApiPropertyOptional({
    type: BackupConfirmationDto,
    description: 'Required (001a:19); without it the deregistration is refused with APP_BACKUP_NOT_CONFIRMED',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => BackupConfirmationDto)
  backup?: BackupConfirmationDto;
}

// ---- ingestion ----
export class SignInSignalDto {
  @ApiProperty({ description: "The sender's event id: a signal sent twice is recorded once" })
  @IsString()
  @MaxLength(128)
  signalId!: string;
  @ApiProperty() @id('accountId') accountId!: string;
  @ApiProperty() @IsISO8601() at!: string;
  @ApiPropertyOptional({ example: 'mobile' }) @IsOptional() @IsString() @MaxLength(32) client?: string;
}
export class SignInBatchDto {
  @ApiProperty({ type: [SignInSignalDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => SignInSignalDto)
  signals!: SignInSignalDto[];
}
export class GroupActivitySignalDto {
  @ApiProperty() @IsString() @MaxLength(128) signalId!: string;
  @ApiProperty() @id('groupId') groupId!: string;
  @ApiProperty() @IsISO8601() at!: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) messages?: number;
}
export class GroupActivityBatchDto {
  @ApiProperty({ type: [GroupActivitySignalDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => GroupActivitySignalDto)
  signals!: GroupActivitySignalDto[];
}
export class PasswordChangeSignalDto {
  @ApiProperty() @IsString() @MaxLength(128) signalId!: string;
  @ApiProperty() @id('accountId') accountId!: string;
  @ApiProperty() @IsISO8601() at!: string;
}
export class PasswordChangeBatchDto {
  @ApiProperty({ type: [PasswordChangeSignalDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => PasswordChangeSignalDto)
  signals!: PasswordChangeSignalDto[];
}
