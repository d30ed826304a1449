/** App registrations (应用接入): the bodies of the app routes. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { ACCESS_MODES, BACKUP_KINDS } from '../../../domain/app-registration/app-registration.decider';
import { CALENDAR_DATE, CommandMetaDto } from './command-meta.dto';
import { ID_MESSAGE, ID_PATTERN } from './org-node.dto';

const ids = (field: string) => Matches(ID_PATTERN, { each: true, message: `${field} ${ID_MESSAGE}` });
const id = (field: string) => Matches(ID_PATTERN, { message: `${field} ${ID_MESSAGE}` });

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
