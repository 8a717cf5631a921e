import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor';
import { raw, sql, Sql, where } from '../database/sql';
import type { LinkStatus } from '../links/link.entity';
import { EvidenceScope, SellerRecord, StoredEvidenceStatus } from './evidence-request.entity';

export interface RequestRow {
  id: string;
  police_agency_id: string;
  case_number: string;
  legal_basis: string;
  purpose: string;
  scope: EvidenceScope;
  status: StoredEvidenceStatus;
  link_count: number;
  created_at: Date;
  updated_at: Date;
  closed_at: Date | null;
  expires_at: Date;
}

/** One addressed marketplace's answer (a row of evidence_responses), with the links of its part. */
export interface AnswerRow {
  request_id: string;
  marketplace_id: string;
  decision: 'fulfil' | 'decline' | null;
  reason: string | null;
  seller_records: SellerRecord[] | null;
  responded_at: Date | null;
  link_count: number;
}

/** The links in scope of one marketplace's part, as stored at filing. */
export interface ScopedPart {
  marketplace_id: string;
  n: number;
  link_ids: string[];
}

export interface RequestLinkRow {
  link_id: string;
  marketplace_id: string;
  url: string;
  listing_key: string;
  seller_ref: string | null;
  status: LinkStatus;
}

export interface Listing {
  marketplaceId: string;
  listingKey: string;
}

export interface NewRequest {
  id: string;
  policeAgencyId: string | null;
  clientId: string | null;
  caseNumber: string;
  legalBasis: string;
  purpose: string;
  scope: EvidenceScope;
  linkCount: number;
  now: Date;
  expiresAt: Date;
}

export interface Answer {
  decision: 'fulfil' | 'decline';
  reason: string | null;
  sellerRecords: SellerRecord[] | null;
  salt: string | null;
  at: Date;
}

/** A marketplace is addressed by a request when it holds a part of it. */
export function addressedTo(owned: string[]): Sql {
  return sql`EXISTS (SELECT 1 FROM evidence_responses x WHERE x.request_id = r.id AND x.marketplace_id = ANY(${owned}::uuid[]))`;
}

/**
 * The requests under `r` a caller sees: police their agency's own, a marketplace those addressed to one of its
 * marketplaces (`owned`), the ministry and the operator all of them.
 */
export function requestVisibleTo(actor: Actor, owned: string[] | null): Sql {
  if (actor.role === 'operator' || actor.role === 'ministry') return raw('TRUE');
  if (actor.role === 'police') return sql`r.police_agency_id = ${actor.agencyId}`;
  return addressedTo(owned ?? []);
}

@Injectable()
export class EvidenceRequestsRepository {
  /** Stores the links the scope matches now, and returns them per marketplace. */
  fileScopedLinks(
    m: EntityManager,
    id: string,
    scope: EvidenceScope,
    listings: Listing[],
  ): Promise<ScopedPart[]> {
    return m.query<ScopedPart[]>(
      ...sql`WITH scoped AS (
           SELECT l.id, l.marketplace_id FROM links l
            WHERE (l.batch_id = ANY(${scope.batchIds ?? []}::uuid[]) OR l.id = ANY(${scope.linkIds ?? []}::uuid[])
                   OR l.seller_ref = ANY(${scope.sellerRefs ?? []}::text[])
                   OR (l.marketplace_id, l.listing_key) IN (
                     SELECT * FROM unnest(${listings.map((l) => l.marketplaceId)}::uuid[], ${listings.map((l) => l.listingKey)}::text[])))
              AND (${scope.from ?? null}::timestamptz IS NULL OR l.created_at >= ${scope.from ?? null})
              AND (${scope.to ?? null}::timestamptz IS NULL OR l.created_at < ${scope.to ?? null})
         ), stored AS (
           INSERT INTO evidence_request_links (request_id, link_id, marketplace_id) SELECT ${id}, id, marketplace_id FROM scoped
           RETURNING link_id, marketplace_id
         )
         SELECT marketplace_id, count(*)::int AS n, array_agg(link_id) AS link_ids FROM stored
          GROUP BY marketplace_id ORDER BY marketplace_id`,
    );
  }

  async insertRequest(m: EntityManager, r: NewRequest): Promise<void> {
    await m.query(
      ...sql`INSERT INTO evidence_requests (id, police_agency_id, filed_by_client_id, case_number, legal_basis, purpose, scope,
                                            status, link_count, created_at, updated_at, expires_at)
             VALUES (${r.id}, ${r.policeAgencyId}, ${r.clientId}, ${r.caseNumber}, ${r.legalBasis}, ${r.purpose},
                     ${JSON.stringify(r.scope)}, 'submitted', ${r.linkCount}, ${r.now}, ${r.now}, ${r.expiresAt})`,
    );
  }

  /** One empty answer per addressed marketplace, to be given once. */
  async insertAwaitedAnswers(m: EntityManager, id: string, marketplaceIds: string[]): Promise<void> {
    await m.query(
      ...sql`INSERT INTO evidence_responses (request_id, marketplace_id) SELECT ${id}, unnest(${marketplaceIds}::uuid[])`,
    );
  }

  /** A page in (created_at, id) descending order, after the keyset `after`. */
  listVisible(m: EntityManager, visible: Sql, after: string[] | null, limit: number): Promise<RequestRow[]> {
    const keyset = after && sql`(r.created_at, r.id) < (${after[0]}::timestamptz, ${after[1]}::uuid)`;
    return m.query<RequestRow[]>(
      ...sql`SELECT r.* FROM evidence_requests r ${where([visible, keyset])}
              ORDER BY r.created_at DESC, r.id DESC LIMIT ${limit}`,
    );
  }

  findVisible(m: EntityManager, id: string, visible: Sql): Promise<RequestRow[]> {
    return m.query<RequestRow[]>(
      ...sql`SELECT r.* FROM evidence_requests r WHERE r.id = ${id} AND ${visible}`,
    );
  }

  /** Locks a request the caller may act on; the caller judges its status. */
  async lockVisible(m: EntityManager, id: string, visible: Sql): Promise<RequestRow | undefined> {
    const [row] = await m.query<RequestRow[]>(
      ...sql`SELECT r.* FROM evidence_requests r WHERE r.id = ${id} AND ${visible} FOR UPDATE`,
    );
    return row;
  }

  /** The request if this police agency filed it (unlocked). */
  async findFiledBy(m: EntityManager, id: string, agencyId: string | null): Promise<RequestRow | undefined> {
    const [row] = await m.query<RequestRow[]>(
      ...sql`SELECT * FROM evidence_requests WHERE id = ${id} AND police_agency_id = ${agencyId}`,
    );
    return row;
  }

  /** Whether the request exists for a marketplace holding a part of it (`owned`) or for the police that filed it. */
  async isAddressed(
    m: EntityManager,
    id: string,
    owned: string[] | null,
    agencyId: string | null,
  ): Promise<boolean> {
    const visible = owned ? addressedTo(owned) : sql`r.police_agency_id = ${agencyId}`;
    const rows = await m.query<{ id: string }[]>(
      ...sql`SELECT r.id FROM evidence_requests r WHERE r.id = ${id} AND ${visible}`,
    );
    return rows.length > 0;
  }

  /** The links a request covers (of `owned` marketplaces only, if given) with seller data of fulfilled parts. */
  requestLinks(
    m: EntityManager,
    id: string,
    owned: string[] | null,
    after: string | null,
    limit: number,
  ): Promise<RequestLinkRow[]> {
    return m.query<RequestLinkRow[]>(
      ...sql`SELECT k.link_id, k.marketplace_id, l.url, l.listing_key, l.status,
              CASE WHEN ${owned}::uuid[] IS NOT NULL OR x.decision = 'fulfil' THEN l.seller_ref END AS seller_ref
         FROM evidence_request_links k
         JOIN links l ON l.id = k.link_id
         JOIN evidence_responses x ON x.request_id = k.request_id AND x.marketplace_id = k.marketplace_id
        WHERE k.request_id = ${id} AND (${owned}::uuid[] IS NULL OR k.marketplace_id = ANY(${owned}::uuid[]))
          AND (${after}::uuid IS NULL OR k.link_id > ${after}::uuid)
        ORDER BY k.link_id LIMIT ${limit}`,
    );
  }

  /** Records the answer of the first of `owned` still unanswered; none when all of them have answered. */
  recordAnswer(
    m: EntityManager,
    id: string,
    owned: string[],
    a: Answer,
  ): Promise<{ marketplace_id: string }[]> {
    return m.query<{ marketplace_id: string }[]>(
      ...sql`WITH answered AS (
           UPDATE evidence_responses SET decision = ${a.decision}, reason = ${a.reason},
                  seller_records = ${a.sellerRecords ? JSON.stringify(a.sellerRecords) : null}::jsonb,
                  responded_at = ${a.at}, seller_records_salt = ${a.salt}
            WHERE request_id = ${id} AND marketplace_id = (
              SELECT marketplace_id FROM evidence_responses
               WHERE request_id = ${id} AND marketplace_id = ANY(${owned}::uuid[]) AND decision IS NULL
               ORDER BY marketplace_id LIMIT 1)
           RETURNING marketplace_id
         ) SELECT * FROM answered`,
    );
  }

  /** The request's status as all its answers make it: ready, declined or still in review. */
  async settleStatus(m: EntityManager, id: string, at: Date): Promise<StoredEvidenceStatus> {
    const [{ status }] = await m.query<{ status: StoredEvidenceStatus }[]>(
      ...sql`WITH s AS (
           SELECT CASE WHEN bool_and(decision IS NOT NULL) AND bool_or(decision = 'fulfil') THEN 'ready'
                       WHEN bool_and(decision IS NOT NULL) THEN 'declined' ELSE 'in_review' END AS status
             FROM evidence_responses WHERE request_id = ${id}
         ), u AS (UPDATE evidence_requests SET status = s.status, updated_at = ${at} FROM s WHERE id = ${id} RETURNING s.status)
         SELECT status FROM u`,
    );
    return status;
  }

  async lockFiledBy(m: EntityManager, id: string, agencyId: string | null): Promise<RequestRow | undefined> {
    const [row] = await m.query<RequestRow[]>(
      ...sql`SELECT * FROM evidence_requests WHERE id = ${id} AND police_agency_id = ${agencyId} FOR UPDATE`,
    );
    return row;
  }

  async close(m: EntityManager, id: string, at: Date): Promise<void> {
    await m.query(
      ...sql`UPDATE evidence_requests SET status = 'closed', closed_at = ${at}, updated_at = ${at} WHERE id = ${id}`,
    );
  }

  /** Every answer of these requests, in marketplace order, with the count of links in each part. */
  answersOf(m: EntityManager, requestIds: string[]): Promise<AnswerRow[]> {
    return m.query<AnswerRow[]>(
      ...sql`SELECT x.*, (SELECT count(*)::int FROM evidence_request_links k
                           WHERE k.request_id = x.request_id AND k.marketplace_id = x.marketplace_id) AS link_count
               FROM evidence_responses x WHERE x.request_id = ANY(${requestIds}::uuid[]) ORDER BY x.marketplace_id`,
    );
  }
}
