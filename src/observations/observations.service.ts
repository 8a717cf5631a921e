import { Injectable } from '@nestjs/common';
import type { Actor } from '../auth/actor';
import { AuditWriter } from '../audit/audit.writer';
import type { BulkItems } from '../common/items-body';
import { TransactionService } from '../database/transaction.service';
import { readerScopeOf } from '../links/reader-scope';
import { MarketplaceDirectory } from '../marketplaces/marketplace-directory';
import { MatchingWorker } from '../matching/matching-worker.service';
import type { ObservationResultsResponseDto } from './dto/observation.dto';
import { ObservationItem, readObservation } from './observation-items';
import { judgeObservations, lookKey } from './observation-rules';
import { ObservationsRepository } from './observations.repository';

/**
 * Observations of links' listings, 1 to 5,000 a request, each item judged on its own (like acknowledgements). The
 * accepted ones, the links' latest observation and flag, and their events are written in one transaction; a
 * taken-down link seen online with listing evidence has that evidence matched after the commit.
 */
@Injectable()
export class ObservationsService {
  constructor(
    private readonly tx: TransactionService,
    private readonly audit: AuditWriter,
    private readonly directory: MarketplaceDirectory,
    private readonly matching: MatchingWorker,
    private readonly repository: ObservationsRepository,
  ) {}

  async observe(actor: Actor, dto: BulkItems): Promise<ObservationResultsResponseDto> {
    const now = new Date();
    const observer = actor.agencyId!;
    const items = dto.items.map((raw) => readObservation(raw, now));
    const ids = [
      ...new Set(items.filter((i): i is ObservationItem => typeof i !== 'string').map((i) => i.linkId)),
    ].sort();
    // A marketplace observes only its own links (others read as not_found); a ministry any.
    const scope = await readerScopeOf(actor, this.directory);
    const answer = await this.tx.answer(async (m) => {
      const links = new Map((await this.repository.lockLinks(m, ids, scope)).map((l) => [l.id, l]));
      const lockedIds = [...links.keys()];
      const known = new Set(
        (await this.repository.looksOf(m, lockedIds, observer)).map(([id, at]) => lookKey(id, at)),
      );
      const judged = judgeObservations(items, links, known);
      if (judged.observations.length > 0) {
        await this.repository.insert(m, judged.observations, observer, now);
        await this.repository.updateLinks(m, judged.changed, now);
        await this.matching.enqueue(
          m,
          { arrived: [], kept: [], observed: judged.observations.filter((o) => o.listing).map((o) => o.id) },
          now,
        );
        await this.audit.append(m, actor, judged.events, now);
      }
      // An item unreadable as an observation answers with the linkId it sent, if any.
      const results = judged.results.map((r) =>
        typeof items[r.index] === 'string' ? { ...r, linkId: sentLinkId(dto.items[r.index]) } : r,
      );
      return { results };
    });
    this.matching.kick();
    return answer;
  }
}

function sentLinkId(item: unknown): string {
  const id = (item as { linkId?: unknown } | null)?.linkId;
  return typeof id === 'string' ? id.slice(0, 100) : '';
}
