import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { ORG_NODE_KINDS, type OrgNodeKind } from '../../../domain/org-node/org-node.decider';
import { UNIT_ROLES, type UnitRole } from '../../../domain/org-node/unit-responsibilities';
import { DEPARTURE_REASONS, type DepartureReason } from '../../../domain/person/person.decider';
import { CommandMetaDto } from './command-meta.dto';

export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;
export const ID_MESSAGE = 'must be an id of 1-64 letters, digits and _ . : - (starting with a letter or digit)';

export class CreateOrgNodeDto extends CommandMetaDto {
  @ApiProperty({ example: 'qp-edu' }) @Matches(ID_PATTERN, { message: `orgNodeId ${ID_MESSAGE}` }) orgNodeId!: string;
  @ApiProperty({ example: '区教育局' }) @IsString() @MaxLength(200) name!: string;
  @ApiPropertyOptional({ example: '教育局' }) @IsOptional() @IsString() @MaxLength(200) shortName?: string;
  @ApiProperty({ enum: ORG_NODE_KINDS })
  @IsIn(ORG_NODE_KINDS as unknown as string[], { message: `kind must be one of ${ORG_NODE_KINDS.join(', ')}` })
  kind!: OrgNodeKind;
  @ApiProperty({ nullable: true, example: 'qp-gov', description: 'null only for the root' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: `parentId ${ID_MESSAGE}` })
  parentId!: string | null;
  @ApiPropertyOptional({ description: '统一社会信用代码 or another external code' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  externalCode?: string;
  @ApiPropertyOptional({ minimum: 0 }) @IsOptional() @IsInt() @Min(0) @Max(999999) order?: number;
}

export class RenameOrgNodeDto extends CommandMetaDto {
  @ApiProperty({ example: '区卫生健康委员会' }) @IsString() @MaxLength(200) name!: string;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsString() @MaxLength(200) shortName?: string | null;
}

export class ReorderOrgNodeDto extends CommandMetaDto {
  @ApiProperty({ minimum: 0 }) @IsInt() @Min(0) @Max(999999) order!: number;
}

export class MoveOrgNodeDto extends CommandMetaDto {
  @ApiProperty() @Matches(ID_PATTERN, { message: `toParentId ${ID_MESSAGE}` }) toParentId!: string;
}

export class SetOrgNodeHiddenDto extends CommandMetaDto {
  @ApiProperty() @IsBoolean() hidden!: boolean;
  @ApiPropertyOptional({ type: [String], description: 'Person or node ids that still see the hidden node' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @Matches(ID_PATTERN, { each: true, message: `visibleTo ${ID_MESSAGE}` })
  visibleTo?: string[];
}

export class NewSurvivorDto {
  @ApiProperty() @IsString() @MaxLength(200) name!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) shortName?: string;
  @ApiProperty({ enum: ORG_NODE_KINDS }) @IsIn(ORG_NODE_KINDS as unknown as string[]) kind!: OrgNodeKind;
  @ApiProperty() @Matches(ID_PATTERN, { message: `parentId ${ID_MESSAGE}` }) parentId!: string;
}

export class NamesakeDto {
  @ApiProperty({ description: 'A child of an absorbed node whose name the survivor already has' })
  @Matches(ID_PATTERN, { message: `orgNodeId ${ID_MESSAGE}` })
  orgNodeId!: string;
  @ApiProperty({ enum: ['MERGE', 'RENAME'], description: 'Merged with its namesake, or renamed' })
  @IsIn(['MERGE', 'RENAME'])
  resolution!: 'MERGE' | 'RENAME';
  @ApiPropertyOptional({ description: 'RENAME: the new name' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;
}

export class MergeOrgNodesDto extends CommandMetaDto {
  @ApiPropertyOptional() @IsOptional() @Matches(ID_PATTERN, { message: `mergeId ${ID_MESSAGE}` }) mergeId?: string;
  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @Matches(ID_PATTERN, { each: true, message: `absorbedIds ${ID_MESSAGE}` })
  absorbedIds!: string[];
  @ApiProperty() @Matches(ID_PATTERN, { message: `survivorId ${ID_MESSAGE}` }) survivorId!: string;
  @ApiPropertyOptional({ type: NewSurvivorDto, description: 'When the merge creates the surviving unit' })
  @IsOptional()
  @ValidateNested()
  @Type(() => NewSurvivorDto)
  newSurvivor?: NewSurvivorDto;
  @ApiPropertyOptional({ type: [NamesakeDto], description: 'What becomes of same-named children under the survivor' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => NamesakeDto)
  namesakes?: NamesakeDto[];
}

export class DissolveOrgNodeDto extends CommandMetaDto {
  @ApiPropertyOptional({ description: 'The operation id, so that the request may be repeated safely' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: `operationId ${ID_MESSAGE}` })
  operationId?: string;
  @ApiPropertyOptional({ description: 'Where the unit’s children go' })
  @IsOptional()
  @Matches(ID_PATTERN, { message: `childrenTo ${ID_MESSAGE}` })
  childrenTo?: string;
  @ApiPropertyOptional({
    description: 'Where its people go; or give departureReason: one of the two is required when it has people',
  })
  @IsOptional()
  @Matches(ID_PATTERN, { message: `peopleTo ${ID_MESSAGE}` })
  peopleTo?: string;
  @ApiPropertyOptional({ enum: DEPARTURE_REASONS })
  @IsOptional()
  @IsIn(DEPARTURE_REASONS as unknown as string[])
  departureReason?: DepartureReason;
}

export class IdParam {
  @Length(1, 64) @Matches(ID_PATTERN, { message: `id ${ID_MESSAGE}` }) id!: string;
}

/** A unit's responsible person (000:6, 003:9, 003:13): who takes or gives up which role. */
export class UnitResponsibilityDto extends CommandMetaDto {
  @ApiProperty({
    enum: UNIT_ROLES,
    description: 'HEAD 主要负责同志, LEADER_IN_CHARGE 分管领导, RESPONSIBLE_PERSON 责任人, SYSTEM_ADMIN 系统管理员',
  })
  @IsIn(UNIT_ROLES as unknown as string[])
  role!: UnitRole;
  @ApiProperty() @Matches(ID_PATTERN, { message: `personId ${ID_MESSAGE}` }) personId!: string;
}
