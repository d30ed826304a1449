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
import {
  ACCESS_MODES,
  BACKUP_KINDS,
  REPORT_KINDS,
  REPORT_RESULTS,
  type ReportKind,
} from '../../../domain/app-registration/app-registration.decider';
import { CALENDAR_DATE, CommandMetaDto } from './command-meta.dto';
import { ID_MESSAGE, ID_PATTERN } from './org-node.dto';

const ids = (field: string) => Matches(ID_PATTERN, { each: true, message: `${field} ${ID_MESSAGE}` });
const id = (field: string) => Matches(ID_PATTERN, { message: `${field} ${ID_MESSAGE}` });

// ---- app registrations ----
export class ContactDto {
  @ApiProperty() @IsString() @MaxLength(32) name!: string;
  @ApiProperty() @IsString() @MaxLength(32) phone!: string;
}
/** 附件 1.2–1.4: the unit's form for a launch, an offline or a deregistration. */
export class AppRequestFormDto {
  @ApiProperty({ description: '上线/下线/注销时间 YYYY-MM-DD' })
  @Matches(CALENDAR_DATE, { message: 'form.on must be YYYY-MM-DD' })
  on!: string;
  @ApiProperty({ type: ContactDto }) @ValidateNested() @Type(() => ContactDto) contact!: ContactDto;
  @ApiProperty({ description: '电子邮箱' }) @IsString() @MaxLength(254) contactEmail!: string;
  @ApiProperty({ type: ContactDto }) @ValidateNested() @Type(() => ContactDto) techLead!: ContactDto;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) remarks?: string;
}
const formProperty = (form: string) =>
  ApiPropertyOptional({
    type: AppRequestFormDto,
    description: `${form}; required: without it the request is refused APP_FORM_REQUIRED`,
  });
export class RequestAppAccessDto extends CommandMetaDto {
  @ApiProperty() @id('appId') appId!: string;
  @ApiProperty({ example: '公文交换' }) @IsString() @MaxLength(64) name!: string;
  @ApiProperty() @id('owningOrgNodeId') owningOrgNodeId!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) description?: string;
  @ApiProperty({ description: '场景说明 (001a:13)' }) @IsString() @MaxLength(2000) scenario!: string;
  @ApiProperty({ description: '应用开发商信息 (001a:13)' }) @IsString() @MaxLength(200) vendor!: string;
  @ApiProperty({ description: '联系人电子邮箱 (附件 1.1)' }) @IsString() @MaxLength(254) contactEmail!: string;
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
/** A report's result as its issuing body states it (001a:13: passed before launch). */
export class RecordAppReportResultDto extends CommandMetaDto {
  @ApiProperty({ enum: REPORT_KINDS }) @IsIn(REPORT_KINDS as unknown as string[]) report!: ReportKind;
  @ApiProperty({ description: '报告编号' }) @IsString() @MaxLength(100) ref!: string;
  @ApiProperty({ enum: REPORT_RESULTS })
  @IsIn(REPORT_RESULTS as unknown as string[])
  result!: (typeof REPORT_RESULTS)[number];
  @ApiProperty({ description: '出具机构' }) @IsString() @MaxLength(200) issuingBody!: string;
  @ApiProperty({ description: '出具日期 YYYY-MM-DD' })
  @Matches(CALENDAR_DATE, { message: 'issuedOn must be YYYY-MM-DD' })
  issuedOn!: string;
}
export class RejectAppAccessDto extends CommandMetaDto {
  @ApiProperty() @IsString() @MaxLength(500) rejectionReason!: string;
}
export class LaunchAppDto extends CommandMetaDto {
  @ApiProperty() @IsString() @MaxLength(16) shortName!: string;
  @ApiProperty() @IsString() @MaxLength(64) fullName!: string;
  @ApiProperty() @IsString() @MaxLength(500) iconUrl!: string;
  @ApiProperty() @IsString() @MaxLength(500) url!: string;
  @formProperty('上线申请表 (附件 1.2)')
  @IsOptional()
  @ValidateNested()
  @Type(() => AppRequestFormDto)
  form?: AppRequestFormDto;
}
export class TakeAppOfflineDto extends CommandMetaDto {
  @ApiProperty() @IsString() @MaxLength(500) offlineReason!: string;
  @formProperty('下线申请表 (附件 1.3)')
  @IsOptional()
  @ValidateNested()
  @Type(() => AppRequestFormDto)
  form?: AppRequestFormDto;
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
  @formProperty('注销申请表 (附件 1.4)')
  @IsOptional()
  @ValidateNested()
  @Type(() => AppRequestFormDto)
  form?: AppRequestFormDto;
}
