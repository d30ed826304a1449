import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** A calendar date YYYY-MM-DD, as every route takes dates. */
export const CALENDAR_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** Fields every command request may carry: they go into the events' envelope. */
export class CommandMetaDto {
  @ApiPropertyOptional({
    description: '业务发生日期 (effective date), YYYY-MM-DD; defaults to today. May lie in the past or the future.',
    example: '2025-03-01',
  })
  @IsOptional()
  @Matches(CALENDAR_DATE, { message: 'effectiveAt must be a date in the form YYYY-MM-DD' })
  effectiveAt?: string;

  @ApiPropertyOptional({ description: 'Why the change is made', example: '职务调整' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;

  @ApiPropertyOptional({
    description: 'The authority for the change, e.g. the HR notice 文号',
    example: '青人社〔2025〕17号',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  sourceRef?: string;
}
