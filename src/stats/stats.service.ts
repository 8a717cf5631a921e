import { Injectable } from '@nestjs/common';
import { IsISO8601, IsOptional } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import type { Actor } from '../auth/actor';
import { TransactionService } from '../database/transaction.service';
import { LINK_STATUSES, LinkStatus } from '../links/link.entity';
import { MarketplaceDirectory } from '../marketplaces/marketplace-directory';
import { StatsRepository } from './stats.repository';

export class StatsQueryDto {
  @ApiPropertyOptional({ format: 'date-time', description: 'Links created at or after' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Links created before' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

export interface MarketplaceStats {
  marketplaceId: string;
  code: string;
  name: string;
  received: number;
  byStatus: Record<LinkStatus, number>;
  overdue: number;
  relisted: number;
  medianHoursToTakedown: number | null;
  p90HoursToTakedown: number | null;
}

@Injectable()
export class StatsService {
  constructor(
    private readonly tx: TransactionService,
    private readonly directory: MarketplaceDirectory,
    private readonly stats: StatsRepository,
  ) {}

  /** Hours to takedown run from a link's creation to the `at` the marketplace reported for the takedown. */
  async takedowns(
    actor: Actor,
    q: StatsQueryDto,
  ): Promise<{ from: string | null; to: string | null; marketplaces: MarketplaceStats[] }> {
    const scope = actor.role === 'marketplace' ? await this.directory.ownedBy(actor) : null;
    const rows = await this.stats.takedownsByMarketplace(
      this.tx.dataSource.manager,
      scope,
      q.from ?? null,
      q.to ?? null,
    );
    const round = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);
    return {
      from: q.from ?? null,
      to: q.to ?? null,
      marketplaces: rows.map((r) => ({
        marketplaceId: r.id,
        code: r.code,
        name: r.name,
        received: r.received,
        byStatus: Object.fromEntries(LINK_STATUSES.map((s) => [s, r.by_status?.[s] ?? 0])) as Record<
          LinkStatus,
          number
        >,
        overdue: r.overdue,
        relisted: r.relisted,
        medianHoursToTakedown: round(r.median),
        p90HoursToTakedown: round(r.p90),
      })),
    };
  }
}
