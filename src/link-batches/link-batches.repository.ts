import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { copyRows, CopyValue, pgArrayLiteral } from '../database/copy';
import { and, raw, sql, Sql, where } from '../database/sql';
import type { LinkStatus, ListingEvidence, Priority } from '../links/link.entity';
import { linkIsOpen, linkIsOverdue, openStatusPredicate } from '../links/link-state';
import type { BatchRow, BatchView } from './batch-view';
import type { BatchStatus } from './dto/link-batch-response.dto';
import { linksOfBatch, linkVisibleTo, type ReaderScope } from '../links/reader-scope';

/** A marketplace sees the batches holding its links (only those links); a ministry its own batches; others all. */
export type BatchScope = ReaderScope;

export interface ListingRef {
  marketplaceId: string;
  listingKey: string;
}

export interface NewLink extends ListingRef {
  id: string;
  url: string;
  canonicalUrl: string;
  priority: Priority;
  dueAt: string;
  priorLinkIds: string[];
  note: string | null;
  keywords: string[];
  listing: ListingEvidence | null;
}

export type NewBatch = Pick<
  BatchView,
  'id' | 'reference' | 'legalBasis' | 'category' | 'note' | 'dueAt' | 'priority'
> & {
  agencyId: string | null;
  clientId: string | null;
  linkCount: number;
  createdAt: Date;
};

export interface BatchFilter {
  status?: BatchStatus;
  createdFrom?: string;
  createdTo?: string;
  /** The keyset: (created_at, id) of the last batch of the previous page. */
  after: string[] | null;
  limit: number;
}

export interface StatusCountRow {
  marketplace_id: string;
  code: string;
  status: LinkStatus;
  n: number;
  overdue: number;
}

export interface WithdrawnLink {
  id: string;
  status: LinkStatus;
  agency_id: string;
}

const NEW_LINK_COLUMNS = [
  'id',
  'batch_id',
  'marketplace_id',
  'url',
  'canonical_url',
  'listing_key',
  'status',
  'priority',
  'due_at',
  'relisted',
  'prior_link_ids',
  'note',
  'keywords',
  'listing',
  'seller_ref',
  'created_at',
  'updated_at',
];

/** The links of batch `b` under alias `l` that the scope may see: those it opened and those it co-notified. */
function visibleLinksOfBatch(scope: BatchScope, batch: Sql = raw('b.id')): Sql {
  // A marketplace sees its own links of the batch; a ministry every link of a batch it may see.
  return and([linksOfBatch(batch), Array.isArray(scope) && linkVisibleTo(scope)]);
}

function batchVisibleTo(scope: BatchScope): Sql | false {
  if (scope === null) return false;
  if (Array.isArray(scope)) return sql`EXISTS (SELECT 1 FROM links l WHERE ${visibleLinksOfBatch(scope)})`;
  return sql`b.submitted_by_agency_id = ${scope.notifier}`;
}

/**
 * A batch's status is derived from its links, scoped to what the caller may see:
 * cancelled, else completed (no open link), else open (no link acted on), else in_progress.
 * Its link count as the caller may see it: a marketplace counts only its own links.
 */
function batchColumns(scope: BatchScope): Sql {
  const visible = visibleLinksOfBatch(scope);
  const linkCount = Array.isArray(scope)
    ? sql`(SELECT count(*)::int FROM links l WHERE ${visible})`
    : raw('b.link_count');
  return sql`b.*, CASE
    WHEN b.cancelled_at IS NOT NULL THEN 'cancelled'
    WHEN NOT EXISTS (SELECT 1 FROM links l WHERE ${visible} AND ${linkIsOpen('l')}) THEN 'completed'
    WHEN NOT EXISTS (SELECT 1 FROM links l WHERE ${visible}
                       AND l.status IN ('acknowledged', 'taken_down', 'not_found', 'rejected', 'withdrawn', 'reinstated')) THEN 'open'
    ELSE 'in_progress' END AS status, ${linkCount} AS visible_link_count`;
}

export interface OpenLinkRow {
  id: string;
  marketplace_id: string;
  listing_key: string;
}

const LISTINGS_LOCK = 0x6c697374; // "list"

/**
 * Serialises, marketplace by marketplace, the transactions that add links of its listings: batch intake and takedown
 * reports each look at what exists of a listing (open links, earlier takedowns) before writing, and two at once would
 * each miss the other's uncommitted link: a report taking down a listing a batch was opening that moment, or a batch
 * opening it without knowing it had just been taken down. Under the lock, the statements after it see the other's
 * commit. Taken in id order, so two transactions never wait on each other in a cycle; acknowledgements do not take it.
 */
export async function lockListingsOf(m: EntityManager, marketplaceIds: Iterable<string>): Promise<void> {
  const ids = [...new Set(marketplaceIds)].sort();
  await m.query(
    ...sql`SELECT pg_advisory_xact_lock(${LISTINGS_LOCK}, hashtext(id)) FROM unnest(${ids}::text[]) AS id`,
  );
}

/**
 * The id of the open (pending or acknowledged) link of the listing in the row under `alias` (marketplace_id,
 * listing_key), or NULL: a scalar subquery through uq_links_open_listing, one probe per row (there is at most one open
 * link a listing). Intake and takedown reports both ask it of thousands of rows at once; as a join the planner hashed
 * every open link of the table instead (104 ms against 15 for 5,000 listings among 80,000 open links).
 */
export function openLinkIdOf(alias: string): Sql {
  const row = raw(alias);
  return sql`(SELECT o.id FROM links o
              WHERE o.marketplace_id = ${row}.marketplace_id AND o.listing_key = ${row}.listing_key AND ${linkIsOpen('o')}
              LIMIT 1)`;
}

/** The open links of these listings (each probe made once: MATERIALIZED keeps the filter from repeating it). */
export function openLinksOf(m: EntityManager, keys: readonly ListingRef[]): Promise<OpenLinkRow[]> {
  return m.query<OpenLinkRow[]>(
    ...sql`WITH probed AS MATERIALIZED (
             SELECT k.marketplace_id, k.listing_key, ${openLinkIdOf('k')} AS id
               FROM ${listingArrays(keys)} AS k(marketplace_id, listing_key))
           SELECT id, marketplace_id, listing_key FROM probed WHERE id IS NOT NULL`,
  );
}

function listingArrays(keys: readonly ListingRef[]): Sql {
  return sql`unnest(${keys.map((k) => k.marketplaceId)}::uuid[], ${keys.map((k) => k.listingKey)}::text[])`;
}

function* copyLines(batchId: string, links: Iterable<NewLink>, at: string): Generator<CopyValue[]> {
  for (const l of links) {
    yield [
      l.id,
      batchId,
      l.marketplaceId,
      l.url,
      l.canonicalUrl,
      l.listingKey,
      'pending',
      l.priority,
      l.dueAt,
      l.priorLinkIds.length > 0,
      pgArrayLiteral(l.priorLinkIds),
      l.note,
      pgArrayLiteral(l.keywords),
      l.listing ? JSON.stringify(l.listing) : null,
      l.listing?.sellerRef ?? null,
      at,
      at,
    ];
  }
}

@Injectable()
export class LinkBatchesRepository {
  /**
   * The taken-down links of each listing, oldest first: a new link for one of them is a relisting. Per listing through
   * its index (LATERAL): as a join, the planner hashed every taken-down link of the table (144 ms against 13 for 5,000
   * listings among 160,000 taken-down links, and growing with them).
   */
  findTakenDownByListings(
    m: EntityManager,
    keys: readonly ListingRef[],
  ): Promise<{ marketplace_id: string; listing_key: string; ids: string[] }[]> {
    return m.query(
      ...sql`SELECT k.marketplace_id, k.listing_key, p.ids
           FROM ${listingArrays(keys)} AS k(marketplace_id, listing_key)
           CROSS JOIN LATERAL (
             SELECT array_agg(l.id ORDER BY l.created_at, l.id) AS ids FROM links l
              WHERE l.marketplace_id = k.marketplace_id AND l.listing_key = k.listing_key AND l.status = 'taken_down') p
          WHERE p.ids IS NOT NULL`,
    );
  }

  /**
   * COPY into a scratch table, then one INSERT … ON CONFLICT: the unique partial index on open links decides what is
   * a duplicate (its predicate text must match for PostgreSQL to use it). Returns the ids it inserted.
   */
  async insertOpenLinks(
    m: EntityManager,
    batchId: string,
    links: Iterable<NewLink>,
    at: Date,
  ): Promise<Set<string>> {
    await m.query(`CREATE TEMP TABLE intake_links (LIKE links INCLUDING DEFAULTS) ON COMMIT DROP`);
    await copyRows(m, 'intake_links', NEW_LINK_COLUMNS, copyLines(batchId, links, at.toISOString()));
    const inserted = await m.query<{ id: string }[]>(
      `INSERT INTO links SELECT * FROM intake_links ORDER BY marketplace_id, listing_key
         ON CONFLICT (marketplace_id, listing_key) WHERE ${openStatusPredicate()} DO NOTHING
         RETURNING id`,
    );
    return new Set(inserted.map((r) => r.id));
  }

  /** Marks links of this intake as relistings of their listings' taken-down links, found after their insert. */
  async markRelisted(
    m: EntityManager,
    links: readonly { id: string; priorLinkIds: string[] }[],
  ): Promise<void> {
    if (links.length === 0) return;
    await m.query(
      ...sql`UPDATE links l SET relisted = true, prior_link_ids = u.priors::uuid[]
               FROM unnest(${links.map((l) => l.id)}::uuid[], ${links.map((l) => pgArrayLiteral(l.priorLinkIds))}::text[])
                 AS u(id, priors)
              WHERE l.id = u.id`,
    );
  }

  findOpenByListingKeys(m: EntityManager, keys: readonly ListingRef[]): Promise<OpenLinkRow[]> {
    return openLinksOf(m, keys);
  }

  /** Of the open links `ids`, those another ministry notified and `agencyId` has not co-notified yet. */
  async coNotifiable(m: EntityManager, agencyId: string, ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await m.query<{ id: string }[]>(
      ...sql`SELECT l.id FROM links l JOIN link_batches b ON b.id = l.batch_id
              WHERE l.id = ANY(${ids}::uuid[]) AND b.submitted_by_agency_id <> ${agencyId}
                AND NOT EXISTS (SELECT 1 FROM link_notifiers n WHERE n.link_id = l.id AND n.agency_id = ${agencyId})`,
    );
    return new Set(rows.map((r) => r.id));
  }

  /** Makes `agencyId` a co-notifier of the links, through batch `batchId` (written after the batch: its key). */
  async insertCoNotifiers(
    m: EntityManager,
    batchId: string,
    agencyId: string,
    linkIds: string[],
    at: Date,
  ): Promise<void> {
    if (linkIds.length === 0) return;
    await m.query(
      ...sql`INSERT INTO link_notifiers (link_id, agency_id, batch_id, notified_at)
             SELECT id, ${agencyId}, ${batchId}, ${at} FROM unnest(${linkIds}::uuid[]) AS id`,
    );
  }

  async insertBatch(m: EntityManager, b: NewBatch): Promise<void> {
    await m.query(
      ...sql`INSERT INTO link_batches (id, reference, legal_basis, category, note, due_at, priority,
                                   submitted_by_agency_id, submitted_by_client_id, link_count, created_at)
         VALUES (${b.id}, ${b.reference}, ${b.legalBasis}, ${b.category}, ${b.note}, ${b.dueAt}, ${b.priority},
                 ${b.agencyId}, ${b.clientId}, ${b.linkCount}, ${b.createdAt})`,
    );
  }

  /** Newest first; fetches limit + 1 rows, so the caller can tell whether another page follows. */
  list(m: EntityManager, scope: BatchScope, f: BatchFilter): Promise<BatchRow[]> {
    const conditions = where([
      batchVisibleTo(scope),
      !!f.after && sql`(b.created_at, b.id) < (${f.after[0]}::timestamptz, ${f.after[1]}::uuid)`,
      !!f.createdFrom && sql`b.created_at >= ${f.createdFrom}`,
      !!f.createdTo && sql`b.created_at < ${f.createdTo}`,
    ]);
    return m.query<BatchRow[]>(
      ...sql`SELECT * FROM (
         SELECT ${batchColumns(scope)} FROM link_batches b
          ${conditions}
          ORDER BY b.created_at DESC, b.id DESC
       ) s ${where([!!f.status && sql`status = ${f.status}`])} LIMIT ${f.limit + 1}`,
    );
  }

  async findVisible(m: EntityManager, scope: BatchScope, id: string): Promise<BatchRow | undefined> {
    const [row] = await m.query<BatchRow[]>(
      ...sql`SELECT ${batchColumns(scope)} FROM link_batches b ${where([sql`b.id = ${id}`, batchVisibleTo(scope)])}`,
    );
    return row;
  }

  /** The visible links of a batch counted by marketplace and status. */
  statusCounts(m: EntityManager, scope: BatchScope, id: string): Promise<StatusCountRow[]> {
    return m.query<StatusCountRow[]>(
      ...sql`SELECT l.marketplace_id, m.code, l.status, count(*)::int AS n,
              count(*) FILTER (WHERE ${linkIsOverdue('l')})::int AS overdue
         FROM links l JOIN marketplaces m ON m.id = l.marketplace_id
        WHERE ${visibleLinksOfBatch(scope, sql`${id}::uuid`)}
        GROUP BY l.marketplace_id, m.code, l.status`,
    );
  }

  async lockBatch(
    m: EntityManager,
    id: string,
  ): Promise<{ cancelled_at: Date | null; submitted_by_agency_id: string } | undefined> {
    const [row] = await m.query<{ cancelled_at: Date | null; submitted_by_agency_id: string }[]>(
      ...sql`SELECT cancelled_at, submitted_by_agency_id FROM link_batches WHERE id = ${id} FOR UPDATE`,
    );
    return row;
  }

  /** Withdraws the batch's open links in id order, answering each with its status before and its marketplace's agency. */
  withdrawOpenLinks(m: EntityManager, id: string, reason: string, at: Date): Promise<WithdrawnLink[]> {
    // Wrapped in a SELECT: TypeORM hands back [rows, count] for a bare UPDATE … RETURNING.
    return m.query<WithdrawnLink[]>(
      ...sql`WITH target AS (
           SELECT l.id, l.status FROM links l WHERE l.batch_id = ${id} AND ${linkIsOpen('l')} ORDER BY l.id FOR NO KEY UPDATE
         ), changed AS (
           UPDATE links l SET status = 'withdrawn', status_reason = ${reason}, updated_at = ${at}, resolved_at = ${at}
             FROM target t, marketplaces m
            WHERE l.id = t.id AND m.id = l.marketplace_id
           RETURNING l.id, t.status, m.agency_id
         )
         SELECT * FROM changed ORDER BY id`,
    );
  }

  async markCancelled(m: EntityManager, id: string, reason: string, at: Date): Promise<void> {
    await m.query(
      ...sql`UPDATE link_batches SET cancelled_at = ${at}, cancel_reason = ${reason} WHERE id = ${id}`,
    );
  }
}
