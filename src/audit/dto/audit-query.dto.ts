import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../common/pagination';
import { IntQueryParam } from '../../common/int-query-param';

/** What the events are filtered by; the page's limit and cursor come from PageQueryDto, after these. */
class AuditEventsFilterDto {
  @ApiPropertyOptional({ example: 'agency', pattern: '^[a-z_]{1,40}$' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z_]{1,40}$/)
  entityType?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  entityId?: string;

  @ApiPropertyOptional({ example: 'agency.created', maxLength: 60 })
  @IsOptional()
  @IsString()
  @MaxLength(60)
  action?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  actorAgencyId?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Events that occurred at or after' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Events that occurred before' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    description:
      'Return events with seq greater than this (the cursor, when both are given, may move it further)',
  })
  @IsOptional()
  @IntQueryParam(0)
  afterSeq?: number;
}

export class AuditEventsQueryDto extends IntersectionType(AuditEventsFilterDto, PageQueryDto) {}

export class VerifyQueryDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    default: 1,
    description: 'From seq 1 (the default) the signed checkpoints and the Merkle tree are checked too',
  })
  @IsOptional()
  @IntQueryParam(1)
  fromSeq?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'Defaults to the head of the log' })
  @IsOptional()
  @IntQueryParam(1)
  toSeq?: number;
}

export class InclusionProofQueryDto {
  @ApiProperty({ type: 'integer', minimum: 1, description: 'The event; its leaf index is seq - 1' })
  @IntQueryParam(1)
  seq!: number;

  @ApiProperty({
    type: 'integer',
    minimum: 1,
    description: 'The tree the proof leads to (a checkpoint size, say); at least seq',
  })
  @IntQueryParam(1)
  treeSize!: number;
}

export class ConsistencyProofQueryDto {
  @ApiProperty({ type: 'integer', minimum: 1, description: 'The smaller tree size' })
  @IntQueryParam(1)
  from!: number;

  @ApiProperty({ type: 'integer', minimum: 1, description: 'The larger tree size; at least from' })
  @IntQueryParam(1)
  to!: number;
}
