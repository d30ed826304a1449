import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  DEPARTURE_REASONS,
  type DepartureReason,
  DIRECTORY_CLASSES,
  type DirectoryClass,
  EMPLOYMENT_TYPES,
  type EmploymentType,
  ESTABLISHMENT_TYPES,
} from '../../../domain/person/person.decider';
import { CALENDAR_DATE, CommandMetaDto } from './command-meta.dto';
import { ID_MESSAGE, ID_PATTERN } from './org-node.dto';

export class EmploymentDto {
  @ApiProperty({ enum: EMPLOYMENT_TYPES })
  @IsIn(EMPLOYMENT_TYPES as unknown as string[], { message: `type must be one of ${EMPLOYMENT_TYPES.join(', ')}` })
  type!: EmploymentType;
  @ApiPropertyOptional({ enum: ESTABLISHMENT_TYPES, nullable: true })
  @IsOptional()
  @IsIn(ESTABLISHMENT_TYPES as unknown as string[])
  establishmentType?: (typeof ESTABLISHMENT_TYPES)[number] | null;
}

export class PostDto {
  @ApiProperty() @Matches(ID_PATTERN, { message: `orgNodeId ${ID_MESSAGE}` }) orgNodeId!: string;
  @ApiPropertyOptional({ example: '科员' }) @IsOptional() @IsString() @MaxLength(64) title?: string;
  @ApiPropertyOptional({ description: '职务层次' }) @IsOptional() @IsString() @MaxLength(32) postLevel?: string;
  @ApiPropertyOptional({ description: '人员角色' }) @IsOptional() @IsString() @MaxLength(32) role?: string;
  @ApiPropertyOptional({ minimum: 0 }) @IsOptional() @IsInt() @Min(0) @Max(999999) order?: number;
}

export class ProfileFieldsDto extends CommandMetaDto {
  @ApiProperty({ example: '张三' }) @IsString() @MaxLength(100) name!: string;
  @ApiProperty({ description: '18-character 身份证号 (GB 11643)', example: '11010519491231002X' })
  @IsString()
  @MaxLength(18)
  idNumber!: string;
  @ApiProperty({ description: 'GB/T 2261.1: 0, 1, 2 or 9' }) @IsString() @MaxLength(1) gender!: string;
  @ApiProperty({ example: '13812345678' }) @IsString() @MaxLength(11) mobile!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(20) officePhone?: string;
  @ApiProperty({ type: EmploymentDto })
  @IsObject({ message: '$property is required and must be an object' })
  @ValidateNested()
  @Type(() => EmploymentDto)
  employment!: EmploymentDto;
  @ApiPropertyOptional({ description: '职级' }) @IsOptional() @IsString() @MaxLength(32) rank?: string;
  @ApiPropertyOptional({ description: 'GB/T 4762 code 01–13' })
  @IsOptional()
  @IsString()
  @MaxLength(2)
  politicalStatus?: string;
  @ApiPropertyOptional({ description: '领导分工' }) @IsOptional() @IsString() @MaxLength(500) leadershipDuties?: string;
}

export class RegisterPersonDto extends ProfileFieldsDto {
  @ApiProperty() @Matches(ID_PATTERN, { message: `personId ${ID_MESSAGE}` }) personId!: string;
  @ApiProperty({ type: PostDto })
  @IsObject({ message: '$property is required and must be an object' })
  @ValidateNested()
  @Type(() => PostDto)
  primaryPost!: PostDto;
  @ApiPropertyOptional({ enum: DIRECTORY_CLASSES })
  @IsOptional()
  @IsIn(DIRECTORY_CLASSES as unknown as string[])
  directoryClass?: DirectoryClass;
}

export class ProfileChangesDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(18) idNumber?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1) gender?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(11) mobile?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(20) officePhone?: string;
  @ApiPropertyOptional({ type: EmploymentDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => EmploymentDto)
  employment?: EmploymentDto;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(32) rank?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2) politicalStatus?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) leadershipDuties?: string;
}

export class UpdatePersonProfileDto extends CommandMetaDto {
  @ApiProperty({ type: ProfileChangesDto })
  @IsObject({ message: '$property is required and must be an object' })
  @ValidateNested()
  @Type(() => ProfileChangesDto)
  changes!: ProfileChangesDto;
}

export class ChangePostDto extends CommandMetaDto {
  @ApiProperty() @Matches(ID_PATTERN, { message: `orgNodeId ${ID_MESSAGE}` }) orgNodeId!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) title?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(32) postLevel?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(32) role?: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(999999) order?: number;
}

export class TransferPersonDto extends CommandMetaDto {
  @ApiProperty({ type: PostDto })
  @IsObject({ message: '$property is required and must be an object' })
  @ValidateNested()
  @Type(() => PostDto)
  to!: PostDto;
  @ApiPropertyOptional({ description: '交接人: takes over the groups and unit responsibilities held (001a:22)' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: `successorId ${ID_MESSAGE}` })
  successorId?: string;
}

export class StartSecondmentDto extends CommandMetaDto {
  @ApiProperty({ type: PostDto })
  @IsObject({ message: '$property is required and must be an object' })
  @ValidateNested()
  @Type(() => PostDto)
  post!: PostDto;
  @ApiProperty({ example: '2025-03-01' })
  @Matches(CALENDAR_DATE, { message: 'from must be a date YYYY-MM-DD' })
  from!: string;
  @ApiProperty({ example: '2025-08-31' })
  @Matches(CALENDAR_DATE, { message: 'until must be a date YYYY-MM-DD' })
  until!: string;
}

export class AssignConcurrentPostDto extends CommandMetaDto {
  @ApiProperty({ type: PostDto })
  @IsObject({ message: '$property is required and must be an object' })
  @ValidateNested()
  @Type(() => PostDto)
  post!: PostDto;
}

export class RecordDepartureDto extends CommandMetaDto {
  @ApiProperty({ enum: DEPARTURE_REASONS, description: '002:二.6' })
  @IsIn(DEPARTURE_REASONS as unknown as string[], {
    message: `departureReason must be one of ${DEPARTURE_REASONS.join(', ')}`,
  })
  departureReason!: DepartureReason;
  @ApiPropertyOptional({ description: '交接人: takes over the groups and unit responsibilities held (001a:22)' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: `successorId ${ID_MESSAGE}` })
  successorId?: string;
}

export class ReinstatePersonDto extends CommandMetaDto {
  @ApiProperty({ type: PostDto })
  @IsObject({ message: '$property is required and must be an object' })
  @ValidateNested()
  @Type(() => PostDto)
  primaryPost!: PostDto;
}

export class SetDirectoryClassDto extends CommandMetaDto {
  @ApiProperty({ enum: DIRECTORY_CLASSES })
  @IsIn(DIRECTORY_CLASSES as unknown as string[], { message: 'directoryClass must be Q1, Q2, Q3 or Q4' })
  directoryClass!: DirectoryClass;
}

export class ContactModeDto {
  @ApiProperty() @IsBoolean() searchable!: boolean;
  @ApiProperty() @IsBoolean() addable!: boolean;
  @ApiPropertyOptional({
    type: [String],
    description: 'Person or node ids that still see the person as the matrix says (001b:9)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  visibleTo?: string[];
}

export class SetContactModeDto extends CommandMetaDto {
  @ApiProperty({ type: ContactModeDto, nullable: true, description: 'null: follow the directory matrix' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ContactModeDto)
  contactMode!: ContactModeDto | null;
}

export class CorrectPersonRecordDto extends CommandMetaDto {
  @ApiProperty({ description: 'The id of the recorded event being corrected (from the audit trail)' })
  @IsString()
  @MaxLength(64)
  eventId!: string;
  @ApiProperty({
    enum: ['RETRACT', 'EFFECTIVE_DATE'],
    description: 'Retract the record, or correct its effective date',
  })
  @IsIn(['RETRACT', 'EFFECTIVE_DATE'])
  correction!: 'RETRACT' | 'EFFECTIVE_DATE';
  @ApiPropertyOptional({ description: 'EFFECTIVE_DATE: the correct effective date, YYYY-MM-DD' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  correctEffectiveAt?: string;
}
