import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { sql, where } from '../database/sql';
import type { LinkStatus } from '../links/link.entity';
import { linkVisibleTo, ReaderScope } from '../links/reader-scope';
import type { ClarificationStatus } from './dto/clarification.dto';

/** A link as a question about it needs it: who runs its marketplace, and which ministry notified it (if one did). */
export interface QuestionedLink {
  id: string;
  status: LinkStatus;
  marketplace_id: string;
  marketplace_agency_id: string;
  notifier_agency_id: string | null;
}

export interface ClarificationRow {
  id: string;
  link_id: string;
  marketplace_id: string;
  marketplace_agency_id: string;
  notifier_agency_id: string;
  question: string;
  asked_at: Date;
  answer: string | null;
  answered_at: Date | null;
}

export interface ClarificationFilter {
  linkId?: string;
  status?: ClarificationStatus;
}

const COLUMNS = sql`c.id, c.link_id, l.marketplace_id, mk.agency_id AS marketplace_agency_id,
                    b.submitted_by_agency_id AS notifier_agency_id, c.question, c.asked_at, c.answer, c.answered_at
               FROM clarifications c
               JOIN links l ON l.id = c.link_id
               JOIN marketplaces mk ON mk.id = l.marketplace_id
               JOIN link_batches b ON b.id = l.batch_id`;

@Injectable()
export class ClarificationsRepository {
  async findLink(m: EntityManager, id: string, scope: ReaderScope): Promise<QuestionedLink | undefined> {
    const [link] = await m.query<QuestionedLink[]>(
      ...sql`SELECT l.id, l.status, l.marketplace_id, mk.agency_id AS marketplace_agency_id,
                    b.submitted_by_agency_id AS notifier_agency_id
               FROM links l
               JOIN marketplaces mk ON mk.id = l.marketplace_id
               LEFT JOIN link_batches b ON b.id = l.batch_id
              ${where([sql`l.id = ${id}`, linkVisibleTo(scope)])}`,
    );
    return link;
  }

  async insert(
    m: EntityManager,
    c: { id: string; linkId: string; askedByAgencyId: string; question: string; askedAt: Date },
  ): Promise<void> {
    await m.query(
      ...sql`INSERT INTO clarifications (id, link_id, asked_by_agency_id, question, asked_at)
             VALUES (${c.id}, ${c.linkId}, ${c.askedByAgencyId}, ${c.question}, ${c.askedAt})`,
    );
  }

  /** Answers the question if it is still open; false when it was answered already (by this call's rival, say). */
  async answer(m: EntityManager, id: string, answer: string, agencyId: string, at: Date): Promise<boolean> {
    const rows = await m.query<{ id: string }[]>(
      ...sql`WITH answered AS (
               UPDATE clarifications SET answer = ${answer}, answered_by_agency_id = ${agencyId}, answered_at = ${at}
                WHERE id = ${id} AND answer IS NULL RETURNING id)
             SELECT id FROM answered`,
    );
    return rows.length === 1;
  }

  async find(m: EntityManager, id: string, scope: ReaderScope): Promise<ClarificationRow | undefined> {
    const [row] = await m.query<ClarificationRow[]>(
      ...sql`SELECT ${COLUMNS} ${where([sql`c.id = ${id}`, linkVisibleTo(scope)])}`,
    );
    return row;
  }

  /** Newest first, keyed by (askedAt, id); `limit + 1` rows so the caller knows whether a page follows. */
  list(
    m: EntityManager,
    scope: ReaderScope,
    filter: ClarificationFilter,
    page: { limit: number; after: [string, string] | null },
  ): Promise<ClarificationRow[]> {
    const conditions = [
      linkVisibleTo(scope),
      filter.linkId !== undefined && sql`c.link_id = ${filter.linkId}`,
      filter.status === 'open' && sql`c.answer IS NULL`,
      filter.status === 'answered' && sql`c.answer IS NOT NULL`,
      page.after !== null &&
        sql`(c.asked_at, c.id) < (${page.after[0]}::timestamptz, ${page.after[1]}::uuid)`,
    ];
    return m.query<ClarificationRow[]>(
      ...sql`SELECT ${COLUMNS} ${where(conditions)} ORDER BY c.asked_at DESC, c.id DESC LIMIT ${page.limit + 1}`,
    );
  }
}
