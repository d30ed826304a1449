import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsObject, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { CommandMetaDto } from './command-meta.dto';
import { ID_MESSAGE, ID_PATTERN } from './org-node.dto';

export class CreateTagDto extends CommandMetaDto {
  @ApiProperty() @Matches(ID_PATTERN, { message: `tagId ${ID_MESSAGE}` }) tagId!: string;
  @ApiProperty({ example: '应急值班' }) @IsString() @MaxLength(100) name!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) description?: string;
  @ApiProperty() @Matches(ID_PATTERN, { message: `ownerOrgNodeId ${ID_MESSAGE}` }) ownerOrgNodeId!: string;
}

export class EditTagDto extends CommandMetaDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) name?: string;
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsString() @MaxLength(500) description?: string | null;
}

export class TagMembersDto extends CommandMetaDto {
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10000)
  @Matches(ID_PATTERN, { each: true, message: `personIds ${ID_MESSAGE}` })
  personIds?: string[];
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10000)
  @Matches(ID_PATTERN, { each: true, message: `orgNodeIds ${ID_MESSAGE}` })
  orgNodeIds?: string[];
}

export class SetTagSharedOrgsDto extends CommandMetaDto {
  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMaxSize(10000)
  @Matches(ID_PATTERN, { each: true, message: `orgNodeIds ${ID_MESSAGE}` })
  orgNodeIds!: string[];
}

export class SetDirectoryMatrixDto extends CommandMetaDto {
  @ApiProperty({
    description: 'Q1..Q4 × Q1..Q4 → DIRECT | SEARCH_ADD | NONE',
    example: { Q1: { Q1: 'DIRECT', Q2: 'DIRECT', Q3: 'DIRECT', Q4: 'DIRECT' } },
  })
  @IsObject()
  matrix!: Record<string, Record<string, string>>;
}

export class RequestContactDto extends CommandMetaDto {
  @ApiProperty() @Matches(ID_PATTERN, { message: `requestId ${ID_MESSAGE}` }) requestId!: string;
  @ApiProperty({ description: 'The person asked' })
  @Matches(ID_PATTERN, { message: `toPersonId ${ID_MESSAGE}` })
  toPersonId!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) message?: string;
}
