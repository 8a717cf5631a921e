import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PRIORITIES, type LinkStatus, type Priority } from '../../links/link.entity';

/** A batch's priority, as its views and its intake answer show it. */
const BATCH_PRIORITY = {
  enum: PRIORITIES,
  description: 'The priority of its links, unless a link named its own',
};

export const BATCH_STATUSES = ['open', 'in_progress', 'completed', 'cancelled'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

export const REJECT_REASONS = [
  'invalid_url',
  'unsupported_scheme',
  'url_too_long',
  'unknown_marketplace',
  'duplicate_in_batch',
  'invalid_listing',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

const count = (description?: string) => ApiProperty({ type: 'integer', minimum: 0, description });

/** How many links are in each status. */
export class StatusCountsDto {
  @count() pending!: number;
  @count() acknowledged!: number;
  @count() taken_down!: number;
  @count() not_found!: number;
  @count() rejected!: number;
  @count() withdrawn!: number;
  @count() reinstated!: number;
}
// Fails to compile when a link status is added without its count here, or a count names no status.
const sameKeys: [keyof StatusCountsDto] extends [LinkStatus]
  ? [LinkStatus] extends [keyof StatusCountsDto]
    ? true
    : never
  : never = true;
void sameKeys;

export class LinkBatchDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'PKTN/2026/11/0042' })
  reference!: string;

  @ApiProperty({ example: 'Permendag 40/2022 jo. 18/2021, Pasal 2 ayat (3)' })
  legalBasis!: string;

  @ApiProperty({ type: String, nullable: true, example: 'used-clothing' })
  category!: string | null;

  @ApiProperty({ type: String, nullable: true })
  note!: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: "The batch's due time for every link; null when each link is due by its marketplace's SLA",
  })
  dueAt!: string | null;

  @ApiProperty(BATCH_PRIORITY)
  priority!: Priority;

  @ApiProperty({
    enum: BATCH_STATUSES,
    description:
      'Derived from its links: open (none acted on), in_progress, completed (all final), cancelled',
  })
  status!: BatchStatus;

  @ApiProperty({
    type: 'integer',
    minimum: 0,
    description: 'Links in the batch, those it co-notified included; for a marketplace, its own links in it',
  })
  linkCount!: number;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  cancelledAt!: string | null;

  @ApiProperty({ type: String, nullable: true })
  cancelReason!: string | null;
}

export class LinkBatchPageDto {
  @ApiProperty({ type: [LinkBatchDto] })
  items!: LinkBatchDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `cursor` for the next page; null on the last page',
  })
  nextCursor!: string | null;
}

export class BatchMarketplaceStatusDto {
  @ApiProperty({ format: 'uuid' })
  marketplaceId!: string;

  @ApiProperty({ example: 'shopee' })
  code!: string;

  @ApiProperty({ type: StatusCountsDto })
  statusCounts!: StatusCountsDto;

  @count('Of its links, those still open after their due time')
  overdue!: number;
}

/** A batch with its links counted by status, in total and per marketplace; a marketplace sees only its own part. */
export class LinkBatchDetailDto extends LinkBatchDto {
  @ApiProperty({ type: StatusCountsDto })
  statusCounts!: StatusCountsDto;

  @ApiProperty({ type: [BatchMarketplaceStatusDto], description: 'By marketplace code' })
  byMarketplace!: BatchMarketplaceStatusDto[];

  @count('Links still open after their due time')
  overdue!: number;
}

export class IntakeCountsDto {
  @count() accepted!: number;
  @count('Listings already open in another batch, not created again') duplicate!: number;
  @count('Of the duplicates, open links another ministry notified: this batch co-notifies them')
  coNotified!: number;
  @count() rejected!: number;
  @count('Accepted links whose listing was taken down before') relisted!: number;
}

export class MarketplaceIntakeDto {
  @ApiProperty({ format: 'uuid' })
  marketplaceId!: string;

  @ApiProperty({ example: 'shopee' })
  code!: string;

  @count()
  accepted!: number;
}

const itemIndex = () =>
  ApiProperty({
    type: 'integer',
    minimum: 0,
    description: 'Position of the link in the submission (0-based)',
  });

export class RejectedLinkDto {
  @itemIndex()
  index!: number;

  @ApiProperty({ description: 'The URL as submitted' })
  url!: string;

  @ApiProperty({ enum: REJECT_REASONS })
  reason!: RejectReason;

  @ApiPropertyOptional({
    description:
      'With invalid_listing: what is wrong with the listing (e.g. "listing.imageHashes[0].hash must be …")',
  })
  detail?: string;
}

export class DuplicateLinkDto {
  @itemIndex()
  index!: number;

  @ApiProperty()
  url!: string;

  @ApiProperty({ format: 'uuid', description: 'The open link of the same listing' })
  existingLinkId!: string;

  @ApiProperty({
    description:
      'Another ministry notified the open link: the caller is now its co-notifier, reads it and follows it. False ' +
      'when the caller notified it already (first or as co-notifier)',
  })
  coNotified!: boolean;
}

export class RelistedLinkDto {
  @itemIndex()
  index!: number;

  @ApiProperty()
  url!: string;

  @ApiProperty({ format: 'uuid', description: 'The link created for it' })
  linkId!: string;

  @ApiProperty({
    type: 'string',
    format: 'uuid',
    isArray: true,
    description: 'The earlier, taken-down links',
  })
  priorLinkIds!: string[];
}

/** The answer to a submitted batch: what was created, and the outcome of every link that was not simply accepted. */
export class LinkBatchIntakeDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  reference!: string;

  @ApiProperty({ enum: ['open'] })
  status!: BatchStatus;

  @ApiProperty(BATCH_PRIORITY)
  priority!: Priority;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: IntakeCountsDto })
  counts!: IntakeCountsDto;

  @ApiProperty({ type: [MarketplaceIntakeDto], description: 'Accepted links per marketplace, by code' })
  byMarketplace!: MarketplaceIntakeDto[];

  @ApiProperty({ type: [RejectedLinkDto] })
  rejected!: RejectedLinkDto[];

  @ApiProperty({ type: [DuplicateLinkDto] })
  duplicates!: DuplicateLinkDto[];

  @ApiProperty({ type: [RelistedLinkDto] })
  relisted!: RelistedLinkDto[];

  @ApiProperty({
    type: [String],
    description:
      "A CSV's header columns other than url, note and keywords, which were ignored, as written; empty for JSON",
    example: ['Penjual'],
  })
  ignoredColumns!: string[];
}
