import { Injectable } from '@nestjs/common';
import type { Actor } from '../auth/actor';
import { TransactionService } from '../database/transaction.service';
import type { LinkStatus } from '../links/link.entity';
import { MarketplaceDirectory } from '../marketplaces/marketplace-directory';
import { StatsQueryDto } from './dto/stats-query.dto';
import { MarketplaceStatsResponseDto, TakedownStatsResponseDto } from './dto/stats-response.dto';
import { MarketplaceStatsRow, StatsRepository } from './stats.repository';

@Injectable()
export class StatsService {
  constructor(
    private readonly tx: TransactionService,
    private readonly directory: MarketplaceDirectory,
    private readonly stats: StatsRepository,
  ) {}

  /** Hours to takedown run from a link's creation to the `at` the marketplace reported for the takedown. */
  async takedowns(actor: Actor, q: StatsQueryDto): Promise<TakedownStatsResponseDto> {
    const scope = actor.role === 'marketplace' ? await this.directory.ownedBy(actor) : null;
    const rows = await this.stats.takedownsByMarketplace(
      this.tx.dataSource.manager,
      scope,
      q.from ?? null,
      q.to ?? null,
    );
    return { from: q.from ?? null, to: q.to ?? null, marketplaces: rows.map(toMarketplaceStats) };
  }
}

const round = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);

function toMarketplaceStats(r: MarketplaceStatsRow): MarketplaceStatsResponseDto {
  const n = (status: LinkStatus) => r.by_status?.[status] ?? 0;
  return {
    marketplaceId: r.id,
    code: r.code,
    name: r.name,
    received: r.received,
    byStatus: {
      pending: n('pending'),
      acknowledged: n('acknowledged'),
      taken_down: n('taken_down'),
      not_found: n('not_found'),
      rejected: n('rejected'),
      withdrawn: n('withdrawn'),
    },
    overdue: r.overdue,
    relisted: r.relisted,
    medianHoursToTakedown: round(r.median),
    p90HoursToTakedown: round(r.p90),
  };
}
