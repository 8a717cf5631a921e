import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Actor } from '../auth/actor';
import { AuditWriter } from '../audit/audit.writer';
import { keywordAdded, keywordRetired } from '../audit/audit-events';
import { AppError } from '../errors/app-error';
import { TransactionService } from '../database/transaction.service';
import { AddKeywordDto, KeywordsQueryDto } from './dto/keyword.dto';
import { KeywordListResponseDto, KeywordResponseDto } from './dto/keyword-response.dto';
import { KeywordRow, KeywordsRepository } from './keywords.repository';

export const normalizeTerm = (term: string) => term.trim().replace(/\s+/g, ' ').toLowerCase();

@Injectable()
export class KeywordsService {
  constructor(
    private readonly tx: TransactionService,
    private readonly audit: AuditWriter,
    private readonly keywords: KeywordsRepository,
  ) {}

  /** The whole watchlist, or with sinceVersion only what changed after it (retired terms included, to sync deletions). */
  async list(_actor: Actor, q: KeywordsQueryDto): Promise<KeywordListResponseDto> {
    const m = this.tx.dataSource.manager;
    const rows = await this.keywords.listSince(m, q.sinceVersion ?? null);
    const version = await this.keywords.currentVersion(m);
    return { version, items: rows.map(toView) };
  }

  async add(actor: Actor, dto: AddKeywordDto): Promise<KeywordResponseDto> {
    const term = dto.term.trim().replace(/\s+/g, ' ');
    if (term === '') throw AppError.validation([{ path: 'term', message: 'term must not be blank' }]);
    return this.tx.answer(async (m) => {
      const now = new Date();
      const row = await this.keywords.insert(m, {
        id: randomUUID(),
        term,
        normalizedTerm: normalizeTerm(term),
        note: dto.note ?? null,
        addedAt: now,
      });
      await this.audit.record(m, actor, keywordAdded(row.id, term, dto.note ?? null), now);
      return toView(row);
    });
  }

  /** Retiring keeps the term (status retired); retiring it again changes nothing. */
  async retire(actor: Actor, id: string): Promise<KeywordResponseDto> {
    return this.tx.answer(async (m) => {
      const now = new Date();
      const row = await this.keywords.retire(m, id, now);
      if (row) {
        await this.audit.record(m, actor, keywordRetired(id, row.term), now);
        return toView(row);
      }
      const existing = await this.keywords.find(m, id);
      if (!existing) throw AppError.notFound('Keyword');
      return toView(existing);
    });
  }
}

function toView(r: KeywordRow): KeywordResponseDto {
  return {
    id: r.id,
    term: r.term,
    note: r.note,
    status: r.status,
    version: Number(r.version),
    addedAt: r.added_at.toISOString(),
    retiredAt: r.retired_at?.toISOString() ?? null,
  };
}
