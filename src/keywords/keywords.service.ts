import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Actor } from '../auth/actor';
import { AuditWriter } from '../audit/audit.writer';
import { keywordAdded, keywordRetired } from '../audit/audit-events';
import { AppError } from '../errors/app-error';
import { TransactionService } from '../database/transaction.service';
import { AddKeywordDto, KeywordsQueryDto } from './dto/keyword.dto';

export interface KeywordView {
  id: string;
  term: string;
  note: string | null;
  status: 'active' | 'retired';
  version: number;
  addedAt: string;
  retiredAt: string | null;
}

interface KeywordRow {
  id: string;
  term: string;
  note: string | null;
  status: 'active' | 'retired';
  version: string;
  added_at: Date;
  retired_at: Date | null;
}

export const normalizeTerm = (term: string) => term.trim().replace(/\s+/g, ' ').toLowerCase();

@Injectable()
export class KeywordsService {
  constructor(
    private readonly tx: TransactionService,
    private readonly audit: AuditWriter,
  ) {}

  /** The whole watchlist, or with sinceVersion only what changed after it (retired terms included, to sync deletions). */
  async list(_actor: Actor, q: KeywordsQueryDto): Promise<{ version: number; items: KeywordView[] }> {
    const rows = await this.tx.dataSource.query<KeywordRow[]>(
      `SELECT id, term, note, status, version, added_at, retired_at FROM keywords
        WHERE ($1::bigint IS NULL AND status = 'active') OR version > $1::bigint ORDER BY version`,
      [q.sinceVersion ?? null],
    );
    const [{ version }] = await this.tx.dataSource.query<{ version: string }[]>(
      'SELECT coalesce(max(version), 0) AS version FROM keywords',
    );
    return { version: Number(version), items: rows.map(toView) };
  }

  async add(actor: Actor, dto: AddKeywordDto): Promise<KeywordView> {
    const term = dto.term.trim().replace(/\s+/g, ' ');
    if (term === '') throw AppError.validation([{ path: 'term', message: 'term must not be blank' }]);
    return this.tx.answer(async (m) => {
      const now = new Date();
      const [row] = await m.query<KeywordRow[]>(
        `INSERT INTO keywords (id, term, normalized_term, note, status, version, added_at)
         VALUES ($1, $2, $3, $4, 'active', nextval('keyword_version_seq'), $5)
         RETURNING id, term, note, status, version, added_at, retired_at`,
        [randomUUID(), term, normalizeTerm(term), dto.note ?? null, now],
      );
      await this.audit.record(m, actor, keywordAdded(row.id, term, dto.note ?? null), now);
      return toView(row);
    });
  }

  /** Retiring keeps the term (status retired); retiring it again changes nothing. */
  async retire(actor: Actor, id: string): Promise<KeywordView> {
    return this.tx.answer(async (m) => {
      const now = new Date();
      const [row] = await m.query<KeywordRow[]>(
        `WITH retired AS (
           UPDATE keywords SET status = 'retired', retired_at = $2, version = nextval('keyword_version_seq')
            WHERE id = $1 AND status = 'active' RETURNING id, term, note, status, version, added_at, retired_at
         ) SELECT * FROM retired`,
        [id, now],
      );
      if (row) {
        await this.audit.record(m, actor, keywordRetired(id, row.term), now);
        return toView(row);
      }
      const [existing] = await m.query<KeywordRow[]>(
        'SELECT id, term, note, status, version, added_at, retired_at FROM keywords WHERE id = $1',
        [id],
      );
      if (!existing) throw AppError.notFound('Keyword');
      return toView(existing);
    });
  }
}

function toView(r: KeywordRow): KeywordView {
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
