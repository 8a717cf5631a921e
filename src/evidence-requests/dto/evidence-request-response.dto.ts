import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { LINK_STATUSES, type LinkStatus } from '../../links/link.entity';
import { EVIDENCE_STATUSES } from '../evidence-request.entity';
import type { EvidenceStatus } from '../evidence-request.view';
import { SellerRecordDto } from './evidence-request.dto';

/** The scope as it was filed (a marketplace sees it empty: only its own part concerns it). */
export class EvidenceScopeResponseDto {
  @ApiPropertyOptional({ type: [String], format: 'uuid' })
  batchIds?: string[];

  @ApiPropertyOptional({ type: [String], format: 'uuid' })
  linkIds?: string[];

  @ApiPropertyOptional({ type: [String] })
  urls?: string[];

  @ApiPropertyOptional({ type: [String] })
  sellerRefs?: string[];

  @ApiPropertyOptional({ description: 'As filed: an ISO 8601 date or date-time' })
  from?: string;

  @ApiPropertyOptional({ description: 'As filed: an ISO 8601 date or date-time' })
  to?: string;
}

/** One addressed marketplace's part of a request and its answer, if it gave one. */
export class EvidencePartResponseDto {
  @ApiProperty({ format: 'uuid' })
  marketplaceId!: string;

  // OpenAPI 3.0 wants null among the values of a nullable enum, or validators refuse it.
  @ApiProperty({ enum: ['fulfil', 'decline', null], nullable: true, description: 'Null until it answers' })
  decision!: 'fulfil' | 'decline' | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  respondedAt!: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description:
      'Why it declined (null otherwise); shown to the filing police and the marketplace itself, not to ministry or operator',
  })
  reason?: string | null;

  @ApiPropertyOptional({
    type: [SellerRecordDto],
    description:
      'What it answered with (empty until it fulfils); shown to the filing police and the marketplace itself only',
  })
  sellerRecords?: SellerRecordDto[];
}

export class EvidenceRequestResponseDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid', description: 'The police agency that filed it' })
  policeAgencyId!: string;

  @ApiProperty()
  caseNumber!: string;

  @ApiProperty()
  legalBasis!: string;

  @ApiProperty()
  purpose!: string;

  @ApiProperty({ type: EvidenceScopeResponseDto })
  scope!: EvidenceScopeResponseDto;

  @ApiProperty({
    enum: [...EVIDENCE_STATUSES, 'expired'],
    enumName: 'EvidenceRequestStatus',
    description:
      'submitted → in_review (some answered) → ready (all answered, one fulfilled) | declined (all declined); closed by the police; expired after the retention period',
  })
  status!: EvidenceStatus;

  @ApiProperty({
    type: 'integer',
    minimum: 1,
    description: 'Links in scope (for a marketplace: in its own part)',
  })
  linkCount!: number;

  @ApiProperty({
    type: [EvidencePartResponseDto],
    description: 'Every addressed marketplace (for a marketplace: its own part only)',
  })
  marketplaces!: EvidencePartResponseDto[];

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  closedAt!: string | null;

  @ApiProperty({ format: 'date-time', description: 'After this nothing more is answered or exported (410)' })
  expiresAt!: string;
}

export class EvidenceRequestListResponseDto {
  @ApiProperty({ type: [EvidenceRequestResponseDto] })
  items!: EvidenceRequestResponseDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as cursor for the next page; null on the last page',
  })
  nextCursor!: string | null;
}

export class EvidenceRequestLinkResponseDto {
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
  status!: LinkStatus;
}

export class EvidenceRequestLinkListResponseDto {
  @ApiProperty({ type: [EvidenceRequestLinkResponseDto] })
  items!: EvidenceRequestLinkResponseDto[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as cursor for the next page; null on the last page',
  })
  nextCursor!: string | null;
}
