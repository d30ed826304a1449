/** Requests (申请与审批): the bodies of the request routes; a change's data is checked against its own route's body. */
import { ApiProperty } from '@nestjs/swagger';
import { plainToInstance, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  validateSync,
  ValidateNested,
} from 'class-validator';
import { REQUEST_KIND_NAMES, type RequestKind } from '../../../domain/request/request.decider';
import { CloseAccountDto, FreezeAccountDto, OpenAccountDto, AdminScopeDto } from './account.dto';
import { CALENDAR_DATE, CommandMetaDto } from './command-meta.dto';
import { CreateOrgNodeDto, ID_MESSAGE, ID_PATTERN, MoveOrgNodeDto, RenameOrgNodeDto } from './org-node.dto';
import {
  ChangePostDto,
  RecordDepartureDto,
  RegisterPersonDto,
  TransferPersonDto,
  UpdatePersonProfileDto,
} from './person.dto';

export class DocumentReferenceDto {
  @ApiProperty({
    example: '编办批文',
    description: '编办批文、单位成立文件、上级主管单位意见、身份证复印件、测评报告…',
  })
  @IsString()
  @MaxLength(50)
  kind!: string;
  @ApiProperty({ example: '鹿编〔2025〕12号', description: '文号' }) @IsString() @MaxLength(100) ref!: string;
  @ApiProperty({ example: '鹿寨县委编办' }) @IsString() @MaxLength(100) issuedBy!: string;
  @ApiProperty({ example: '2025-09-20' })
  @Matches(CALENDAR_DATE, { message: 'issuedOn must be YYYY-MM-DD' })
  issuedOn!: string;
}

export class RequestedChangeDto {
  @ApiProperty({ example: 'CreateOrgNode', description: 'A command of the target (OrgNode, Account, Person)' })
  @IsString()
  @MaxLength(64)
  type!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'As the command’s own route takes it, with the ids',
  })
  @IsObject()
  data!: Record<string, unknown>;
}

/** What a request asks for, as filed and as refiled: the change and its documents. */
export class RefileRequestDto extends CommandMetaDto {
  @ApiProperty({ type: RequestedChangeDto })
  @ValidateNested()
  @Type(() => RequestedChangeDto)
  change!: RequestedChangeDto;
  @ApiProperty({ type: [DocumentReferenceDto] })
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => DocumentReferenceDto)
  documents!: DocumentReferenceDto[];
}

export class FileRequestDto extends RefileRequestDto {
  @ApiProperty() @Matches(ID_PATTERN, { message: `requestId ${ID_MESSAGE}` }) requestId!: string;
  @ApiProperty({ enum: REQUEST_KIND_NAMES })
  @IsIn(REQUEST_KIND_NAMES, { message: `kind must be one of ${REQUEST_KIND_NAMES.join(', ')}` })
  kind!: RequestKind;
  @ApiProperty({ description: 'The unit on whose behalf (for a unit’s registration: its parent)' })
  @Matches(ID_PATTERN, { message: `orgNodeId ${ID_MESSAGE}` })
  orgNodeId!: string;
}

export class DecideRequestStepDto extends CommandMetaDto {
  @ApiProperty({ description: 'The step decided (0 = the first), as the reviewer saw it' })
  @IsInt()
  @Min(0)
  @Max(20)
  step!: number;
  @ApiProperty({ enum: ['APPROVED', 'RETURNED', 'REJECTED'] })
  @IsIn(['APPROVED', 'RETURNED', 'REJECTED'])
  decision!: 'APPROVED' | 'RETURNED' | 'REJECTED';
}

/** Each change's body as its own route takes it, and the ids its route takes from the path. */
const CHANGE_BODIES: Record<string, { dto: new () => object; ids: readonly string[] }> = {
  CreateOrgNode: { dto: CreateOrgNodeDto, ids: [] },
  RenameOrgNode: { dto: RenameOrgNodeDto, ids: ['orgNodeId'] },
  MoveOrgNode: { dto: MoveOrgNodeDto, ids: ['orgNodeId'] },
  OpenAccount: { dto: OpenAccountDto, ids: [] },
  FreezeAccount: { dto: FreezeAccountDto, ids: ['accountId'] },
  UnfreezeAccount: { dto: CommandMetaDto, ids: ['accountId'] },
  GrantAdminScope: { dto: AdminScopeDto, ids: ['accountId'] },
  RevokeAdminScope: { dto: AdminScopeDto, ids: ['accountId'] },
  CloseAccount: { dto: CloseAccountDto, ids: ['accountId'] },
  RegisterPerson: { dto: RegisterPersonDto, ids: [] },
  UpdatePersonProfile: { dto: UpdatePersonProfileDto, ids: ['personId'] },
  ChangePost: { dto: ChangePostDto, ids: ['personId'] },
  TransferPerson: { dto: TransferPersonDto, ids: ['personId'] },
  RecordDeparture: { dto: RecordDepartureDto, ids: ['personId'] },
};

/** The problems of a change's data against its route's body (empty: none); an unknown command is the decider's to refuse. */
export function changeProblems(change: RequestedChangeDto): string[] {
  const body = CHANGE_BODIES[change.type];
  if (!body) return [];
  const problems: string[] = [];
  const rest: Record<string, unknown> = { ...change.data };
  for (const id of body.ids) {
    if (typeof rest[id] !== 'string' || !ID_PATTERN.test(rest[id] as string))
      problems.push(`change.data.${id} ${ID_MESSAGE}`);
    delete rest[id];
  }
  const errors = validateSync(plainToInstance(body.dto, rest), { whitelist: true, forbidNonWhitelisted: true });
  const flatten = (list: typeof errors, path: string): string[] =>
    list.flatMap((e) => [
      ...Object.values(e.constraints ?? {}).map((message) => `${path}${message}`),
      ...flatten(e.children ?? [], `${path}${e.property}.`),
    ]);
  return [...problems, ...flatten(errors, 'change.data: ')];
}
