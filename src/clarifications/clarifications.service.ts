import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Actor } from '../auth/actor';
import { clarificationAnswered, clarificationRequested } from '../audit/audit-events';
import { AuditWriter } from '../audit/audit.writer';
import { decodeCursor, toPage } from '../common/pagination';
import { TransactionService } from '../database/transaction.service';
import { AppError } from '../errors/app-error';
import { ReaderScope, readerScopeOf } from '../links/reader-scope';
import { MarketplaceDirectory } from '../marketplaces/marketplace-directory';
import { ClarificationRow, ClarificationsRepository } from './clarifications.repository';
import type {
  AnswerClarificationDto,
  AskClarificationDto,
  ClarificationsQueryDto,
} from './dto/clarification.dto';
import type {
  ClarificationListResponseDto,
  ClarificationResponseDto,
} from './dto/clarification-response.dto';

/** A link a question may be about: one still in the marketplace's hands, or taken down (as objections will be). */
const QUESTIONABLE = new Set(['pending', 'acknowledged', 'taken_down']);

/**
 * Clarifications: a marketplace asks the ministry that notified one of its links a question, and that ministry answers
 * it, once. Neither objects to the link nor stops its clock. Each is audited in its transaction.
 */
@Injectable()
export class ClarificationsService {
  constructor(
    private readonly tx: TransactionService,
    private readonly audit: AuditWriter,
    private readonly directory: MarketplaceDirectory,
    private readonly repository: ClarificationsRepository,
  ) {}

  async ask(actor: Actor, linkId: string, dto: AskClarificationDto): Promise<ClarificationResponseDto> {
    const scope = await this.directory.ownedBy(actor);
    return this.tx.answer(async (m) => {
      const link = await this.repository.findLink(m, linkId, scope);
      if (!link) throw AppError.notFound('Link');
      if (link.notifier_agency_id === null)
        throw AppError.conflict(
          'CLARIFICATION_NO_NOTIFIER',
          'The link was reported by its marketplace: no ministry notified it, so there is no one to ask',
        );
      if (!QUESTIONABLE.has(link.status))
        throw AppError.conflict(
          'LINK_FINAL',
          `The link is ${link.status}: questions are asked about pending, acknowledged or taken-down links`,
        );
      const id = randomUUID();
      const now = new Date();
      await this.repository.insert(m, {
        id,
        linkId,
        askedByAgencyId: actor.agencyId!,
        question: dto.question,
        askedAt: now,
      });
      await this.audit.record(
        m,
        actor,
        clarificationRequested(id, linkId, link.marketplace_agency_id, dto.question),
        now,
      );
      return view((await this.repository.find(m, id, null))!);
    });
  }

  async answer(actor: Actor, id: string, dto: AnswerClarificationDto): Promise<ClarificationResponseDto> {
    return this.tx.answer(async (m) => {
      const found = await this.repository.find(m, id, null);
      if (!found) throw AppError.notFound('Clarification');
      if (found.notifier_agency_id !== actor.agencyId)
        throw AppError.forbidden('Only the ministry that notified the link answers questions about it');
      const now = new Date();
      if (!(await this.repository.answer(m, id, dto.answer, actor.agencyId, now)))
        throw AppError.conflict('CLARIFICATION_ANSWERED', 'The question is answered already');
      await this.audit.record(
        m,
        actor,
        clarificationAnswered(id, found.link_id, found.marketplace_agency_id, dto.answer),
        now,
      );
      return view((await this.repository.find(m, id, null))!);
    });
  }

  async get(actor: Actor, id: string): Promise<ClarificationResponseDto> {
    const row = await this.repository.find(this.tx.dataSource.manager, id, await this.scope(actor));
    if (!row) throw AppError.notFound('Clarification');
    return view(row);
  }

  async list(actor: Actor, q: ClarificationsQueryDto): Promise<ClarificationListResponseDto> {
    const limit = q.limit ?? 100;
    const after = decodeCursor(q.cursor, ['timestamp', 'uuid']);
    const rows = await this.repository.list(
      this.tx.dataSource.manager,
      await this.scope(actor),
      { linkId: q.linkId?.toLowerCase(), status: q.status },
      { limit, after },
    );
    return toPage(rows.map(view), limit, (c) => [c.askedAt, c.id]);
  }

  /** A marketplace reads the questions about its own links, a ministry those about links it notified, others all. */
  private scope(actor: Actor): Promise<ReaderScope> {
    return readerScopeOf(actor, this.directory);
  }
}

function view(c: ClarificationRow): ClarificationResponseDto {
  return {
    id: c.id,
    linkId: c.link_id,
    marketplaceId: c.marketplace_id,
    notifierAgencyId: c.notifier_agency_id,
    question: c.question,
    askedAt: c.asked_at.toISOString(),
    status: c.answer === null ? 'open' : 'answered',
    answer: c.answer,
    answeredAt: c.answered_at?.toISOString() ?? null,
  };
}
