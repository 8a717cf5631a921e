import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { PageQueryDto } from '../../common/pagination';
import { LINK_STATUSES } from '../../links/link.entity';

export class EvidenceScopeDto {
  @ApiPropertyOptional({ type: [String], format: 'uuid' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true })
  batchIds?: string[];

  @ApiPropertyOptional({ type: [String], format: 'uuid' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50_000)
  @IsUUID('all', { each: true })
  linkIds?: string[];

  @ApiPropertyOptional({
    type: [String],
    description: 'Matched by canonical form: the same listing, however written',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10_000)
  @IsString({ each: true })
  @MaxLength(2048, { each: true })
  urls?: string[];

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  sellerRefs?: string[];

  @ApiPropertyOptional({ format: 'date-time', description: 'Only links created at or after' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Only links created before' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

export class FileEvidenceRequestDto {
  @ApiProperty({ example: 'LP/B/123/XI/2026/Dittipidsiber', maxLength: 100 })
  @IsString()
  @Length(1, 100)
  caseNumber!: string;

  @ApiProperty({ example: 'KUHAP Pasal 7 ayat (1); UU Perdagangan No. 7/2014 Pasal 47', maxLength: 500 })
  @IsString()
  @Length(1, 500)
  legalBasis!: string;

  @ApiProperty({ maxLength: 2000 })
  @IsString()
  @Length(1, 2000)
  purpose!: string;

  @ApiProperty({ type: EvidenceScopeDto })
  @IsObject() // ValidateNested alone lets a missing scope through
  @ValidateNested()
  @Type(() => EvidenceScopeDto)
  scope!: EvidenceScopeDto;
}

export class SellerRecordDto {
  @ApiProperty({ maxLength: 200 })
  @IsString()
  @Length(1, 200)
  sellerRef!: string;

  @ApiPropertyOptional({ maxLength: 300 })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  registeredName?: string;

  @ApiPropertyOptional({ maxLength: 300 })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  contact?: string;

  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  address?: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  notes?: string;
}

/** The marketplace's answer to an evidence request (kept under its first schema name in the OpenAPI document). */
@ApiSchema({ name: 'EvidenceResponseDto' })
export class EvidenceAnswerDto {
  @ApiProperty({ enum: ['fulfil', 'decline'] })
  @IsIn(['fulfil', 'decline'])
  decision!: 'fulfil' | 'decline';

  @ApiPropertyOptional({ maxLength: 2000, description: 'Required to decline' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  reason?: string;

  @ApiPropertyOptional({ type: [SellerRecordDto], description: 'Required to fulfil' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10_000)
  @ValidateNested({ each: true })
  @Type(() => SellerRecordDto)
  sellerRecords?: SellerRecordDto[];
}

export class ListEvidenceRequestsQueryDto extends PageQueryDto {}

export class ListEvidenceRequestLinksQueryDto extends PageQueryDto {}

export class EvidenceRequestLinkDto {
  @ApiProperty({ format: 'uuid' })
  linkId!: string;

  @ApiProperty({ format: 'uuid' })
  marketplaceId!: string;

  @ApiProperty()
  url!: string;

  @ApiProperty()
  listingKey!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Police see it only for the parts of marketplaces that answered fulfil',
  })
  sellerRef!: string | null;

  @ApiProperty({ enum: LINK_STATUSES })
  status!: string;
}

export class EvidenceRequestLinkPageDto {
  @ApiProperty({ type: [EvidenceRequestLinkDto] })
  items!: EvidenceRequestLinkDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor!: string | null;
}
