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

export class EvidenceScopeDto {
  @ApiPropertyOptional({ type: [String], format: 'uuid', maxItems: 1000 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true })
  batchIds?: string[];

  @ApiPropertyOptional({ type: [String], format: 'uuid', maxItems: 50_000 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50_000)
  @IsUUID('all', { each: true })
  linkIds?: string[];

  @ApiPropertyOptional({
    type: [String],
    maxLength: 2048,
    maxItems: 10_000,
    description: 'Matched by canonical form: the same listing, however written',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10_000)
  @IsString({ each: true })
  @MaxLength(2048, { each: true })
  urls?: string[];

  @ApiPropertyOptional({ type: [String], minLength: 1, maxLength: 200, maxItems: 1000 })
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
  @ApiProperty({ example: 'LP/B/123/XI/2026/Dittipidsiber', minLength: 1, maxLength: 100 })
  @IsString()
  @Length(1, 100)
  caseNumber!: string;

  @ApiProperty({
    example: 'KUHAP Pasal 7 ayat (1); UU Perdagangan No. 7/2014 Pasal 47',
    minLength: 1,
    maxLength: 500,
  })
  @IsString()
  @Length(1, 500)
  legalBasis!: string;

  @ApiProperty({ minLength: 1, maxLength: 2000 })
  @IsString()
  @Length(1, 2000)
  purpose!: string;

  @ApiProperty({
    type: EvidenceScopeDto,
    description:
      'At least one of batchIds, linkIds, urls or sellerRefs; from and to narrow it by creation time',
  })
  @IsObject() // ValidateNested alone lets a missing scope through
  @ValidateNested()
  @Type(() => EvidenceScopeDto)
  scope!: EvidenceScopeDto;
}

export class SellerRecordDto {
  @ApiProperty({ minLength: 1, maxLength: 200 })
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

  @ApiPropertyOptional({ minLength: 1, maxLength: 2000, description: 'Required to decline' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  reason?: string;

  @ApiPropertyOptional({
    type: [SellerRecordDto],
    maxItems: 10_000,
    description: 'Required to fulfil (an empty list if there are none); none to decline',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10_000)
  @ValidateNested({ each: true })
  @Type(() => SellerRecordDto)
  sellerRecords?: SellerRecordDto[];
}

export class ListEvidenceRequestsQueryDto extends PageQueryDto {}

export class ListEvidenceRequestLinksQueryDto extends PageQueryDto {}
