import { Inject, Injectable } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor';
import { evidenceRequestAnswered, evidenceRequestClosed, evidenceRequestFiled } from '../audit/audit-events';
import { AuditWriter } from '../audit/audit.writer';
import { AppError } from '../errors/app-error';
import { decodeCursor, Page, toPage } from '../common/pagination';
import { APP_CONFIG, AppConfig } from '../config/config';
import { TransactionService } from '../database/transaction.service';
import { MarketplaceDirectory } from '../marketplaces/marketplace-directory';
import { canonicalise } from '../marketplaces/url';
import {
  EvidenceResponseDto,
  FileEvidenceRequestDto,
  ListEvidenceRequestLinksQueryDto,
  ListEvidenceRequestsQueryDto,
} from './dto/evidence-request.dto';
import { EvidenceScope, SellerRecord, StoredEvidenceStatus } from './evidence-request.entity';
import { linkSetDigest, sellerRecordsCommitment } from './evidence-package';

export type EvidenceStatus = StoredEvidenceStatus | 'expired';

export interface EvidenceRequestView {
  id: string;
  policeAgencyId: string;
  caseNumber: string;
  legalBasis: string;
  purpose: string;
  scope: EvidenceScope;
  status: EvidenceStatus;
  linkCount: number;
  marketplaces: {
    marketplaceId: string;
    decision: 'fulfil' | 'decline' | null;
    respondedAt: string | null;
    reason?: string | null;
    sellerRecords?: SellerRecord[];
  }[];
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  expiresAt: string;
}

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

interface ResponseRow {
  request_id: string;
  marketplace_id: string;
  decision: 'fulfil' | 'decline' | null;
  reason: string | null;
  seller_records: SellerRecord[] | null;
  responded_at: Date | null;
  link_count: number;
}

const DAY_MS = 86_400_000;

/**
 * Police evidence requests. Visibility is part of every query: the filing police agency sees its requests whole,
 * an addressed marketplace only its own part, the ministry and operator metadata without seller records.
 */
@Injectable()
export class EvidenceRequestsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tx: TransactionService,
    private readonly audit: AuditWriter,
    private readonly directory: MarketplaceDirectory,
  ) {}

  async file(actor: Actor, dto: FileEvidenceRequestDto): Promise<EvidenceRequestView> {
    const scope = dto.scope;
    if (
      !scope.batchIds?.length &&
      !scope.linkIds?.length &&
      !scope.urls?.length &&
      !scope.sellerRefs?.length
    ) {
      throw AppError.validation([
        { path: 'scope', message: 'scope must name batchIds, linkIds, urls or sellerRefs' },
      ]);
    }
    const listings = await this.listingsOf(scope.urls ?? []);
    const id = randomUUID();
    return this.tx.answer(async (m) => {
      const now = new Date();
      const linked = await m.query<{ marketplace_id: string; n: number; link_ids: string[] }[]>(
        `WITH scoped AS (
           SELECT l.id, l.marketplace_id FROM links l
            WHERE (l.batch_id = ANY($2::uuid[]) OR l.id = ANY($3::uuid[]) OR l.seller_ref = ANY($4::text[])
                   OR (l.marketplace_id, l.listing_key) IN (SELECT * FROM unnest($5::uuid[], $6::text[])))
              AND ($7::timestamptz IS NULL OR l.created_at >= $7) AND ($8::timestamptz IS NULL OR l.created_at < $8)
         ), stored AS (
           INSERT INTO evidence_request_links (request_id, link_id, marketplace_id) SELECT $1, id, marketplace_id FROM scoped
           RETURNING link_id, marketplace_id
         )
         SELECT marketplace_id, count(*)::int AS n, array_agg(link_id) AS link_ids FROM stored
          GROUP BY marketplace_id ORDER BY marketplace_id`,
        [
          id,
          scope.batchIds ?? [],
          scope.linkIds ?? [],
          scope.sellerRefs ?? [],
          listings.map((l) => l.marketplaceId),
          listings.map((l) => l.listingKey),
          scope.from ?? null,
          scope.to ?? null,
        ],
      );
      const linkCount = linked.reduce((n, r) => n + r.n, 0);
      if (linkCount === 0) throw AppError.unprocessable('EMPTY_SCOPE', 'The scope matches no link');
      await m.query(
        `INSERT INTO evidence_requests (id, police_agency_id, filed_by_client_id, case_number, legal_basis, purpose, scope, status,
                                        link_count, created_at, updated_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'submitted', $8, $9, $9, $10)`,
        [
          id,
          actor.agencyId,
          actor.clientId,
          dto.caseNumber,
          dto.legalBasis,
          dto.purpose,
          JSON.stringify(scope),
          linkCount,
          now,
          new Date(now.getTime() + this.config.evidenceRetentionDays * DAY_MS),
        ],
      );
      await m.query(
        `INSERT INTO evidence_responses (request_id, marketplace_id) SELECT $1, unnest($2::uuid[])`,
        [id, linked.map((r) => r.marketplace_id)],
      );
      await this.audit.record(
        m,
        actor,
        evidenceRequestFiled(id, actor.agencyId, {
          caseNumber: dto.caseNumber,
          legalBasis: dto.legalBasis,
          purpose: dto.purpose,
          scope: { ...scope },
          linkCount,
          marketplaces: linked.map((r) => ({
            marketplaceId: r.marketplace_id,
            links: r.n,
            linksSha256: linkSetDigest(r.link_ids),
          })),
        }),
        now,
      );
      return this.get(actor, id, m);
    });
  }

  async list(actor: Actor, q: ListEvidenceRequestsQueryDto): Promise<Page<EvidenceRequestView>> {
    const limit = q.limit ?? 100;
    const params: unknown[] = [];
    const where = [await this.visibility(actor, params)];
    const cursor = decodeCursor(q.cursor, ['timestamp', 'uuid']);
    if (cursor) {
      params.push(cursor[0], cursor[1]);
      where.push(`(r.created_at, r.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(limit + 1);
    const rows = await this.tx.dataSource.query<RequestRow[]>(
      `SELECT r.* FROM evidence_requests r WHERE ${where.join(' AND ')} ORDER BY r.created_at DESC, r.id DESC LIMIT $${params.length}`,
      params,
    );
    const views = await this.views(actor, rows);
    return toPage(views, limit, (v) => [v.createdAt, v.id]);
  }

  /** Read with the caller's manager inside a transaction, so a write answers with what it committed. */
  async get(
    actor: Actor,
    id: string,
    m: EntityManager = this.tx.dataSource.manager,
  ): Promise<EvidenceRequestView> {
    const params: unknown[] = [id];
    const visible = await this.visibility(actor, params);
    const rows = await m.query<RequestRow[]>(
      `SELECT r.* FROM evidence_requests r WHERE r.id = $1 AND ${visible}`,
      params,
    );
    if (rows.length === 0) throw AppError.notFound('Evidence request');
    return (await this.views(actor, rows, m))[0];
  }

  /**
   * The links a request covers: an addressed marketplace sees its own, the filing police agency all of them, with
   * seller data only of the parts a marketplace fulfilled. Anyone else is told the request does not exist.
   */
  async links(
    actor: Actor,
    id: string,
    q: ListEvidenceRequestLinksQueryDto,
  ): Promise<Page<EvidenceRequestLinkView>> {
    const limit = q.limit ?? 100;
    const after = decodeCursor(q.cursor, ['uuid']);
    const owned = actor.role === 'marketplace' ? await this.directory.ownedBy(actor) : null;
    // A marketplace is addressed when it holds a part of the request; police only ever see their agency's requests.
    const [request] = await this.tx.dataSource.query<{ id: string }[]>(
      owned
        ? `SELECT r.id FROM evidence_requests r WHERE r.id = $1
             AND EXISTS (SELECT 1 FROM evidence_responses x WHERE x.request_id = r.id AND x.marketplace_id = ANY($2::uuid[]))`
        : `SELECT r.id FROM evidence_requests r WHERE r.id = $1 AND r.police_agency_id = $2`,
      [id, owned ?? actor.agencyId],
    );
    if (!request) throw AppError.notFound('Evidence request');
    const rows = await this.tx.dataSource.query<
      {
        link_id: string;
        marketplace_id: string;
        url: string;
        listing_key: string;
        seller_ref: string | null;
        status: string;
      }[]
    >(
      `SELECT k.link_id, k.marketplace_id, l.url, l.listing_key, l.status,
              CASE WHEN $2::uuid[] IS NOT NULL OR x.decision = 'fulfil' THEN l.seller_ref END AS seller_ref
         FROM evidence_request_links k
         JOIN links l ON l.id = k.link_id
         JOIN evidence_responses x ON x.request_id = k.request_id AND x.marketplace_id = k.marketplace_id
        WHERE k.request_id = $1 AND ($2::uuid[] IS NULL OR k.marketplace_id = ANY($2::uuid[]))
          AND ($3::uuid IS NULL OR k.link_id > $3::uuid)
        ORDER BY k.link_id LIMIT $4`,
      [id, owned, after?.[0] ?? null, limit + 1],
    );
    const views = rows.map((r) => ({
      linkId: r.link_id,
      marketplaceId: r.marketplace_id,
      url: r.url,
      listingKey: r.listing_key,
      sellerRef: r.seller_ref,
      status: r.status,
    }));
    return toPage(views, limit, (v) => [v.linkId]);
  }

  /** An addressed marketplace answers once; the request's status follows from all answers. */
  async respond(actor: Actor, id: string, dto: EvidenceResponseDto): Promise<EvidenceRequestView> {
    if (dto.decision === 'decline' && !dto.reason)
      throw AppError.validation([{ path: 'reason', message: 'reason is required to decline' }]);
    if (dto.decision === 'fulfil' && !dto.sellerRecords) {
      throw AppError.validation([
        {
          path: 'sellerRecords',
          message: 'sellerRecords are required to fulfil (an empty list if there are none)',
        },
      ]);
    }
    if (dto.decision === 'decline' && dto.sellerRecords?.length) {
      throw AppError.validation([
        { path: 'sellerRecords', message: 'a declined request carries no seller records' },
      ]);
    }
    const owned = await this.directory.ownedBy(actor);
    const salt = dto.decision === 'fulfil' ? randomBytes(32).toString('hex') : null;
    return this.tx.answer(async (m) => {
      const request = await this.lockOpen(
        m,
        id,
        `EXISTS (SELECT 1 FROM evidence_responses x WHERE x.request_id = r.id AND x.marketplace_id = ANY($2::uuid[]))`,
        [owned],
      );
      const now = new Date();
      const answered = await m.query<{ marketplace_id: string }[]>(
        `WITH answered AS (
           UPDATE evidence_responses SET decision = $3, reason = $4, seller_records = $5::jsonb, responded_at = $6,
                                         seller_records_salt = $7
            WHERE request_id = $1 AND marketplace_id = (
              SELECT marketplace_id FROM evidence_responses
               WHERE request_id = $1 AND marketplace_id = ANY($2::uuid[]) AND decision IS NULL ORDER BY marketplace_id LIMIT 1)
           RETURNING marketplace_id
         ) SELECT * FROM answered`,
        [
          id,
          owned,
          dto.decision,
          dto.reason ?? null,
          dto.sellerRecords ? JSON.stringify(dto.sellerRecords) : null,
          now,
          salt,
        ],
      );
      if (answered.length === 0)
        throw AppError.conflict(
          'EVIDENCE_ALREADY_ANSWERED',
          `This marketplace has already answered; the request is ${request.status}`,
        );
      const [{ status }] = await m.query<{ status: StoredEvidenceStatus }[]>(
        `WITH s AS (
           SELECT CASE WHEN bool_and(decision IS NOT NULL) AND bool_or(decision = 'fulfil') THEN 'ready'
                       WHEN bool_and(decision IS NOT NULL) THEN 'declined' ELSE 'in_review' END AS status
             FROM evidence_responses WHERE request_id = $1
         ), u AS (UPDATE evidence_requests SET status = s.status, updated_at = $2 FROM s WHERE id = $1 RETURNING s.status)
         SELECT status FROM u`,
        [id, now],
      );
      await this.audit.record(
        m,
        actor,
        evidenceRequestAnswered(id, request.police_agency_id, {
          marketplaceId: answered[0].marketplace_id,
          decision: dto.decision,
          reason: dto.reason,
          sellerRecordCount: dto.sellerRecords?.length ?? 0,
          sellerRecordsSha256: salt ? sellerRecordsCommitment(salt, plain(dto.sellerRecords!)) : undefined,
          status,
        }),
        now,
      );
      return this.get(actor, id, m);
    });
  }

  async close(actor: Actor, id: string): Promise<EvidenceRequestView> {
    return this.tx.answer(async (m) => {
      const [request] = await m.query<RequestRow[]>(
        'SELECT * FROM evidence_requests WHERE id = $1 AND police_agency_id = $2 FOR UPDATE',
        [id, actor.agencyId],
      );
      if (!request) throw AppError.notFound('Evidence request');
      if (request.status === 'closed')
        throw AppError.conflict('EVIDENCE_REQUEST_CLOSED', 'The request is already closed');
      const now = new Date();
      await m.query(
        `UPDATE evidence_requests SET status = 'closed', closed_at = $2, updated_at = $2 WHERE id = $1`,
        [id, now],
      );
      await this.audit.record(m, actor, evidenceRequestClosed(id, actor.agencyId, request.status), now);
      return this.get(actor, id, m);
    });
  }

  /** Locks a request the caller may act on, refusing closed (409) and expired (410) ones. */
  async lockOpen(m: EntityManager, id: string, visible: string, params: unknown[]): Promise<RequestRow> {
    const [request] = await m.query<RequestRow[]>(
      `SELECT r.* FROM evidence_requests r WHERE r.id = $1 AND ${visible} FOR UPDATE`,
      [id, ...params],
    );
    if (!request) throw AppError.notFound('Evidence request');
    if (request.status === 'closed')
      throw AppError.conflict('EVIDENCE_REQUEST_CLOSED', 'The request is closed');
    if (request.expires_at.getTime() <= Date.now()) throw expired(request);
    return request;
  }

  private async visibility(actor: Actor, params: unknown[]): Promise<string> {
    if (actor.role === 'operator' || actor.role === 'ministry') return 'TRUE';
    if (actor.role === 'police') {
      params.push(actor.agencyId);
      return `r.police_agency_id = $${params.length}`;
    }
    params.push(await this.directory.ownedBy(actor));
    return `EXISTS (SELECT 1 FROM evidence_responses x WHERE x.request_id = r.id AND x.marketplace_id = ANY($${params.length}::uuid[]))`;
  }

  private async views(
    actor: Actor,
    rows: RequestRow[],
    m: EntityManager = this.tx.dataSource.manager,
  ): Promise<EvidenceRequestView[]> {
    if (rows.length === 0) return [];
    const responses = await m.query<ResponseRow[]>(
      `SELECT x.*, (SELECT count(*)::int FROM evidence_request_links k WHERE k.request_id = x.request_id AND k.marketplace_id = x.marketplace_id) AS link_count
         FROM evidence_responses x WHERE x.request_id = ANY($1::uuid[]) ORDER BY x.marketplace_id`,
      [rows.map((r) => r.id)],
    );
    const owned = actor.role === 'marketplace' ? new Set(await this.directory.ownedBy(actor)) : null;
    return rows.map((r) => {
      let parts = responses.filter((x) => x.request_id === r.id);
      if (owned) parts = parts.filter((x) => owned.has(x.marketplace_id));
      const withRecords = actor.role === 'police' || owned !== null;
      return {
        id: r.id,
        policeAgencyId: r.police_agency_id,
        caseNumber: r.case_number,
        legalBasis: r.legal_basis,
        purpose: r.purpose,
        scope: owned ? {} : r.scope,
        status: r.status !== 'closed' && r.expires_at.getTime() <= Date.now() ? 'expired' : r.status,
        linkCount: owned ? parts.reduce((n, x) => n + x.link_count, 0) : r.link_count,
        marketplaces: parts.map((x) => ({
          marketplaceId: x.marketplace_id,
          decision: x.decision,
          respondedAt: x.responded_at?.toISOString() ?? null,
          ...(withRecords ? { reason: x.reason, sellerRecords: x.seller_records ?? [] } : {}),
        })),
        createdAt: r.created_at.toISOString(),
        updatedAt: r.updated_at.toISOString(),
        closedAt: r.closed_at?.toISOString() ?? null,
        expiresAt: r.expires_at.toISOString(),
      };
    });
  }

  /** URLs in a scope name listings: canonicalised and routed like submitted links, unroutable ones match nothing. */
  private async listingsOf(urls: string[]): Promise<{ marketplaceId: string; listingKey: string }[]> {
    if (urls.length === 0) return [];
    const { route } = await this.directory.router();
    return urls.flatMap((url) => {
      const r = canonicalise(url, route);
      return r.ok ? [{ marketplaceId: r.marketplaceId, listingKey: r.listingKey }] : [];
    });
  }
}

export interface EvidenceRequestLinkView {
  linkId: string;
  marketplaceId: string;
  url: string;
  listingKey: string;
  sellerRef: string | null;
  status: string;
}

/** The seller records as stored and hashed: plain JSON, without class instances or undefined properties. */
function plain(records: SellerRecord[]): SellerRecord[] {
  return JSON.parse(JSON.stringify(records)) as SellerRecord[];
}

export function expired(request: { expires_at: Date }): AppError {
  return new AppError(
    410,
    'EVIDENCE_REQUEST_EXPIRED',
    'Gone',
    `The request expired at ${request.expires_at.toISOString()}; it and its audit events remain, but nothing more is exported`,
  );
}
