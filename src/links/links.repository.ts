import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { raw, sql, Sql, where } from '../database/sql';
import type { LockedLink } from './acknowledgement-rules';
import type { LinkSource, LinkStatus, Priority } from './link.entity';
import { linkIsOverdue } from './link-state';
import { LINK_COLUMNS, LinkRow } from './link.view';
import { linksOfBatch, linkVisibleTo, ReaderScope } from './reader-scope';

export { linkVisibleTo } from './reader-scope';

export interface WithdrawnLink {
  status: LinkStatus;
  agency_id: string;
  /** The ministry whose batch opened the link; null for a link its marketplace reported. */
  notifier_agency_id: string | null;
  /** The withdrawing ministry co-notified the link. */
  co_notified: boolean;
}

/**
 * The marketplaces a marketplace-role caller acts for (their ids), or `null` for the roles that see every
 * marketplace's links (and, unlike marketplaces, are shown repeat sellers); ReaderScope says which links of them.
 */
export type LinkScope = string[] | null;

export interface LinkFilter {
  batchId?: string;
  marketplaceId?: string;
  status?: LinkStatus;
  source?: LinkSource;
  priority?: Priority;
  relisted?: boolean;
  overdue?: boolean;
  reappeared?: boolean;
  /** Taken down, past a point of the re-check schedule, and not observed since that point. */
  recheckDue?: boolean;
  recheckScheduleDays?: number[];
  updatedSince?: string;
}

/** A page of links in id order, or in (updated_at, id) order when polling with updatedSince; `after` is the keyset. */
export interface LinkPage {
  limit: number;
  after: string[] | null;
}

/** Repeat sellers: how many other links of the same seller on the same marketplace were taken down. */
function priorTakedowns(scope: ReaderScope): Sql {
  if (Array.isArray(scope)) return raw(', NULL::int AS prior_takedowns');
  return raw(`, CASE WHEN l.seller_ref IS NULL THEN NULL ELSE (
               SELECT count(*)::int FROM links p
                WHERE p.marketplace_id = l.marketplace_id AND p.seller_ref = l.seller_ref AND p.status = 'taken_down' AND p.id <> l.id
             ) END AS prior_takedowns`);
}

/**
 * A taken-down link is due for a re-check once a point of the schedule (days after its takedown) has passed with no
 * observation at or after that point; the latest passed point is the one that counts.
 */
function recheckDue(days: number[]): Sql {
  return sql`(l.status = 'taken_down' AND coalesce((
      SELECT l.last_observed_at IS NULL OR l.last_observed_at < max(l.resolved_at + d * interval '1 day')
        FROM unnest(${days}::int[]) AS d WHERE l.resolved_at + d * interval '1 day' <= now()
      HAVING count(*) > 0), false))`;
}

function filterConditions(f: LinkFilter): (Sql | false)[] {
  return [
    !!f.batchId && linksOfBatch(sql`${f.batchId}::uuid`),
    !!f.marketplaceId && sql`l.marketplace_id = ${f.marketplaceId}`,
    !!f.status && sql`l.status = ${f.status}`,
    !!f.source && sql`l.source = ${f.source}`,
    !!f.priority && sql`l.priority = ${f.priority}`,
    f.relisted !== undefined && sql`l.relisted = ${f.relisted}`,
    f.overdue === true && linkIsOverdue('l'),
    f.overdue === false && sql`NOT ${linkIsOverdue('l')}`,
    f.reappeared !== undefined && sql`l.reappeared = ${f.reappeared}`,
    f.recheckDue === true && recheckDue(f.recheckScheduleDays ?? []),
    f.recheckDue === false && sql`NOT ${recheckDue(f.recheckScheduleDays ?? [])}`,
  ];
}

@Injectable()
export class LinksRepository {
  /** Fetches limit + 1 rows, so the caller can tell whether another page follows. */
  list(m: EntityManager, scope: ReaderScope, filter: LinkFilter, page: LinkPage): Promise<LinkRow[]> {
    const polling = !!filter.updatedSince;
    const keyset = page.after
      ? polling
        ? sql`(l.updated_at, l.id) > (${page.after[0]}::timestamptz, ${page.after[1]}::uuid)`
        : sql`l.id > ${page.after[0]}::uuid`
      : false;
    const conditions = where([
      linkVisibleTo(scope),
      ...filterConditions(filter),
      polling && sql`l.updated_at >= ${filter.updatedSince}`,
      keyset,
    ]);
    return m.query<LinkRow[]>(
      ...sql`SELECT ${LINK_COLUMNS}${priorTakedowns(scope)} FROM links l
        ${conditions} ORDER BY ${raw(polling ? 'l.updated_at, l.id' : 'l.id')} LIMIT ${page.limit + 1}`,
    );
  }

  /** A link as the scope may see it, read with the given manager (inside a transaction: what it wrote). */
  async findVisible(m: EntityManager, scope: ReaderScope, id: string): Promise<LinkRow | undefined> {
    const [row] = await m.query<LinkRow[]>(
      ...sql`SELECT ${LINK_COLUMNS}${priorTakedowns(scope)} FROM links l
        ${where([sql`l.id = ${id}`, linkVisibleTo(scope)])}`,
    );
    return row;
  }

  /** The caller's links among `ids`, locked in id order (so concurrent acknowledgements never deadlock). */
  lockForAcknowledgement(m: EntityManager, ids: string[], owned: string[]): Promise<LockedLink[]> {
    return m.query<LockedLink[]>(
      ...sql`SELECT l.id, l.marketplace_id, l.status, l.created_at, l.listing, l.seller_ref, l.status_reason, l.resolved_at,
                    l.decision, mk.require_statement_of_reasons AS requires_statement
           FROM links l JOIN marketplaces mk ON mk.id = l.marketplace_id
          ${where([sql`l.id = ANY(${ids}::uuid[])`, linkVisibleTo(owned)])}
          ORDER BY l.id FOR NO KEY UPDATE OF l`,
    );
  }

  /** Writes the acknowledged links as judged, in one statement. */
  async updateAcknowledged(m: EntityManager, links: LockedLink[], now: Date): Promise<void> {
    // One JSON document for all the rows: a listing goes in as the JSON it is, not as text escaped into an array
    // literal and parsed again (JSON null is SQL NULL in jsonb_to_recordset, timestamps are ISO text).
    const rows = links.map((l) => ({
      id: l.id,
      status: l.status,
      reason: l.status_reason,
      listing: l.listing,
      seller_ref: l.seller_ref,
      resolved_at: l.resolved_at,
      decision: l.decision,
    }));
    await m.query(
      ...sql`UPDATE links l SET status = u.status, status_reason = u.reason, listing = u.listing, seller_ref = u.seller_ref,
                              resolved_at = u.resolved_at, decision = u.decision, updated_at = ${now}
             FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
               AS u(id uuid, status text, reason text, listing jsonb, seller_ref text, resolved_at timestamptz,
                    decision jsonb)
            WHERE l.id = u.id`,
    );
  }

  /** The link locked for a ministry's withdrawal: its status, its marketplace's agency, who notified it. */
  async lockForWithdrawal(
    m: EntityManager,
    id: string,
    agencyId: string,
  ): Promise<WithdrawnLink | undefined> {
    const [link] = await m.query<WithdrawnLink[]>(
      ...sql`SELECT l.status, mk.agency_id, b.submitted_by_agency_id AS notifier_agency_id,
                    EXISTS (SELECT 1 FROM link_notifiers n WHERE n.link_id = l.id AND n.agency_id = ${agencyId})
                      AS co_notified
               FROM links l JOIN marketplaces mk ON mk.id = l.marketplace_id
               LEFT JOIN link_batches b ON b.id = l.batch_id
              WHERE l.id = ${id} FOR NO KEY UPDATE OF l`,
    );
    return link;
  }

  async withdraw(m: EntityManager, id: string, reason: string, now: Date): Promise<void> {
    await m.query(
      ...sql`UPDATE links SET status = 'withdrawn', status_reason = ${reason}, resolved_at = ${now}, updated_at = ${now}
              WHERE id = ${id}`,
    );
  }
}
