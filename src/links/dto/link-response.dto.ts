import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import type { Type } from '@nestjs/common';
import { AuditEventResponseDto } from '../../audit/dto/audit-event.dto';
import { ImageHashDto } from '../../matching/dto/image-hash.dto';
import { MatchResponseDto } from '../../matching/dto/match-response.dto';
import { LINK_SOURCES, LINK_STATUSES, LinkSource, LinkStatus, PRIORITIES, Priority } from '../link.entity';
import { OBSERVATION_RESULTS } from '../../observations/observation.entity';
import { StatementOfReasonsDto } from './statement-of-reasons.dto';

/** What a marketplace reported about the listing behind a link (each field only when it was reported). */
export class ListingResponseDto {
  @ApiPropertyOptional({ maxLength: 500 })
  title?: string;

  @ApiPropertyOptional({ maxLength: 5000 })
  description?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 200 })
  sellerRef?: string;

  @ApiPropertyOptional({ maxLength: 200 })
  sellerName?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 1e15 })
  price?: number;

  @ApiPropertyOptional({ example: 'IDR', pattern: '^[A-Z]{3}$' })
  currency?: string;

  @ApiPropertyOptional({ pattern: '^[0-9a-f]{64}$' })
  screenshotSha256?: string;

  @ApiPropertyOptional({ type: [ImageHashDto], maxItems: 20 })
  imageHashes?: ImageHashDto[];
}

/** The seller behind a link already had links taken down on the same marketplace. */
export class RepeatSellerResponseDto {
  @ApiProperty({ description: "The marketplace's reference for the seller" })
  sellerRef!: string;

  @ApiProperty({
    type: 'integer',
    minimum: 1,
    description: "The seller's earlier links that were taken down",
  })
  priorTakedowns!: number;
}

/**
 * An object or null. OpenAPI 3.0's `nullable` qualifies the `type` beside it, not a `$ref` or `allOf`, so Nest's
 * `{ nullable: true, allOf: [$ref] }` refuses null in a validator (ajv, Prism): null is spelled as an alternative.
 */
const nullableRef = (dto: Type) => ({
  anyOf: [{ $ref: getSchemaPath(dto) }, { type: 'object' as const, nullable: true, enum: [null] }],
});

export class LastObservationResponseDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'date-time', description: 'When the listing was looked at' })
  observedAt!: string;

  @ApiProperty({ enum: OBSERVATION_RESULTS })
  result!: string;

  @ApiPropertyOptional({ description: 'Where a redirected URL ended, when the observer said' })
  finalUrl?: string;
}

@ApiExtraModels(ListingResponseDto, LastObservationResponseDto)
export class LinkResponseDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({
    enum: LINK_SOURCES,
    description:
      'ministry: from a link batch; marketplace: a takedown the marketplace reported on its own initiative',
  })
  source!: LinkSource;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The link batch; null for a marketplace’s report',
  })
  batchId!: string | null;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The marketplace’s takedown report; null for a ministry’s link',
  })
  reportId!: string | null;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description:
      'The ministry whose batch opened the link: it withdraws it, answers questions and decides objections; null for a link its marketplace reported',
  })
  notifierAgencyId!: string | null;

  @ApiProperty({
    type: 'string',
    format: 'uuid',
    isArray: true,
    description:
      'Other ministries that sent the same listing while the link was open (co-notifiers: they read and follow it), by id',
  })
  coNotifierAgencyIds!: string[];

  @ApiProperty({ format: 'uuid' })
  marketplaceId!: string;

  @ApiProperty({ description: 'The URL as submitted' })
  url!: string;

  @ApiProperty({ description: 'The URL canonicalised for its marketplace' })
  canonicalUrl!: string;

  @ApiProperty({ description: 'Identifies the listing on its marketplace; one open link per listing' })
  listingKey!: string;

  @ApiProperty({
    enum: LINK_STATUSES,
    description:
      'pending → acknowledged → taken_down | not_found | rejected (the marketplace; pending may go straight to a ' +
      'final status); pending | acknowledged → withdrawn (the ministry, or an upheld objection); taken_down → ' +
      'reinstated (only an upheld objection). Every status but pending and acknowledged is final',
  })
  status!: LinkStatus;

  @ApiProperty({ type: String, nullable: true, description: 'The reason given with the last status change' })
  statusReason!: string | null;

  @ApiProperty({
    enum: PRIORITIES,
    description:
      'The notifier’s priority, which set dueAt from the marketplace’s urgentSlaHours or takedownSlaHours; a co-notifier does not change it; normal for a marketplace’s report',
  })
  priority!: Priority;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the marketplace must have acted; null for a marketplace’s report (it acted first)',
  })
  dueAt!: string | null;

  @ApiProperty({ description: 'Still open (pending or acknowledged) after dueAt, with its clock running' })
  overdue!: boolean;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description:
      'Since when the clock has stood still: an objection to the open link waits for the ministry’s decision, ' +
      'which moves dueAt on by the time paused. Null while the clock runs',
  })
  clockPausedAt!: string | null;

  @ApiProperty({ description: 'The listing had been taken down before and came back' })
  relisted!: boolean;

  @ApiProperty({
    type: 'string',
    format: 'uuid',
    isArray: true,
    description: 'Earlier links to the same listing',
  })
  priorLinkIds!: string[];

  @ApiProperty({ type: String, nullable: true })
  note!: string | null;

  @ApiProperty({ type: [String], description: 'Code words the ministry noted on the listing' })
  keywords!: string[];

  @ApiProperty({ ...nullableRef(ListingResponseDto), description: 'Null until a marketplace reports it' })
  listing!: ListingResponseDto | null;

  @ApiProperty({
    ...nullableRef(StatementOfReasonsDto),
    description: 'The marketplace’s statement of reasons for the takedown; null when it gave none',
  })
  decision!: StatementOfReasonsDto | null;

  @ApiProperty({
    type: [MatchResponseDto],
    description: 'Why the listing looks like ones taken down earlier (empty when nothing matched)',
  })
  relistingSignals!: MatchResponseDto[];

  @ApiPropertyOptional({
    type: RepeatSellerResponseDto,
    description:
      'Present when other links of the same seller on the same marketplace were taken down (not shown to marketplaces)',
  })
  repeatSeller?: RepeatSellerResponseDto;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the marketplace reported acting on it, once the link is final',
  })
  resolvedAt!: string | null;

  @ApiProperty({
    description:
      'Taken down, yet its latest observation (by observedAt) found the listing online; a later offline or ' +
      'not_found observation clears it. A flag: the status stays taken_down',
  })
  reappeared!: boolean;

  @ApiProperty({
    ...nullableRef(LastObservationResponseDto),
    description: 'The latest observation of the listing (POST /v1/observations); null before the first',
  })
  lastObservation!: LastObservationResponseDto | null;
}

export class LinkDetailResponseDto extends LinkResponseDto {
  @ApiProperty({
    description:
      "True while matching on arrival has yet to do this link's latest listing evidence: it runs just after the " +
      "acknowledgement's or takedown report's commit, and relistingSignals are final once this is false",
  })
  matchingPending!: boolean;

  @ApiProperty({
    type: [AuditEventResponseDto],
    description: 'The audit events about this link the caller may see, oldest first',
  })
  history!: AuditEventResponseDto[];
}

export class LinkListResponseDto {
  @ApiProperty({ type: [LinkResponseDto] })
  items!: LinkResponseDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as cursor for the next page; null on the last page',
  })
  nextCursor!: string | null;
}
