import { Injectable } from '@nestjs/common';
import type { Actor } from '../auth/actor';
import { EntityManager } from 'typeorm';
import { linkBatchCancelled, linkWithdrawn } from '../audit/audit-events';
import { AuditWriter } from '../audit/audit.writer';
import { AppError } from '../errors/app-error';
import { decodeCursor, Page, toPage } from '../common/pagination';
import { TransactionService } from '../database/transaction.service';
import { MarketplaceDirectory } from '../marketplaces/marketplace-directory';
import { BatchDetail, BatchView, tallyStatusCounts, toView } from './batch-view';
import { CancelBatchDto, ListBatchesQueryDto } from './dto/link-batch.dto';
import { BatchScope, LinkBatchesRepository } from './link-batches.repository';
import { readerScopeOf } from '../links/reader-scope';

export type { BatchDetail, BatchView, StatusCounts } from './batch-view';

@Injectable()
export class LinkBatchesService {
  constructor(
    private readonly tx: TransactionService,
    private readonly audit: AuditWriter,
    private readonly directory: MarketplaceDirectory,
    private readonly repository: LinkBatchesRepository,
  ) {}

  async list(actor: Actor, q: ListBatchesQueryDto): Promise<Page<BatchView>> {
    const limit = q.limit ?? 100;
    const scope = await this.scope(actor);
    const rows = await this.repository.list(this.tx.dataSource.manager, scope, {
      status: q.status,
      createdFrom: q.createdFrom,
      createdTo: q.createdTo,
      after: decodeCursor(q.cursor, ['timestamp', 'uuid']),
      limit,
    });
    return toPage(rows.map(toView), limit, (b) => [b.createdAt, b.id]);
  }

  /** Read with the caller's manager inside a transaction, so a cancel answers with what it committed. */
  async get(actor: Actor, id: string, m: EntityManager = this.tx.dataSource.manager): Promise<BatchDetail> {
    const scope = await this.scope(actor);
    const batch = await this.repository.findVisible(m, scope, id);
    if (!batch) throw AppError.notFound('Link batch');
    const counts = await this.repository.statusCounts(m, scope, id);
    return { ...toView(batch), ...tallyStatusCounts(counts) };
  }

  /** Withdraws every link not yet final; cancelling twice is a 409 naming the current state. */
  async cancel(actor: Actor, id: string, dto: CancelBatchDto): Promise<BatchDetail> {
    return this.tx.answer(async (m) => {
      const batch = await this.repository.lockBatch(m, id);
      // Another ministry's batch is not there for it (it cannot read it either).
      if (!batch || batch.submitted_by_agency_id !== actor.agencyId) throw AppError.notFound('Link batch');
      if (batch.cancelled_at)
        throw AppError.conflict('BATCH_ALREADY_CANCELLED', 'The batch is already cancelled');
      const now = new Date();
      const withdrawn = await this.repository.withdrawOpenLinks(m, id, dto.reason, now);
      await this.repository.markCancelled(m, id, dto.reason, now);
      await this.audit.append(
        m,
        actor,
        [
          linkBatchCancelled(id, dto.reason, withdrawn.length),
          ...withdrawn.map((w) => linkWithdrawn(w.id, w.agency_id, w.status, dto.reason, 'batch')),
        ],
        now,
      );
      return this.get(actor, id, m);
    });
  }

  /** Every query about batches is scoped by this: a marketplace sees its own links of a batch, a ministry its batches. */
  private scope(actor: Actor): Promise<BatchScope> {
    return readerScopeOf(actor, this.directory);
  }
}
