/** Accounts (账号): the bodies of the account routes. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ACCOUNT_TYPES, CLOSE_REASONS, FREEZE_REASONS, READ_ROLES } from '../../../domain/account/account.decider';
import { CommandMetaDto } from './command-meta.dto';
import { ID_MESSAGE, ID_PATTERN } from './org-node.dto';

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
export class ReadRoleDto extends CommandMetaDto {
  @ApiProperty({ enum: READ_ROLES, description: 'AUDITOR: the history; ASSESSOR: the assessment' })
  @IsIn(READ_ROLES as unknown as string[])
  role!: (typeof READ_ROLES)[number];
  @ApiPropertyOptional({ description: 'The subtree read; absent for the whole jurisdiction' })
  @IsOptional()
  @id('orgNodeId')
  orgNodeId?: string;
}
