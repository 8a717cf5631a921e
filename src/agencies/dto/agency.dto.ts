import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { Role, ROLES } from '../../auth/actor';
import { PageQueryDto } from '../../common/pagination';
import type { AgencyStatus } from '../agency.entity';

const AGENCY_STATUSES = ['active', 'suspended'] as const satisfies readonly AgencyStatus[];

export class CreateAgencyDto {
  @ApiProperty({ pattern: '^[a-z0-9-]{2,40}$', example: 'kemendag' })
  @IsString()
  @Matches(/^[a-z0-9-]{2,40}$/, { message: 'code must be 2-40 characters of a-z, 0-9 and -' })
  code!: string;

  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Kementerian Perdagangan' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  type!: Role;
}

export class UpdateAgencyDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 200 })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ enum: AGENCY_STATUSES })
  @IsOptional()
  @IsIn(AGENCY_STATUSES)
  status?: AgencyStatus;
}

export class CreateClientDto {
  @ApiProperty({ minLength: 1, maxLength: 200, example: 'ministry-intake-system' })
  @IsString()
  @Length(1, 200)
  name!: string;
}

export class ListAgenciesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  type?: Role;
}

export class ListApiClientsQueryDto extends PageQueryDto {}

export class AgencyResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ pattern: '^[a-z0-9-]{2,40}$', example: 'kemendag' }) code!: string;
  @ApiProperty({ example: 'Kementerian Perdagangan' }) name!: string;
  @ApiProperty({ enum: ROLES, description: "The role of the agency's API clients" })
  type!: Role;
  @ApiProperty({
    enum: AGENCY_STATUSES,
    description: "A suspended agency's tokens are refused at once",
  })
  status!: AgencyStatus;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class AgencyListResponseDto {
  @ApiProperty({ type: [AgencyResponseDto], description: 'In code order' })
  items!: AgencyResponseDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next page; null on the last page',
  })
  nextCursor!: string | null;
}

export class ApiClientResponseDto {
  @ApiProperty({ format: 'uuid', description: 'The OAuth client_id' }) clientId!: string;
  @ApiProperty({ format: 'uuid' }) agencyId!: string;
  @ApiProperty({ example: 'ministry-intake-system' }) name!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the client was revoked; null while it is active',
  })
  revokedAt!: string | null;
}

export class CreatedApiClientResponseDto extends ApiClientResponseDto {
  @ApiProperty({
    description:
      'The OAuth client_secret. Shown in this response only: the server keeps just a slow salted hash, so store it now; a lost secret means a new client',
  })
  clientSecret!: string;
}

export class ApiClientListResponseDto {
  @ApiProperty({ type: [ApiClientResponseDto], description: 'Oldest first; revoked clients included' })
  items!: ApiClientResponseDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next page; null on the last page',
  })
  nextCursor!: string | null;
}
