import { Injectable } from '@nestjs/common';
import type { Actor } from '../auth/actor';
import { TransactionService } from '../database/transaction.service';
import type { LinkSource, LinkStatus } from '../links/link.entity';
import { MarketplaceDirectory } from '../marketplaces/marketplace-directory';
import { StatsQueryDto } from './dto/stats-query.dto';
import {
  LinksByStatusResponseDto,
  MarketplaceStatsResponseDto,
  NotifierStatsListResponseDto,
  TakedownStatsResponseDto,
} from './dto/stats-response.dto';
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

  /** Each ministry's accuracy as a notifier: of its links a marketplace decided, the share taken down. */
  async notifiers(q: StatsQueryDto): Promise<NotifierStatsListResponseDto> {
    const rows = await this.stats.notifiers(this.tx.dataSource.manager, q.from ?? null, q.to ?? null);
    return {
      from: q.from ?? null,
      to: q.to ?? null,
      notifiers: rows.map((r) => ({
        agencyId: r.id,
        code: r.code,
        name: r.name,
        notified: r.notified,
        coNotified: r.co_notified,
        decided: r.decided,
        takenDown: r.taken_down,
        accuracy: r.decided === 0 ? null : Math.round((r.taken_down / r.decided) * 10_000) / 10_000,
        objections: r.objections,
        objectionsUpheld: r.objections_upheld,
        medianHoursToTakedown: round(r.median),
      })),
    };
  }
}

const round = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);

function byStatus(n: (status: LinkStatus) => number): LinksByStatusResponseDto {
  return {
    pending: n('pending'),
    acknowledged: n('acknowledged'),
    taken_down: n('taken_down'),
    not_found: n('not_found'),
    rejected: n('rejected'),
    withdrawn: n('withdrawn'),
    reinstated: n('reinstated'),
  };
}

/** The totals count both sources (the association's figures were a compilation of both); hours are the ministry's. */
function toMarketplaceStats(r: MarketplaceStatsRow): MarketplaceStatsResponseDto {
  const n = (source: LinkSource) => (status: LinkStatus) => r.by_source_status?.[`${source}:${status}`] ?? 0;
  const medianHoursToTakedown = round(r.median);
  const p90HoursToTakedown = round(r.p90);
  return {
    marketplaceId: r.id,
    code: r.code,
    name: r.name,
    received: r.ministry_received + r.marketplace_received,
    byStatus: byStatus((status) => n('ministry')(status) + n('marketplace')(status)),
    overdue: r.overdue,
    relisted: r.ministry_relisted + r.marketplace_relisted,
    medianHoursToTakedown,
    p90HoursToTakedown,
    observed: r.observed,
    stayedDown: r.stayed_down,
    stayDownRate: r.observed === 0 ? null : Math.round((r.stayed_down / r.observed) * 10_000) / 10_000,
    reappeared: r.reappeared,
    accountActions: {
      none: r.account_actions?.none ?? 0,
      warned: r.account_actions?.warned ?? 0,
      suspended: r.account_actions?.suspended ?? 0,
      terminated: r.account_actions?.terminated ?? 0,
    },
    bySource: {
      ministry: {
        received: r.ministry_received,
        byStatus: byStatus(n('ministry')),
        relisted: r.ministry_relisted,
        overdue: r.overdue,
        medianHoursToTakedown,
        p90HoursToTakedown,
      },
      marketplace: {
        received: r.marketplace_received,
        byStatus: byStatus(n('marketplace')),
        relisted: r.marketplace_relisted,
      },
    },
  };
}
