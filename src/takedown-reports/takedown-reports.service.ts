import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Actor } from '../auth/actor';
import { AuditWriter } from '../audit/audit.writer';
import type { BulkItems } from '../common/items-body';
import { TransactionService } from '../database/transaction.service';
import { MarketplaceDirectory } from '../marketplaces/marketplace-directory';
import { MatchingWorker } from '../matching/matching-worker.service';
import { TakedownReportResponseDto } from './dto/takedown-report.dto';
import {
  judgeReport,
  refuseKnown,
  reportEvents,
  reportResults,
  takedownOf,
  withPriors,
} from './takedown-report-rules';
import { lockListingsOf } from '../link-batches/link-batches.repository';
import { TakedownReportsRepository } from './takedown-reports.repository';

/**
 * Listings a marketplace took down on its own initiative become its links, already taken down. Items are judged one
 * by one; the accepted ones, the report and their events are written in one transaction with set-based SQL. A
 * report that accepts nothing writes nothing (like acknowledgements) and answers 200 with reportId null.
 */
@Injectable()
export class TakedownReportsService {
  constructor(
    private readonly tx: TransactionService,
    private readonly audit: AuditWriter,
    private readonly directory: MarketplaceDirectory,
    private readonly matching: MatchingWorker,
    private readonly repository: TakedownReportsRepository,
  ) {}

  async file(actor: Actor, dto: BulkItems): Promise<TakedownReportResponseDto> {
    const now = new Date();
    const [router, owned] = await Promise.all([this.directory.router(), this.directory.ownedBy(actor)]);
    const { candidates, refused } = judgeReport(dto.items, router, owned, now);
    const itemCount = dto.items.length;
    const answer = await this.tx.answer(async (m) => {
      if (candidates.length === 0) return { reportId: null, results: reportResults(itemCount, refused, []) };
      await lockListingsOf(
        m,
        candidates.map((c) => c.marketplaceId),
      );
      const reportId = randomUUID();
      const written = await this.repository.insertReport(
        m,
        { id: reportId, agencyId: actor.agencyId, clientId: actor.clientId, itemCount, createdAt: now },
        candidates,
      );
      const accepted = withPriors(candidates, written.inserted);
      const notInserted = candidates.filter((c) => !written.inserted.has(c.id));
      const conflicting = refuseKnown(refused, notInserted, 'open_link_exists', written.open, (c) => c.id);
      if (conflicting.length > 0) {
        const earlier = await this.repository.findReported(m, conflicting);
        const byTakedown = new Map(
          earlier.map((r) => [
            takedownOf({
              marketplaceId: r.marketplace_id,
              listingKey: r.listing_key,
              takenDownAt: r.resolved_at,
            }),
            r.id,
          ]),
        );
        refuseKnown(refused, conflicting, 'already_reported', byTakedown, takedownOf);
      }
      const results = reportResults(itemCount, refused, accepted);
      if (accepted.length === 0) return { reportId: null, results };

      await this.matching.enqueue(m, { arrived: accepted.map((l) => l.id), kept: [] }, now);
      await this.audit.append(m, actor, reportEvents(reportId, actor.agencyId, itemCount, accepted), now);
      return { reportId, results };
    });
    this.matching.kick();
    return answer;
  }
}
