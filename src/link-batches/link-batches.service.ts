import { Injectable } from '@nestjs/common';
import type { Actor } from '../auth/actor';
import { EntityManager } from 'typeorm';
import { AuditRecord, linkBatchCancelled, linkWithdrawn } from '../audit/audit-events';
import { AuditWriter } from '../audit/audit.writer';
import { AppError } from '../errors/app-error';
import { decodeCursor, Page, toPage } from '../common/pagination';
import { TransactionService } from '../database/transaction.service';
import { LinkStatus, LINK_STATUSES } from '../links/link.entity';
import { MarketplaceDirectory } from '../marketplaces/marketplace-directory';
import { BatchStatus, CancelBatchDto, ListBatchesQueryDto } from './dto/link-batch.dto';

export type StatusCounts = Record<LinkStatus, number>;

export interface BatchView {
  id: string;
  reference: string;
  legalBasis: string;
  category: string | null;
  note: string | null;
  dueAt: string | null;
  status: BatchStatus;
  linkCount: number;
  createdAt: string;
  cancelledAt: string | null;
  cancelReason: string | null;
}

export interface BatchDetail extends BatchView {
  statusCounts: StatusCounts;
  byMarketplace: { marketplaceId: string; code: string; statusCounts: StatusCounts; overdue: number }[];
  overdue: number;
}

interface BatchRow {
  id: string;
  reference: string;
  legal_basis: string;
  category: string | null;
  note: string | null;
  due_at: Date | null;
  /** link_count, or for a marketplace the number of its own links in the batch. */
  visible_link_count: number;
  created_at: Date;
  cancelled_at: Date | null;
  cancel_reason: string | null;
  status: BatchStatus;
}

const emptyCounts = (): StatusCounts => Object.fromEntries(LINK_STATUSES.map((s) => [s, 0])) as StatusCounts;

/**
 * A batch's status is derived from its links, scoped to what the caller may see:
 * cancelled, else completed (no open link), else open (no link acted on), else in_progress.
 */
const STATUS_SQL = (scope: string) => `CASE
    WHEN b.cancelled_at IS NOT NULL THEN 'cancelled'
    WHEN NOT EXISTS (SELECT 1 FROM links l WHERE l.batch_id = b.id ${scope} AND l.status IN ('pending', 'acknowledged')) THEN 'completed'
    WHEN NOT EXISTS (SELECT 1 FROM links l WHERE l.batch_id = b.id ${scope}
                       AND l.status IN ('acknowledged', 'taken_down', 'not_found', 'rejected', 'withdrawn')) THEN 'open'
    ELSE 'in_progress' END`;

/** The batch's link count as the caller may see it: a marketplace counts only its own links. */
const LINK_COUNT_SQL = (scope: string) =>
  scope ? `(SELECT count(*)::int FROM links l WHERE l.batch_id = b.id ${scope})` : 'b.link_count';

@Injectable()
export class LinkBatchesService {
  constructor(
    private readonly tx: TransactionService,
    private readonly audit: AuditWriter,
    private readonly directory: MarketplaceDirectory,
  ) {}

  async list(actor: Actor, q: ListBatchesQueryDto): Promise<Page<BatchView>> {
    const limit = q.limit ?? 100;
    const params: unknown[] = [];
    const where: string[] = [];
    const scope = await this.scope(actor, params);
    if (scope) where.push(`EXISTS (SELECT 1 FROM links l WHERE l.batch_id = b.id ${scope})`);
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    const cursor = decodeCursor(q.cursor, ['timestamp', 'uuid']);
    if (cursor) {
      params.push(cursor[0], cursor[1]);
      where.push(`(b.created_at, b.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    if (q.createdFrom) add('b.created_at >= ?', q.createdFrom);
    if (q.createdTo) add('b.created_at < ?', q.createdTo);
    const statusFilter = q.status ? (params.push(q.status), `WHERE status = $${params.length}`) : '';
    params.push(limit + 1);
    const rows = await this.tx.dataSource.query<BatchRow[]>(
      `SELECT * FROM (
         SELECT b.*, ${STATUS_SQL(scope)} AS status, ${LINK_COUNT_SQL(scope)} AS visible_link_count FROM link_batches b
          ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
          ORDER BY b.created_at DESC, b.id DESC
       ) s ${statusFilter} LIMIT $${params.length}`,
      params,
    );
    return toPage(rows.map(toView), limit, (b) => [b.createdAt, b.id]);
  }

  /** Read with the caller's manager inside a transaction, so a cancel answers with what it committed. */
  async get(actor: Actor, id: string, m: EntityManager = this.tx.dataSource.manager): Promise<BatchDetail> {
    const params: unknown[] = [id];
    const scope = await this.scope(actor, params);
    const [batch] = await m.query<BatchRow[]>(
      `SELECT b.*, ${STATUS_SQL(scope)} AS status, ${LINK_COUNT_SQL(scope)} AS visible_link_count FROM link_batches b
        WHERE b.id = $1 ${scope ? `AND EXISTS (SELECT 1 FROM links l WHERE l.batch_id = b.id ${scope})` : ''}`,
      params,
    );
    if (!batch) throw AppError.notFound('Link batch');
    const counts = await m.query<
      { marketplace_id: string; code: string; status: LinkStatus; n: number; overdue: number }[]
    >(
      `SELECT l.marketplace_id, m.code, l.status, count(*)::int AS n,
              count(*) FILTER (WHERE l.status IN ('pending', 'acknowledged') AND l.due_at < now())::int AS overdue
         FROM links l JOIN marketplaces m ON m.id = l.marketplace_id
        WHERE l.batch_id = $1 ${scope}
        GROUP BY l.marketplace_id, m.code, l.status`,
      params,
    );
    const statusCounts = emptyCounts();
    const byMarketplace = new Map<string, BatchDetail['byMarketplace'][number]>();
    let overdue = 0;
    for (const c of counts) {
      statusCounts[c.status] += c.n;
      overdue += c.overdue;
      const entry = byMarketplace.get(c.marketplace_id) ?? {
        marketplaceId: c.marketplace_id,
        code: c.code,
        statusCounts: emptyCounts(),
        overdue: 0,
      };
      entry.statusCounts[c.status] += c.n;
      entry.overdue += c.overdue;
      byMarketplace.set(c.marketplace_id, entry);
    }
    return {
      ...toView(batch),
      statusCounts,
      byMarketplace: [...byMarketplace.values()].sort((a, b) => a.code.localeCompare(b.code)),
      overdue,
    };
  }

  /** Withdraws every link not yet final; cancelling twice is a 409 naming the current state. */
  async cancel(actor: Actor, id: string, dto: CancelBatchDto): Promise<BatchDetail> {
    return this.tx.answer(async (m) => {
      const [batch] = await m.query<{ cancelled_at: Date | null }[]>(
        'SELECT cancelled_at FROM link_batches WHERE id = $1 FOR UPDATE',
        [id],
      );
      if (!batch) throw AppError.notFound('Link batch');
      if (batch.cancelled_at)
        throw AppError.conflict('BATCH_ALREADY_CANCELLED', 'The batch is already cancelled');
      const now = new Date();
      // Wrapped in a SELECT: TypeORM hands back [rows, count] for a bare UPDATE … RETURNING.
      const withdrawn = await m.query<{ id: string; status: LinkStatus; agency_id: string }[]>(
        `WITH target AS (
           SELECT l.id, l.status FROM links l WHERE l.batch_id = $1 AND l.status IN ('pending', 'acknowledged') ORDER BY l.id FOR UPDATE
         ), changed AS (
           UPDATE links l SET status = 'withdrawn', status_reason = $2, updated_at = $3, resolved_at = $3
             FROM target t, marketplaces m
            WHERE l.id = t.id AND m.id = l.marketplace_id
           RETURNING l.id, t.status, m.agency_id
         )
         SELECT * FROM changed ORDER BY id`,
        [id, dto.reason, now],
      );
      await m.query('UPDATE link_batches SET cancelled_at = $2, cancel_reason = $3 WHERE id = $1', [
        id,
        now,
        dto.reason,
      ]);
      const events: AuditRecord[] = [
        linkBatchCancelled(id, dto.reason, withdrawn.length),
        ...withdrawn.map((w) => linkWithdrawn(w.id, w.agency_id, w.status, dto.reason, 'batch')),
      ];
      await this.audit.append(m, actor, events, now);
      return this.get(actor, id, m);
    });
  }

  /** A marketplace sees only its own links of a batch: every query about batches carries this clause. */
  private async scope(actor: Actor, params: unknown[]): Promise<string> {
    if (actor.role !== 'marketplace') return '';
    params.push(await this.directory.ownedBy(actor));
    return `AND l.marketplace_id = ANY($${params.length}::uuid[])`;
  }
}

function toView(b: BatchRow): BatchView {
  return {
    id: b.id,
    reference: b.reference,
    legalBasis: b.legal_basis,
    category: b.category,
    note: b.note,
    dueAt: b.due_at?.toISOString() ?? null,
    status: b.status,
    linkCount: b.visible_link_count,
    createdAt: b.created_at.toISOString(),
    cancelledAt: b.cancelled_at?.toISOString() ?? null,
    cancelReason: b.cancel_reason,
  };
}
