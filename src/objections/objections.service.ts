import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Actor } from '../auth/actor';
import { linkObjected, linkObjectionDecided } from '../audit/audit-events';
import { AuditWriter } from '../audit/audit.writer';
import { decodeCursor, toPage } from '../common/pagination';
import { APP_CONFIG, AppConfig } from '../config/config';
import { TransactionService } from '../database/transaction.service';
import { AppError } from '../errors/app-error';
import { ReaderScope, readerScopeOf } from '../links/reader-scope';
import { MarketplaceDirectory } from '../marketplaces/marketplace-directory';
import type { DecideObjectionDto, FileObjectionDto, ObjectionsQueryDto } from './dto/objection.dto';
import type { ObjectionListResponseDto, ObjectionResponseDto } from './dto/objection-response.dto';
import { OBJECTABLE_STATUSES, pausesClock, statusAfterDecision } from './objection-rules';
import { ObjectionRow, ObjectionsRepository } from './objections.repository';

/**
 * Objections: a marketplace objects to one of its links and the ministry that notified it decides, once. While an
 * objection to an open link waits, the link's clock stands still; the decision moves its dueAt on by the time paused,
 * to the millisecond. Objections and decisions take turns on the link's row lock; each is audited in its transaction
 * as an event of the link, so its history and the evidence package's replay carry them.
 */
@Injectable()
export class ObjectionsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tx: TransactionService,
    private readonly audit: AuditWriter,
    private readonly directory: MarketplaceDirectory,
    private readonly repository: ObjectionsRepository,
  ) {}

  async file(actor: Actor, linkId: string, dto: FileObjectionDto): Promise<ObjectionResponseDto> {
    const scope = await this.directory.ownedBy(actor);
    return this.tx.answer(async (m) => {
      const link = await this.repository.lockLink(m, linkId, scope);
      if (!link) throw AppError.notFound('Link');
      if (link.notifier_agency_id === null)
        throw AppError.conflict(
          'OBJECTION_NO_NOTIFIER',
          'The link was reported by its marketplace: no ministry notified it, so there is no one to decide',
        );
      if (!OBJECTABLE_STATUSES.includes(link.status))
        throw AppError.conflict(
          'LINK_FINAL',
          `The link is ${link.status}: objections are filed to pending, acknowledged or taken-down links`,
        );
      const filed = await this.repository.countFor(m, linkId);
      if (filed.open > 0)
        throw AppError.conflict(
          'OBJECTION_OPEN',
          'An objection to this link is open already: the ministry decides it first',
        );
      if (filed.total >= this.config.objectionsPerLink)
        throw AppError.conflict(
          'OBJECTION_LIMIT',
          `The link has had ${filed.total} objections, the most a link may have (OBJECTIONS_PER_LINK)`,
        );
      const id = randomUUID();
      const now = new Date();
      const clockPaused = pausesClock(link.status);
      const objection = {
        id,
        linkId,
        filedByAgencyId: actor.agencyId!,
        ground: dto.ground,
        detail: dto.detail,
        onBehalfOfSeller: dto.onBehalfOfSeller ?? false,
        evidenceSha256: dto.evidenceSha256 ?? null,
        filedAt: now,
        replyDueAt: new Date(now.getTime() + this.config.objectionReplyMs),
        clockPaused,
      };
      await this.repository.insert(m, objection);
      if (clockPaused) await this.repository.pauseClock(m, linkId, now);
      await this.audit.record(
        m,
        actor,
        linkObjected(linkId, link.marketplace_agency_id, { objectionId: id, ...objection }),
        now,
      );
      return view((await this.repository.find(m, id, null))!);
    });
  }

  async decide(actor: Actor, id: string, dto: DecideObjectionDto): Promise<ObjectionResponseDto> {
    return this.tx.answer(async (m) => {
      const found = await this.repository.find(m, id, null);
      if (!found) throw AppError.notFound('Objection');
      if (found.notifier_agency_id !== actor.agencyId)
        throw AppError.forbidden('Only the ministry that notified the link decides objections to it');
      const link = (await this.repository.lockLink(m, found.link_id, null))!;
      const now = new Date();
      // The clock stood still from the filing (clock_paused_at) to now; dueAt moves on by exactly that.
      const pausedMs = link.clock_paused_at ? now.getTime() - link.clock_paused_at.getTime() : 0;
      const decided = { outcome: dto.outcome, note: dto.note, agencyId: actor.agencyId, at: now, pausedMs };
      if (!(await this.repository.decide(m, id, decided)))
        throw AppError.conflict('OBJECTION_DECIDED', 'The objection is decided already');
      const status = statusAfterDecision(link.status, dto.outcome);
      const dueAt = link.due_at && pausedMs > 0 ? new Date(link.due_at.getTime() + pausedMs) : link.due_at;
      await this.repository.afterDecision(m, link.id, {
        status,
        changed: status !== link.status,
        note: dto.note,
        dueAt,
        at: now,
      });
      await this.audit.record(
        m,
        actor,
        linkObjectionDecided(link.id, link.marketplace_agency_id, {
          objectionId: id,
          outcome: dto.outcome,
          note: dto.note,
          from: link.status,
          status,
          pausedMs,
          dueAt,
        }),
        now,
      );
      return view((await this.repository.find(m, id, null))!);
    });
  }

  async get(actor: Actor, id: string): Promise<ObjectionResponseDto> {
    const row = await this.repository.find(this.tx.dataSource.manager, id, await this.scope(actor));
    if (!row) throw AppError.notFound('Objection');
    return view(row);
  }

  async list(actor: Actor, q: ObjectionsQueryDto): Promise<ObjectionListResponseDto> {
    const limit = q.limit ?? 100;
    const after = decodeCursor(q.cursor, ['timestamp', 'uuid']);
    const rows = await this.repository.list(
      this.tx.dataSource.manager,
      await this.scope(actor),
      {
        status: q.status,
        marketplaceId: q.marketplaceId?.toLowerCase(),
        linkId: q.linkId?.toLowerCase(),
        overdue: q.overdue === undefined ? undefined : q.overdue === 'true',
      },
      { limit, after },
    );
    return toPage(rows.map(view), limit, (o) => [o.filedAt, o.id]);
  }

  /** A marketplace reads the objections to its own links, a ministry those to links it notified, others all. */
  private scope(actor: Actor): Promise<ReaderScope> {
    return readerScopeOf(actor, this.directory);
  }
}

function view(o: ObjectionRow): ObjectionResponseDto {
  return {
    id: o.id,
    linkId: o.link_id,
    marketplaceId: o.marketplace_id,
    notifierAgencyId: o.notifier_agency_id,
    ground: o.ground,
    detail: o.detail,
    onBehalfOfSeller: o.on_behalf_of_seller,
    evidenceSha256: o.evidence_sha256,
    filedAt: o.filed_at.toISOString(),
    replyDueAt: o.reply_due_at.toISOString(),
    overdue: o.overdue,
    clockPaused: o.clock_paused,
    status: o.status,
    linkStatus: o.link_status,
    note: o.note,
    decidedAt: o.decided_at?.toISOString() ?? null,
    pausedMs: o.paused_ms === null ? null : Number(o.paused_ms),
  };
}
