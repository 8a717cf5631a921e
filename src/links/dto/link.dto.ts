import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { PageQueryDto } from '../../common/pagination';
import { ImageHashDto } from '../../matching/dto/image-hash.dto';
import { MAX_IMAGE_HASHES } from '../listing-evidence';
import { LINK_SOURCES, LINK_STATUSES, LinkSource, LinkStatus, PRIORITIES, Priority } from '../link.entity';
import { StatementOfReasonsDto } from './statement-of-reasons.dto';

export const ACK_STATUSES = ['acknowledged', 'taken_down', 'not_found', 'rejected'] as const;
export type AckStatus = (typeof ACK_STATUSES)[number];
export const MAX_ACKS_PER_REQUEST = 5000;

/** A listing's evidence as a marketplace sends it; its fingerprint (title, seller, image hashes) is what matching compares. */
export class ListingEvidenceDto {
  @ApiPropertyOptional({ maxLength: 500 }) title?: string;
  @ApiPropertyOptional({ maxLength: 5000 }) description?: string;
  @ApiPropertyOptional({ minLength: 1, maxLength: 200 }) sellerRef?: string;
  @ApiPropertyOptional({ maxLength: 200 }) sellerName?: string;
  @ApiPropertyOptional({ minimum: 0, maximum: 1e15 }) price?: number;
  @ApiPropertyOptional({ example: 'IDR', pattern: '^[A-Z]{3}$' }) currency?: string;
  @ApiPropertyOptional({ pattern: '^[0-9a-f]{64}$' }) screenshotSha256?: string;
  @ApiPropertyOptional({
    type: [ImageHashDto],
    maxItems: MAX_IMAGE_HASHES,
    description: 'Perceptual hashes of the listing’s photos: phash as sharp-phash computes it, or PDQ',
  })
  imageHashes?: ImageHashDto[];
}

export class AcknowledgementItemDto {
  @ApiProperty({ format: 'uuid' }) linkId!: string;
  @ApiProperty({ enum: ACK_STATUSES }) status!: AckStatus;
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'When the marketplace acted; default now; not in the future nor before the link was created',
  })
  at?: string;
  @ApiPropertyOptional({ minLength: 1, maxLength: 1000, description: 'Required for rejected' })
  reason?: string;
  @ApiPropertyOptional({ type: ListingEvidenceDto }) listing?: ListingEvidenceDto;
  @ApiPropertyOptional({
    type: StatementOfReasonsDto,
    description:
      'With taken_down only: the statement of reasons (DSA art. 17); required when the marketplace’s ' +
      'requireStatementOfReasons is set',
  })
  decision?: StatementOfReasonsDto;
}

/**
 * The body as OpenAPI tells it: read by ItemsBody (1 to MAX_ACKS_PER_REQUEST items), each item judged in the service (a
 * bad item is a per-item error, not a 400 for all).
 */
export class AcknowledgeLinksDto {
  @ApiProperty({
    type: [AcknowledgementItemDto],
    minItems: 1,
    maxItems: MAX_ACKS_PER_REQUEST,
    description:
      'An item that breaks the item schema is refused on its own (ok: false with the reason), not with a 400',
  })
  items!: unknown[];
}

/** The answer to one acknowledgement item, in the order of the request's items. */
export class AcknowledgementResult {
  @ApiProperty({
    description:
      'The item’s linkId: lower-cased when the item is valid; otherwise as sent, cut to 100 characters, or empty when it is not a string',
    maxLength: 100,
  })
  linkId!: string;

  @ApiProperty({
    description: 'Whether the item was accepted (a repeat of the link’s status is accepted too)',
  })
  ok!: boolean;

  @ApiProperty({
    // null among the values too: OpenAPI 3.0's nullable does not widen an enum.
    enum: [...LINK_STATUSES, null],
    nullable: true,
    type: String,
    description:
      'The link’s status after this item; null when the link is not one of the caller’s or the item is invalid',
  })
  status!: LinkStatus | null;

  @ApiPropertyOptional({
    description:
      'Why the item was refused: not_found, invalid_transition, a rule about at, or a validation message; absent when ok',
  })
  error?: string;
}

export class AcknowledgementResultsResponseDto {
  @ApiProperty({ type: [AcknowledgementResult], description: 'One result per item, in the items’ order' })
  results!: AcknowledgementResult[];
}

export class WithdrawLinkDto {
  @ApiProperty({ minLength: 1, maxLength: 1000 })
  @IsString()
  @Length(1, 1000)
  reason!: string;
}

export class ListLinksQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  batchId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  marketplaceId?: string;

  @ApiPropertyOptional({ enum: LINK_STATUSES })
  @IsOptional()
  @IsIn(LINK_STATUSES)
  status?: LinkStatus;

  @ApiPropertyOptional({
    enum: LINK_SOURCES,
    description: 'ministry: from link batches; marketplace: reported takedowns',
  })
  @IsOptional()
  @IsIn(LINK_SOURCES)
  source?: LinkSource;

  @ApiPropertyOptional({ enum: PRIORITIES })
  @IsOptional()
  @IsIn(PRIORITIES)
  priority?: Priority;

  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOptional()
  @IsIn(['true', 'false'])
  relisted?: 'true' | 'false';

  @ApiPropertyOptional({ enum: ['true', 'false'] })
  @IsOptional()
  @IsIn(['true', 'false'])
  overdue?: 'true' | 'false';

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'Taken-down links whose latest observation found the listing online',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  reappeared?: 'true' | 'false';

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description:
      'true: taken-down links due for a re-check: a point of the schedule (RECHECK_SCHEDULE_DAYS after the takedown, 1, 7 and 30 days by default) has passed and no observation was made since it. false: every other link',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  recheckDue?: 'true' | 'false';

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Links changed at or after this time, oldest change first (for polling)',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  updatedSince?: string;
}
