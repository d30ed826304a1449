/** Usage signals from the gateway: the batches of the ingestion routes. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { MAX_MESSAGES_PER_SIGNAL } from '../../../domain/shared/usage-signals';
import { ID_MESSAGE, ID_PATTERN } from './org-node.dto';

const id = (field: string) => Matches(ID_PATTERN, { message: `${field} ${ID_MESSAGE}` });

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
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(MAX_MESSAGES_PER_SIGNAL) messages?: number;
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
