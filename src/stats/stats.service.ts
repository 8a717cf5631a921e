import { Injectable } from '@nestjs/common';
import { IsISO8601, IsOptional } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import type { Actor } from '../auth/actor';
import { TransactionService } from '../database/transaction.service';
import { LINK_STATUSES, LinkStatus } from '../links/link.entity';
import { MarketplaceDirectory } from '../marketplaces/marketplace-directory';

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
  ) {}

  /** Hours to takedown run from a link's creation to the `at` the marketplace reported for the takedown. */
  async takedowns(
    actor: Actor,
    q: StatsQueryDto,
  ): Promise<{ from: string | null; to: string | null; marketplaces: MarketplaceStats[] }> {
    const params: unknown[] = [q.from ?? null, q.to ?? null];
    let scope = '';
    if (actor.role === 'marketplace') {
      params.push(await this.directory.ownedBy(actor));
      scope = 'WHERE m.id = ANY($3::uuid[])';
    }
    const rows = await this.tx.dataSource.query<
      {
        id: string;
        code: string;
        name: string;
        received: number;
        by_status: Record<string, number> | null;
        overdue: number;
        relisted: number;
        median: number | null;
        p90: number | null;
      }[]
    >(
      `SELECT m.id, m.code, m.name, coalesce(s.received, 0) AS received, s.by_status, coalesce(s.overdue, 0) AS overdue,
              coalesce(s.relisted, 0) AS relisted, s.median, s.p90
         FROM marketplaces m
         LEFT JOIN LATERAL (
           SELECT count(*)::int AS received,
                  (SELECT jsonb_object_agg(status, n) FROM (SELECT status, count(*)::int AS n FROM links x
                     WHERE x.marketplace_id = m.id AND ($1::timestamptz IS NULL OR x.created_at >= $1) AND ($2::timestamptz IS NULL OR x.created_at < $2)
                     GROUP BY status) c) AS by_status,
                  count(*) FILTER (WHERE l.status IN ('pending', 'acknowledged') AND l.due_at < now())::int AS overdue,
                  count(*) FILTER (WHERE l.relisted)::int AS relisted,
                  percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM l.resolved_at - l.created_at) / 3600)
                    FILTER (WHERE l.status = 'taken_down') AS median,
                  percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM l.resolved_at - l.created_at) / 3600)
                    FILTER (WHERE l.status = 'taken_down') AS p90
             FROM links l
            WHERE l.marketplace_id = m.id AND ($1::timestamptz IS NULL OR l.created_at >= $1) AND ($2::timestamptz IS NULL OR l.created_at < $2)
         ) s ON true
         ${scope}
        ORDER BY m.code`,
      params,
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
