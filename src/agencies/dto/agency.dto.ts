import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { Role, ROLES } from '../../auth/actor';
import { PageQueryDto } from '../../common/pagination';
import type { AgencyStatus } from '../agency.entity';

export class CreateAgencyDto {
  @ApiProperty({ pattern: '^[a-z0-9-]{2,40}$', example: 'kemendag' })
  @IsString()
  @Matches(/^[a-z0-9-]{2,40}$/, { message: 'code must be 2-40 characters of a-z, 0-9 and -' })
  code!: string;

  @ApiProperty({ maxLength: 200, example: 'Kementerian Perdagangan' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  type!: Role;
}

export class UpdateAgencyDto {
  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ enum: ['active', 'suspended'] })
  @IsOptional()
  @IsIn(['active', 'suspended'])
  status?: AgencyStatus;
}

export class CreateClientDto {
  @ApiProperty({ maxLength: 200, example: 'ministry-intake-system' })
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

export class AgencyView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ROLES }) type!: Role;
  @ApiProperty({ enum: ['active', 'suspended'] }) status!: AgencyStatus;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class ClientView {
  @ApiProperty({ format: 'uuid' }) clientId!: string;
  @ApiProperty({ format: 'uuid' }) agencyId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) revokedAt!: string | null;
}

export class CreatedClientView extends ClientView {
  @ApiProperty({ description: 'Shown once; only a slow salted hash is stored' })
  clientSecret!: string;
}
