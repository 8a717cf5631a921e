import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { copyRows, CopyValue, pgArrayLiteral } from '../database/copy';
import { sql } from '../database/sql';
import type { ReportCandidate, ReportedLink } from './takedown-report-rules';

export interface NewReport {
  id: string;
  agencyId: string | null;
  clientId: string | null;
  itemCount: number;
  createdAt: Date;
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
  'relisted',
  'prior_link_ids',
  'listing',
  'seller_ref',
  'created_at',
  'updated_at',
  'resolved_at',
];

function* copyLines(reportId: string, links: readonly ReportedLink[], at: string): Generator<CopyValue[]> {
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
      l.priorLinkIds.length > 0,
      pgArrayLiteral(l.priorLinkIds),
      JSON.stringify(l.listing),
      l.listing.sellerRef ?? null,
      at,
      at,
      l.takenDownAt.toISOString(),
    ];
  }
}

@Injectable()
export class TakedownReportsRepository {
  /** Per candidate, the links of its listing taken down before it was, oldest first: its relisting's priors. */
  findTakenDownBefore(
    m: EntityManager,
    candidates: readonly ReportCandidate[],
  ): Promise<{ id: string; ids: string[] }[]> {
    return m.query(
      ...sql`SELECT k.id, array_agg(l.id ORDER BY l.created_at, l.id) AS ids
           FROM unnest(${candidates.map((c) => c.id)}::uuid[], ${candidates.map((c) => c.marketplaceId)}::uuid[],
                       ${candidates.map((c) => c.listingKey)}::text[],
                       ${candidates.map((c) => c.takenDownAt)}::timestamptz[]) AS k(id, marketplace_id, listing_key, at)
           JOIN links l ON l.marketplace_id = k.marketplace_id AND l.listing_key = k.listing_key
          WHERE l.status = 'taken_down' AND l.resolved_at < k.at
          GROUP BY k.id`,
    );
  }

  /**
   * COPY into a scratch table, then one statement inserts the links (uq_links_reported_takedown decides, ON CONFLICT
   * DO NOTHING, what was reported before) and the report row with the count inserted, only when it is not zero: a
   * report that added nothing leaves no row. Returns the ids inserted.
   */
  async insertReport(
    m: EntityManager,
    report: NewReport,
    links: readonly ReportedLink[],
  ): Promise<Set<string>> {
    await m.query(`CREATE TEMP TABLE reported_links (LIKE links INCLUDING DEFAULTS) ON COMMIT DROP`);
    await copyRows(
      m,
      'reported_links',
      REPORTED_LINK_COLUMNS,
      copyLines(report.id, links, report.createdAt.toISOString()),
    );
    const inserted = await m.query<{ id: string }[]>(
      ...sql`WITH inserted AS (
           INSERT INTO links SELECT * FROM reported_links ORDER BY marketplace_id, listing_key
             ON CONFLICT (marketplace_id, listing_key, resolved_at) WHERE source = 'marketplace' DO NOTHING
             RETURNING id
         ), report AS (
           INSERT INTO takedown_reports (id, agency_id, client_id, item_count, link_count, created_at)
           SELECT ${report.id}, ${report.agencyId}, ${report.clientId}, ${report.itemCount}, count(*), ${report.createdAt}
             FROM inserted HAVING count(*) > 0
         )
         SELECT id FROM inserted`,
    );
    return new Set(inserted.map((r) => r.id));
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
