import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { raw, sql, Sql, where } from '../database/sql';
import { linkIsOverdue } from '../links/link-state';
import type { LinkScope } from '../links/links.repository';

export interface MarketplaceStatsRow {
  id: string;
  code: string;
  name: string;
  received: number;
  by_status: Record<string, number> | null;
  overdue: number;
  relisted: number;
  median: number | null;
  p90: number | null;
}

/** Links under `alias` created in [from, to), either end open when absent. */
function createdWithin(alias: string, from: string | null, to: string | null): Sql {
  const a = raw(alias);
  return sql`(${from}::timestamptz IS NULL OR ${a}.created_at >= ${from}) AND (${to}::timestamptz IS NULL OR ${a}.created_at < ${to})`;
}

const hoursToTakedown = raw('extract(epoch FROM l.resolved_at - l.created_at) / 3600');

@Injectable()
export class StatsRepository {
  /** One row per marketplace the scope sees, in code order; hours run from creation to the reported takedown. */
  takedownsByMarketplace(
    m: EntityManager,
    scope: LinkScope,
    from: string | null,
    to: string | null,
  ): Promise<MarketplaceStatsRow[]> {
    return m.query<MarketplaceStatsRow[]>(
      ...sql`SELECT m.id, m.code, m.name, coalesce(s.received, 0) AS received, s.by_status, coalesce(s.overdue, 0) AS overdue,
              coalesce(s.relisted, 0) AS relisted, s.median, s.p90
         FROM marketplaces m
         LEFT JOIN LATERAL (
           SELECT count(*)::int AS received,
                  (SELECT jsonb_object_agg(status, n) FROM (SELECT status, count(*)::int AS n FROM links x
                     WHERE x.marketplace_id = m.id AND ${createdWithin('x', from, to)}
                     GROUP BY status) c) AS by_status,
                  count(*) FILTER (WHERE ${linkIsOverdue('l')})::int AS overdue,
                  count(*) FILTER (WHERE l.relisted)::int AS relisted,
                  percentile_cont(0.5) WITHIN GROUP (ORDER BY ${hoursToTakedown})
                    FILTER (WHERE l.status = 'taken_down') AS median,
                  percentile_cont(0.9) WITHIN GROUP (ORDER BY ${hoursToTakedown})
                    FILTER (WHERE l.status = 'taken_down') AS p90
             FROM links l
            WHERE l.marketplace_id = m.id AND ${createdWithin('l', from, to)}
         ) s ON true
         ${where([scope !== null && sql`m.id = ANY(${scope}::uuid[])`])}
        ORDER BY m.code`,
    );
  }
}
