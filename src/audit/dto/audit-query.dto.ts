import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { PageQueryDto } from '../../common/pagination';
import { IntQueryParam } from '../../common/int-query-param';

/** What the events are filtered by; the page's limit and cursor come from PageQueryDto, after these. */
class AuditEventsFilterDto {
  @ApiPropertyOptional({ example: 'agency' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z_]{1,40}$/)
  entityType?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  entityId?: string;

  @ApiPropertyOptional({ example: 'agency.created' })
  @IsOptional()
  @IsString()
  @MaxLength(60)
  action?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  actorAgencyId?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;

  @ApiPropertyOptional({
    description: 'Return events with seq greater than this (also the pagination cursor)',
  })
  @IsOptional()
  @IntQueryParam(0)
  afterSeq?: number;
}

export class AuditEventsQueryDto extends IntersectionType(AuditEventsFilterDto, PageQueryDto) {}

export class VerifyQueryDto {
  @ApiPropertyOptional({ minimum: 1 })
  @IsOptional()
  @IntQueryParam(1)
  fromSeq?: number;

  @ApiPropertyOptional({ minimum: 1 })
  @IsOptional()
  @IntQueryParam(1)
  toSeq?: number;
}

export class InclusionProofQueryDto {
  @ApiProperty({ minimum: 1, description: 'The event; its leaf index is seq - 1' })
  @IntQueryParam(1)
  seq!: number;

  @ApiProperty({ minimum: 1, description: 'The tree the proof leads to (a checkpoint size, say)' })
  @IntQueryParam(1)
  treeSize!: number;
}

export class ConsistencyProofQueryDto {
  @ApiProperty({ minimum: 1 })
  @IntQueryParam(1)
  from!: number;

  @ApiProperty({ minimum: 1 })
  @IntQueryParam(1)
  to!: number;
}
