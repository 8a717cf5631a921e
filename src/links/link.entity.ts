import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { LinkBatch } from '../link-batches/link-batch.entity';
import { Marketplace } from '../marketplaces/marketplace.entity';
import type { ImageHash } from '../matching/image-hash';
import type { StatementOfReasons } from './statement-of-reasons';
import { TakedownReport } from '../takedown-reports/takedown-report.entity';
import { openStatusPredicate } from './link-state';

export const LINK_STATUSES = [
  'pending',
  'acknowledged',
  'taken_down',
  'not_found',
  'rejected',
  'withdrawn',
  'reinstated',
] as const;
export type LinkStatus = (typeof LINK_STATUSES)[number];

export const PRIORITIES = ['urgent', 'normal'] as const;
/** How soon the marketplace must act: an urgent link is due within its marketplace's urgentSlaHours. */
export type Priority = (typeof PRIORITIES)[number];

export const LINK_SOURCES = ['ministry', 'marketplace'] as const;
/** Who put the link on the exchange: a ministry's batch, or a marketplace's report of its own takedown. */
export type LinkSource = (typeof LINK_SOURCES)[number];

export interface ListingEvidence {
  title?: string;
  description?: string;
  sellerRef?: string;
  sellerName?: string;
  price?: number;
  currency?: string;
  screenshotSha256?: string;
  imageHashes?: ImageHash[];
}

@Entity('links')
// The same listing cannot be open twice: enforced here, also between concurrent batches.
@Index('uq_links_open_listing', ['marketplaceId', 'listingKey'], {
  unique: true,
  where: openStatusPredicate(),
})
@Index('idx_links_listing', ['marketplaceId', 'listingKey'])
@Index('idx_links_batch', ['batchId', 'status'])
@Index('idx_links_report', ['reportId'], { where: `report_id IS NOT NULL` })
@Index('idx_links_marketplace_status', ['marketplaceId', 'status', 'id'])
@Index('idx_links_marketplace_updated', ['marketplaceId', 'updatedAt', 'id'])
@Index('idx_links_seller', ['marketplaceId', 'sellerRef'], { where: `seller_ref IS NOT NULL` })
// A marketplace reports the same takedown of a listing once.
@Index('uq_links_reported_takedown', ['marketplaceId', 'listingKey', 'resolvedAt'], {
  unique: true,
  where: `source = 'marketplace'`,
})
@Check('ck_links_source', `"source" IN ('ministry', 'marketplace')`)
@Check(
  'ck_links_origin',
  `("source" = 'ministry' AND "batch_id" IS NOT NULL AND "report_id" IS NULL AND "due_at" IS NOT NULL) OR ("source" = 'marketplace' AND "batch_id" IS NULL AND "report_id" IS NOT NULL)`,
)
@Check('ck_links_priority', `"priority" IN ('urgent', 'normal')`)
@Check(
  'ck_links_status',
  `"status" IN ('pending', 'acknowledged', 'taken_down', 'not_found', 'rejected', 'withdrawn', 'reinstated')`,
)
export class Link {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 20, default: 'ministry' })
  source!: LinkSource;

  /** The ministry's batch; null for a marketplace's own takedown. */
  @Column({ name: 'batch_id', type: 'uuid', nullable: true })
  batchId!: string | null;

  @ManyToOne(() => LinkBatch, { onDelete: 'RESTRICT', deferrable: 'INITIALLY DEFERRED' })
  @JoinColumn({ name: 'batch_id', foreignKeyConstraintName: 'fk_links_batch' })
  batch?: LinkBatch;

  /** The marketplace's takedown report; null for a ministry's link. */
  @Column({ name: 'report_id', type: 'uuid', nullable: true })
  reportId!: string | null;

  @ManyToOne(() => TakedownReport, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'report_id', foreignKeyConstraintName: 'fk_links_takedown_report' })
  report?: TakedownReport;

  @Column({ name: 'marketplace_id', type: 'uuid' })
  marketplaceId!: string;

  @ManyToOne(() => Marketplace, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'marketplace_id', foreignKeyConstraintName: 'fk_links_marketplace' })
  marketplace?: Marketplace;

  @Column({ type: 'text' })
  url!: string;

  @Column({ name: 'canonical_url', type: 'text' })
  canonicalUrl!: string;

  @Column({ name: 'listing_key', type: 'text' })
  listingKey!: string;

  @Column({ type: 'varchar', length: 20 })
  status!: LinkStatus;

  @Column({ name: 'status_reason', type: 'varchar', length: 1000, nullable: true })
  statusReason!: string | null;

  /** When the marketplace must have acted; null when it acted before the exchange knew of the link. */
  @Column({ name: 'due_at', type: 'timestamptz', nullable: true })
  dueAt!: Date | null;

  /** The notifier's priority, which set dueAt (a co-notifier's does not change it); normal for a reported takedown. */
  @Column({ type: 'varchar', length: 10, default: 'normal' })
  priority!: Priority;

  /**
   * Since when the link's clock has stood still: an objection to the open link waits for the ministry's decision,
   * which moves dueAt on by the time paused and clears this. Null while the clock runs.
   */
  @Column({ name: 'clock_paused_at', type: 'timestamptz', nullable: true })
  clockPausedAt!: Date | null;

  @Column({ type: 'boolean', default: false })
  relisted!: boolean;

  @Column({ name: 'prior_link_ids', type: 'uuid', array: true, default: () => "'{}'" })
  priorLinkIds!: string[];

  @Column({ type: 'varchar', length: 1000, nullable: true })
  note!: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  keywords!: string[];

  @Column({ type: 'jsonb', nullable: true })
  listing!: ListingEvidence | null;

  /** The marketplace's statement of reasons for the takedown (DSA art. 17), when it gave one. */
  @Column({ type: 'jsonb', nullable: true })
  decision!: StatementOfReasons | null;

  @Column({ name: 'seller_ref', type: 'varchar', length: 200, nullable: true })
  sellerRef!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  /** When the marketplace reports it acted (the `at` of the acknowledgement that made the link final). */
  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;

  /** Taken down, and its latest observation found the listing online (a flag: the status stays taken_down). */
  @Column({ type: 'boolean', default: false })
  reappeared!: boolean;

  /** The observedAt of the latest observation (observations table), for ordering and the re-check queue. */
  @Column({ name: 'last_observed_at', type: 'timestamptz', nullable: true })
  lastObservedAt!: Date | null;

  /** The latest observation as links show it: {id, observedAt, result, finalUrl?}. */
  @Column({ name: 'last_observation', type: 'jsonb', nullable: true })
  lastObservation!: LastObservation | null;
}

export interface LastObservation {
  id: string;
  observedAt: string;
  result: string;
  finalUrl?: string;
}
