import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ListingEvidenceDto } from '../../links/dto/link.dto';
import { StatementOfReasonsDto } from '../../links/dto/statement-of-reasons.dto';

export const MAX_REPORT_ITEMS = 5000;

export class TakedownReportItemDto {
  @ApiProperty({
    example: 'https://shopee.co.id/Bal-Pakaian-Bekas-i.123456.2345678901',
    minLength: 1,
    maxLength: 8192,
    description: 'A listing on one of the caller’s own marketplaces',
  })
  url!: string;

  @ApiProperty({
    format: 'date-time',
    description: 'When the marketplace took the listing down: not in the future, not before 2000-01-01',
  })
  takenDownAt!: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 1000, description: 'Why; becomes the link’s statusReason' })
  reason?: string;

  @ApiPropertyOptional({
    minLength: 1,
    maxLength: 100,
    example: 'used-clothing',
    description: 'The marketplace’s own category for the takedown; kept in the link’s created event',
  })
  category?: string;

  @ApiProperty({ type: ListingEvidenceDto, description: 'The listing as it was when taken down' })
  listing!: ListingEvidenceDto;

  @ApiPropertyOptional({
    type: StatementOfReasonsDto,
    description:
      'The statement of reasons for the takedown (DSA art. 17); required when the marketplace’s requireStatementOfReasons is set',
  })
  decision?: StatementOfReasonsDto;
}

/**
 * The body as OpenAPI tells it: read by ItemsBody (1 to MAX_REPORT_ITEMS items), each item judged in the service (a bad
 * item is a per-item error, not a 400 for all).
 */
export class FileTakedownReportDto {
  @ApiProperty({
    type: [TakedownReportItemDto],
    minItems: 1,
    maxItems: MAX_REPORT_ITEMS,
    description:
      'An item that breaks the item schema is refused on its own (ok: false with the reason), not with a 400',
  })
  items!: unknown[];
}

/** The answer to one item, in the order of the request's items. */
export class TakedownReportResultDto {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'The item’s position in the request' })
  index!: number;

  @ApiProperty({ description: 'Whether the item became a link' })
  ok!: boolean;

  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'The new link when ok; with open_link_exists the open link to acknowledge instead; with already_reported the link of the earlier report',
  })
  linkId?: string;

  @ApiPropertyOptional({
    enum: [true],
    description: 'Present when the listing had been taken down before (the new link is a relisting)',
  })
  relisted?: true;

  @ApiPropertyOptional({
    type: 'string',
    format: 'uuid',
    isArray: true,
    description: 'With relisted: the earlier taken-down links of the listing',
  })
  priorLinkIds?: string[];

  @ApiPropertyOptional({
    description:
      'Why the item was refused: unroutable, not_own_domain, a URL reason, duplicate_in_report, open_link_exists, already_reported, or a validation message; absent when ok',
  })
  error?: string;
}

export class TakedownReportResponseDto {
  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description:
      'The report the accepted links belong to; null when no item was accepted (then nothing was written)',
  })
  reportId!: string | null;

  @ApiProperty({ type: [TakedownReportResultDto], description: 'One result per item, in the items’ order' })
  results!: TakedownReportResultDto[];
}
