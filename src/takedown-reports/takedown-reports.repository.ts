import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { copyRows, CopyValue } from '../database/copy';
import { raw, sql } from '../database/sql';
import { openLinkIdOf } from '../link-batches/link-batches.repository';
import type { ReportCandidate } from './takedown-report-rules';

export interface NewReport {
  id: string;
  agencyId: string | null;
  clientId: string | null;
  itemCount: number;
  createdAt: Date;
}

/** What one statement made of a report's candidates, by candidate id. */
export interface WrittenReport {
  /** The links inserted, each with the earlier taken-down links of its listing (its priors; empty for most). */
  inserted: Map<string, string[]>;
  /** The candidates refused because their listing has an open link: that link's id. */
  open: Map<string, string>;
}

interface ListingTakedownRow {
  id: string;
  marketplace_id: string;
  listing_key: string;
  resolved_at: Date;
}

const REPORTED_LINK_COLUMNS = [
  'id',
  'source',
  'report_id',
  'marketplace_id',
  'url',
  'canonical_url',
  'listing_key',
  'status',
  'status_reason',
  'listing',
  'seller_ref',
  'decision',
  'created_at',
  'updated_at',
  'resolved_at',
];

function* copyLines(reportId: string, links: readonly ReportCandidate[], at: string): Generator<CopyValue[]> {
  for (const l of links) {
    yield [
      l.id,
      'marketplace',
      reportId,
      l.marketplaceId,
      l.url,
      l.canonicalUrl,
      l.listingKey,
      'taken_down',
      l.reason,
      JSON.stringify(l.listing),
      l.listing.sellerRef ?? null,
      l.decision ? JSON.stringify(l.decision) : null,
      at,
      at,
      l.takenDownAt.toISOString(),
    ];
  }
}

@Injectable()
export class TakedownReportsRepository {
  /**
   * COPY into a scratch table, then one statement, on one snapshot, does the rest: it refuses candidates whose listing
   * has an open link, gives the others their priors (the listing's links taken down before this takedown, oldest
   * first), inserts them (uq_links_reported_takedown decides, ON CONFLICT DO NOTHING, what was reported before) and
   * writes the report row with the count inserted, only when it is not zero: a report that added nothing leaves no
   * row. A candidate in neither map of the answer is a takedown reported before (findReported names the link).
   */
  async insertReport(
    m: EntityManager,
    report: NewReport,
    candidates: readonly ReportCandidate[],
  ): Promise<WrittenReport> {
    await m.query(`CREATE TEMP TABLE reported_links (LIKE links INCLUDING DEFAULTS) ON COMMIT DROP`);
    await copyRows(
      m,
      'reported_links',
      REPORTED_LINK_COLUMNS,
      copyLines(report.id, candidates, report.createdAt.toISOString()),
    );
    const columns = REPORTED_LINK_COLUMNS.join(', ');
    const rows = await m.query<{ id: string; open_id: string | null; prior_link_ids: string[] | null }[]>(
      ...sql`WITH judged AS MATERIALIZED (
           SELECT r.*,
                  ${openLinkIdOf('r')} AS open_id,
                  (SELECT array_agg(p.id ORDER BY p.created_at, p.id) FROM links p
                    WHERE p.marketplace_id = r.marketplace_id AND p.listing_key = r.listing_key
                      AND p.status = 'taken_down' AND p.resolved_at < r.resolved_at) AS priors
             FROM reported_links r
         ), inserted AS (
           INSERT INTO links (${raw(columns)}, relisted, prior_link_ids)
           SELECT ${raw(columns)}, priors IS NOT NULL, coalesce(priors, '{}')
             FROM judged WHERE open_id IS NULL ORDER BY marketplace_id, listing_key
             ON CONFLICT (marketplace_id, listing_key, resolved_at) WHERE source = 'marketplace' DO NOTHING
             RETURNING id, prior_link_ids
         ), report AS (
           INSERT INTO takedown_reports (id, agency_id, client_id, item_count, link_count, created_at)
           SELECT ${report.id}, ${report.agencyId}, ${report.clientId}, ${report.itemCount}, count(*), ${report.createdAt}
             FROM inserted HAVING count(*) > 0
         )
         SELECT id, NULL::uuid AS open_id, prior_link_ids FROM inserted
         UNION ALL
         SELECT id, open_id, NULL FROM judged WHERE open_id IS NOT NULL`,
    );
    const written: WrittenReport = { inserted: new Map(), open: new Map() };
    for (const r of rows) {
      if (r.open_id !== null) written.open.set(r.id, r.open_id);
      else written.inserted.set(r.id, r.prior_link_ids ?? []);
    }
    return written;
  }

  /** The links earlier reports made of the same takedowns (what the unique index refused). */
  findReported(m: EntityManager, refused: readonly ReportCandidate[]): Promise<ListingTakedownRow[]> {
    return m.query(
      ...sql`SELECT l.id, l.marketplace_id, l.listing_key, l.resolved_at
           FROM links l JOIN unnest(${refused.map((c) => c.marketplaceId)}::uuid[],
                                    ${refused.map((c) => c.listingKey)}::text[],
                                    ${refused.map((c) => c.takenDownAt)}::timestamptz[]) AS k(marketplace_id, listing_key, at)
             ON l.marketplace_id = k.marketplace_id AND l.listing_key = k.listing_key AND l.resolved_at = k.at
          WHERE l.source = 'marketplace'`,
    );
  }
}
