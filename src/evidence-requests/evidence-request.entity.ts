import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Agency } from '../agencies/agency.entity';
import { Link } from '../links/link.entity';
import { Marketplace } from '../marketplaces/marketplace.entity';

export const EVIDENCE_STATUSES = ['submitted', 'in_review', 'ready', 'declined', 'closed'] as const;
export type StoredEvidenceStatus = (typeof EVIDENCE_STATUSES)[number];

export interface EvidenceScope {
  batchIds?: string[];
  linkIds?: string[];
  urls?: string[];
  sellerRefs?: string[];
  from?: string;
  to?: string;
}

@Entity('evidence_requests')
@Index('idx_evidence_requests_police', ['policeAgencyId', 'createdAt'])
@Check('ck_evidence_requests_status', `"status" IN ('submitted', 'in_review', 'ready', 'declined', 'closed')`)
@Check('ck_evidence_requests_closed', `("status" = 'closed') = ("closed_at" IS NOT NULL)`)
export class EvidenceRequest {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'police_agency_id', type: 'uuid' })
  policeAgencyId!: string;

  @ManyToOne(() => Agency, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'police_agency_id', foreignKeyConstraintName: 'fk_evidence_requests_police' })
  policeAgency?: Agency;

  @Column({ name: 'filed_by_client_id', type: 'uuid', nullable: true })
  filedByClientId!: string | null;

  @Column({ name: 'case_number', type: 'varchar', length: 100 })
  caseNumber!: string;

  @Column({ name: 'legal_basis', type: 'varchar', length: 500 })
  legalBasis!: string;

  @Column({ type: 'varchar', length: 2000 })
  purpose!: string;

  @Column({ type: 'jsonb' })
  scope!: EvidenceScope;

  @Column({ type: 'varchar', length: 20 })
  status!: StoredEvidenceStatus;

  @Column({ name: 'link_count', type: 'int' })
  linkCount!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  /** After this the request and its audit events remain, but nothing more is exported or answered. */
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}

/** The scope as resolved once, at filing: a fixed set of links. */
@Entity('evidence_request_links')
@Index('idx_evidence_request_links_marketplace', ['requestId', 'marketplaceId'])
export class EvidenceRequestLink {
  @PrimaryColumn({ name: 'request_id', type: 'uuid' })
  requestId!: string;

  @PrimaryColumn({ name: 'link_id', type: 'uuid' })
  linkId!: string;

  @Column({ name: 'marketplace_id', type: 'uuid' })
  marketplaceId!: string;

  @ManyToOne(() => EvidenceRequest, { onDelete: 'RESTRICT', deferrable: 'INITIALLY DEFERRED' })
  @JoinColumn({ name: 'request_id', foreignKeyConstraintName: 'fk_evidence_request_links_request' })
  request?: EvidenceRequest;

  @ManyToOne(() => Link, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'link_id', foreignKeyConstraintName: 'fk_evidence_request_links_link' })
  link?: Link;
}

export interface SellerRecord {
  sellerRef: string;
  registeredName?: string;
  contact?: string;
  address?: string;
  notes?: string;
}

/** A marketplace's answer: one per addressed marketplace, created at filing with no decision; given once. */
@Entity('evidence_responses')
@Check('ck_evidence_responses_decision', `"decision" IS NULL OR "decision" IN ('fulfil', 'decline')`)
// An answer is whole: a time, and a reason to decline or the seller records (possibly none) to fulfil; no answer, nothing.
@Check(
  'ck_evidence_responses_answer',
  `("decision" IS NULL AND "responded_at" IS NULL AND "reason" IS NULL AND "seller_records" IS NULL)
   OR ("decision" = 'decline' AND "responded_at" IS NOT NULL AND "reason" IS NOT NULL)
   OR ("decision" = 'fulfil' AND "responded_at" IS NOT NULL AND "seller_records" IS NOT NULL)`,
)
// Only a fulfilling answer has a salt: the one committed to, with its seller records, in the answer's audit event.
@Check('ck_evidence_responses_salt', `"seller_records_salt" IS NULL OR "decision" = 'fulfil'`)
export class EvidenceAnswer {
  @PrimaryColumn({ name: 'request_id', type: 'uuid' })
  requestId!: string;

  @PrimaryColumn({ name: 'marketplace_id', type: 'uuid' })
  marketplaceId!: string;

  @ManyToOne(() => EvidenceRequest, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'request_id', foreignKeyConstraintName: 'fk_evidence_responses_request' })
  request?: EvidenceRequest;

  @ManyToOne(() => Marketplace, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'marketplace_id', foreignKeyConstraintName: 'fk_evidence_responses_marketplace' })
  marketplace?: Marketplace;

  @Column({ type: 'varchar', length: 10, nullable: true })
  decision!: 'fulfil' | 'decline' | null;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  reason!: string | null;

  @Column({ name: 'seller_records', type: 'jsonb', nullable: true })
  sellerRecords!: SellerRecord[] | null;

  /** 32 random bytes (hex) hashed with the seller records into the answer event's commitment. */
  @Column({ name: 'seller_records_salt', type: 'char', length: 64, nullable: true })
  sellerRecordsSalt!: string | null;

  @Column({ name: 'responded_at', type: 'timestamptz', nullable: true })
  respondedAt!: Date | null;
}
