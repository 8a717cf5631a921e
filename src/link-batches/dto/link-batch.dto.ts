import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
} from 'class-validator';
import { PageQueryDto } from '../../common/pagination';
import { ListingEvidenceDto } from '../../links/dto/link.dto';
import { PRIORITIES, type Priority } from '../../links/link.entity';
import { BATCH_STATUSES, BatchStatus, LinkBatchIntakeDto } from './link-batch-response.dto';

/** What POST /v1/link-batches answers (the response DTO is the one definition). */
export type BatchIntakeResult = LinkBatchIntakeDto;

export const MAX_LINKS_PER_BATCH = 50_000;

export class SubmittedLinkDto {
  @ApiProperty({
    example: 'https://shopee.co.id/Kemeja-Flanel-Pria-i.123456789.2345678901',
    minLength: 1,
    maxLength: 8192,
    description: 'Judged after reading: one that does not route to a marketplace comes back in `rejected`',
  })
  url!: string;
  @ApiPropertyOptional({ maxLength: 1000 })
  note?: string;
  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', minLength: 1, maxLength: 100 },
    maxItems: 20,
  })
  keywords?: string[];
  @ApiPropertyOptional({
    type: ListingEvidenceDto,
    description:
      'What the ministry saw of the listing (JSON batches only); a malformed one rejects that link as invalid_listing',
  })
  listing?: ListingEvidenceDto;
  @ApiPropertyOptional({
    enum: PRIORITIES,
    description:
      "This link's priority, when it differs from the batch's (JSON batches; a CSV's `priority` column)",
  })
  priority?: Priority;
}

export class BatchMetaDto {
  @ApiProperty({ example: 'PKTN/2026/11/0042', minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  reference!: string;

  @ApiProperty({ example: 'Permendag 40/2022 jo. 18/2021, Pasal 2 ayat (3)', minLength: 1, maxLength: 500 })
  @IsString()
  @Length(1, 500)
  legalBasis!: string;

  @ApiPropertyOptional({ example: 'used-clothing', minLength: 1, maxLength: 100 })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  category?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 2000 })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  note?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description:
      "Due time of every link, in the future; default: now + the marketplace's SLA hours for the link's priority (urgentSlaHours or takedownSlaHours)",
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  dueAt?: string;

  @ApiPropertyOptional({
    enum: PRIORITIES,
    description: 'The priority of every link that does not name its own; normal if absent',
  })
  @IsOptional()
  @IsIn(PRIORITIES)
  priority?: Priority;
}

/**
 * The envelope is validated by class-validator; the up to 50,000 items by a tight hand-written loop
 * (class-validator costs ~16 µs an item, more than writing the row). SubmittedLinkDto describes them for OpenAPI.
 */
export class CreateLinkBatchDto extends BatchMetaDto {
  @ApiProperty({ type: [SubmittedLinkDto], minItems: 1, maxItems: MAX_LINKS_PER_BATCH })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_LINKS_PER_BATCH)
  links!: unknown[];
}

/** Query parameters of a CSV submission, which carries only the links in its body. */
export class CsvBatchQueryDto extends BatchMetaDto {}

export class CancelBatchDto {
  @ApiProperty({ minLength: 1, maxLength: 1000, example: 'Issued in error: wrong legal basis' })
  @IsString()
  @Length(1, 1000)
  reason!: string;
}

export class ListBatchesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: BATCH_STATUSES })
  @IsOptional()
  @IsIn(BATCH_STATUSES)
  status?: BatchStatus;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true })
  createdFrom?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true })
  createdTo?: string;
}
