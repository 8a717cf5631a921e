import { Inject, Injectable } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor';
import { evidenceRequestAnswered, evidenceRequestClosed, evidenceRequestFiled } from '../audit/audit-events';
import { AuditWriter } from '../audit/audit.writer';
import { AppError } from '../errors/app-error';
import { decodeCursor, Page, toPage } from '../common/pagination';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Sql } from '../database/sql';
import { TransactionService } from '../database/transaction.service';
import { MarketplaceDirectory } from '../marketplaces/marketplace-directory';
import { canonicalise } from '../marketplaces/url';
import {
  EvidenceAnswerDto,
  FileEvidenceRequestDto,
  ListEvidenceRequestLinksQueryDto,
  ListEvidenceRequestsQueryDto,
} from './dto/evidence-request.dto';
import { linkSetDigest, sellerRecordsCommitment } from './evidence-package';
import {
  EvidenceRequestLinkView,
  EvidenceRequestView,
  requestLinkView,
  requestView,
} from './evidence-request.view';
import {
  addressedTo,
  EvidenceRequestsRepository,
  Listing,
  RequestRow,
  requestVisibleTo,
  ScopedPart,
} from './evidence-requests.repository';
import { answerRefusal, expired, plain, scopeRefusal } from './evidence-rules';

export type { EvidenceRequestLinkView, EvidenceRequestView, EvidenceStatus } from './evidence-request.view';

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
    private readonly repository: EvidenceRequestsRepository,
  ) {}

  /** Resolves the scope now to a fixed set of links, one part per marketplace, and commits to each part's links. */
  async file(actor: Actor, dto: FileEvidenceRequestDto): Promise<EvidenceRequestView> {
    const refusal = scopeRefusal(dto.scope);
    if (refusal) throw refusal;
    const listings = await this.listingsOf(dto.scope.urls ?? []);
    const id = randomUUID();
    return this.tx.answer(async (m) => {
      const now = new Date();
      const parts = await this.repository.fileScopedLinks(m, id, dto.scope, listings);
      const linkCount = parts.reduce((n, r) => n + r.n, 0);
      if (linkCount === 0) throw AppError.unprocessable('EMPTY_SCOPE', 'The scope matches no link');
      await this.repository.insertRequest(m, {
        id,
        policeAgencyId: actor.agencyId,
        clientId: actor.clientId,
        caseNumber: dto.caseNumber,
        legalBasis: dto.legalBasis,
        purpose: dto.purpose,
        scope: dto.scope,
        linkCount,
        now,
        expiresAt: new Date(now.getTime() + this.config.evidenceRetentionDays * DAY_MS),
      });
      const marketplaceIds = parts.map((r) => r.marketplace_id);
      await this.repository.insertAwaitedAnswers(m, id, marketplaceIds);
      await this.audit.record(m, actor, filingEvent(actor, id, dto, parts, linkCount), now);
      return this.get(actor, id, m);
    });
  }

  async list(actor: Actor, q: ListEvidenceRequestsQueryDto): Promise<Page<EvidenceRequestView>> {
    const limit = q.limit ?? 100;
    const after = decodeCursor(q.cursor, ['timestamp', 'uuid']);
    const rows = await this.repository.listVisible(
      this.tx.dataSource.manager,
      await this.visibility(actor),
      after,
      limit + 1,
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
    const rows = await this.repository.findVisible(m, id, await this.visibility(actor));
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
    const m = this.tx.dataSource.manager;
    // A marketplace is addressed when it holds a part of the request; police only ever see their agency's requests.
    if (!(await this.repository.isAddressed(m, id, owned, actor.agencyId)))
      throw AppError.notFound('Evidence request');
    const rows = await this.repository.requestLinks(m, id, owned, after?.[0] ?? null, limit + 1);
    return toPage(rows.map(requestLinkView), limit, (v) => [v.linkId]);
  }

  /** An addressed marketplace answers once; the request's status follows from all answers. */
  async answer(actor: Actor, id: string, dto: EvidenceAnswerDto): Promise<EvidenceRequestView> {
    const refusal = answerRefusal(dto);
    if (refusal) throw refusal;
    const owned = await this.directory.ownedBy(actor);
    const salt = dto.decision === 'fulfil' ? randomBytes(32).toString('hex') : null;
    return this.tx.answer(async (m) => {
      const request = await this.lockOpen(m, id, addressedTo(owned));
      const now = new Date();
      const answered = await this.repository.recordAnswer(m, id, owned, {
        decision: dto.decision,
        reason: dto.reason ?? null,
        sellerRecords: dto.sellerRecords ?? null,
        salt,
        at: now,
      });
      if (answered.length === 0)
        throw AppError.conflict(
          'EVIDENCE_ALREADY_ANSWERED',
          `This marketplace has already answered; the request is ${request.status}`,
        );
      const status = await this.repository.settleStatus(m, id, now);
      const event = evidenceRequestAnswered(id, request.police_agency_id, {
        marketplaceId: answered[0].marketplace_id,
        decision: dto.decision,
        reason: dto.reason,
        sellerRecordCount: dto.sellerRecords?.length ?? 0,
        sellerRecordsSha256: salt ? sellerRecordsCommitment(salt, plain(dto.sellerRecords!)) : undefined,
        status,
      });
      await this.audit.record(m, actor, event, now);
      return this.get(actor, id, m);
    });
  }

  async close(actor: Actor, id: string): Promise<EvidenceRequestView> {
    return this.tx.answer(async (m) => {
      const request = await this.repository.lockFiledBy(m, id, actor.agencyId);
      if (!request) throw AppError.notFound('Evidence request');
      if (request.status === 'closed')
        throw AppError.conflict('EVIDENCE_REQUEST_CLOSED', 'The request is already closed');
      const now = new Date();
      await this.repository.close(m, id, now);
      await this.audit.record(m, actor, evidenceRequestClosed(id, actor.agencyId, request.status), now);
      return this.get(actor, id, m);
    });
  }

  /** Locks a request the caller may act on, refusing closed (409) and expired (410) ones. */
  async lockOpen(m: EntityManager, id: string, visible: Sql): Promise<RequestRow> {
    const request = await this.repository.lockVisible(m, id, visible);
    if (!request) throw AppError.notFound('Evidence request');
    if (request.status === 'closed')
      throw AppError.conflict('EVIDENCE_REQUEST_CLOSED', 'The request is closed');
    if (request.expires_at.getTime() <= Date.now()) throw expired(request);
    return request;
  }

  private async visibility(actor: Actor): Promise<Sql> {
    const owned = actor.role === 'marketplace' ? await this.directory.ownedBy(actor) : null;
    return requestVisibleTo(actor, owned);
  }

  private async views(
    actor: Actor,
    rows: RequestRow[],
    m: EntityManager = this.tx.dataSource.manager,
  ): Promise<EvidenceRequestView[]> {
    if (rows.length === 0) return [];
    const answers = await this.repository.answersOf(
      m,
      rows.map((r) => r.id),
    );
    const owned = actor.role === 'marketplace' ? new Set(await this.directory.ownedBy(actor)) : null;
    return rows.map((r) => requestView(actor, owned, r, answers));
  }

  /** URLs in a scope name listings: canonicalised and routed like submitted links, unroutable ones match nothing. */
  private async listingsOf(urls: string[]): Promise<Listing[]> {
    if (urls.length === 0) return [];
    const { route } = await this.directory.router();
    return urls.flatMap((url) => {
      const r = canonicalise(url, route);
      return r.ok ? [{ marketplaceId: r.marketplaceId, listingKey: r.listingKey }] : [];
    });
  }
}

/** The filing's audit event: what was asked, and a commitment to each marketplace's set of links. */
function filingEvent(
  actor: Actor,
  id: string,
  dto: FileEvidenceRequestDto,
  parts: ScopedPart[],
  linkCount: number,
) {
  return evidenceRequestFiled(id, actor.agencyId, {
    caseNumber: dto.caseNumber,
    legalBasis: dto.legalBasis,
    purpose: dto.purpose,
    scope: { ...dto.scope },
    linkCount,
    marketplaces: parts.map((r) => ({
      marketplaceId: r.marketplace_id,
      links: r.n,
      linksSha256: linkSetDigest(r.link_ids),
    })),
  });
}
