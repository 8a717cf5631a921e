import { raw } from '../database/sql';
import { overdueText } from './link-state';
import type { LinkResponseDto } from './dto/link-response.dto';
import type { StatementOfReasons } from './statement-of-reasons';
import type { LastObservation, LinkSource, ListingEvidence, LinkStatus, Priority } from './link.entity';

/** The ministries that co-notified the link under `l`, by agency id. */
export const CO_NOTIFIERS =
  'ARRAY(SELECT n.agency_id::text FROM link_notifiers n WHERE n.link_id = l.id ORDER BY n.agency_id)';

/** The columns a LinkRow reads, for a query over `links l`. */
export const LINK_COLUMNS =
  raw(`l.id, l.source, l.batch_id, l.report_id, l.marketplace_id, l.url, l.canonical_url, l.listing_key, l.status, l.status_reason,
  l.priority, l.due_at, l.relisted, l.prior_link_ids, l.note, l.keywords, l.listing, l.decision, l.seller_ref, l.created_at, l.updated_at, l.resolved_at,
  l.reappeared, l.last_observation, l.clock_paused_at, ${overdueText('l')} AS overdue,
  (SELECT b.submitted_by_agency_id FROM link_batches b WHERE b.id = l.batch_id) AS notifier_agency_id,
  ${CO_NOTIFIERS} AS co_notifier_ids`);

export interface LinkRow {
  id: string;
  source: LinkSource;
  batch_id: string | null;
  report_id: string | null;
  marketplace_id: string;
  url: string;
  canonical_url: string;
  listing_key: string;
  status: LinkStatus;
  status_reason: string | null;
  priority: Priority;
  due_at: Date | null;
  clock_paused_at: Date | null;
  relisted: boolean;
  prior_link_ids: string[];
  note: string | null;
  keywords: string[];
  listing: ListingEvidence | null;
  decision: StatementOfReasons | null;
  seller_ref: string | null;
  created_at: Date;
  updated_at: Date;
  resolved_at: Date | null;
  reappeared: boolean;
  last_observation: LastObservation | null;
  overdue: boolean;
  prior_takedowns: number | null;
  notifier_agency_id: string | null;
  co_notifier_ids: string[];
}

export function toLinkView(r: LinkRow): LinkResponseDto {
  return {
    id: r.id,
    source: r.source,
    batchId: r.batch_id,
    reportId: r.report_id,
    notifierAgencyId: r.notifier_agency_id,
    coNotifierAgencyIds: r.co_notifier_ids,
    marketplaceId: r.marketplace_id,
    url: r.url,
    canonicalUrl: r.canonical_url,
    listingKey: r.listing_key,
    status: r.status,
    statusReason: r.status_reason,
    priority: r.priority,
    dueAt: r.due_at?.toISOString() ?? null,
    overdue: r.overdue,
    clockPausedAt: r.clock_paused_at?.toISOString() ?? null,
    relisted: r.relisted,
    priorLinkIds: r.prior_link_ids,
    note: r.note,
    keywords: r.keywords,
    listing: r.listing,
    decision: r.decision,
    // Filled in by matching's reads; a plain read of the row knows none.
    relistingSignals: [],
    ...(r.prior_takedowns && r.seller_ref
      ? { repeatSeller: { sellerRef: r.seller_ref, priorTakedowns: r.prior_takedowns } }
      : {}),
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    resolvedAt: r.resolved_at?.toISOString() ?? null,
    reappeared: r.reappeared,
    lastObservation: r.last_observation,
  };
}
