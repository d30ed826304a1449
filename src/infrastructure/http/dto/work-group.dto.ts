/** Work groups (工作群): the bodies of the work-group routes. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { REMOVAL_REASONS } from '../../../domain/work-group/work-group.decider';
import { CommandMetaDto } from './command-meta.dto';
import { ID_MESSAGE, ID_PATTERN } from './org-node.dto';

const ids = (field: string) => Matches(ID_PATTERN, { each: true, message: `${field} ${ID_MESSAGE}` });
const id = (field: string) => Matches(ID_PATTERN, { message: `${field} ${ID_MESSAGE}` });

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
