import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { raw, sql, Sql, where } from '../database/sql';
import { linkIsOverdue } from '../links/link-state';
import type { LinkScope } from '../links/links.repository';

export interface MarketplaceStatsRow {
  id: string;
  code: string;
  name: string;
  ministry_received: number;
  marketplace_received: number;
  /** Keyed `source:status`. */
  by_source_status: Record<string, number> | null;
  overdue: number;
  ministry_relisted: number;
  marketplace_relisted: number;
  median: number | null;
  p90: number | null;
  observed: number;
  stayed_down: number;
  reappeared: number;
  /** Keyed by the statement of reasons' account action. */
  account_actions: Record<string, number> | null;
}

/** Links under `alias` created in [from, to), either end open when absent. */
function createdWithin(alias: string, from: string | null, to: string | null): Sql {
  const a = raw(alias);
  return sql`(${from}::timestamptz IS NULL OR ${a}.created_at >= ${from}) AND (${to}::timestamptz IS NULL OR ${a}.created_at < ${to})`;
}

const hoursToTakedown = raw('extract(epoch FROM l.resolved_at - l.created_at) / 3600');

export interface NotifierStatsRow {
  id: string;
  code: string;
  name: string;
  notified: number;
  co_notified: number;
  decided: number;
  taken_down: number;
  objections: number;
  objections_upheld: number;
  median: number | null;
}

@Injectable()
export class StatsRepository {
  /** One row per ministry, in code order, over the links created in the period that its batches opened. */
  notifiers(m: EntityManager, from: string | null, to: string | null): Promise<NotifierStatsRow[]> {
    return m.query<NotifierStatsRow[]>(
      ...sql`SELECT a.id, a.code, a.name, coalesce(s.notified, 0) AS notified, coalesce(s.decided, 0) AS decided,
              coalesce(s.taken_down, 0) AS taken_down, s.median,
              coalesce(s.objections, 0) AS objections, coalesce(s.objections_upheld, 0) AS objections_upheld,
              (SELECT count(*)::int FROM link_notifiers n JOIN links x ON x.id = n.link_id
                WHERE n.agency_id = a.id AND ${createdWithin('x', from, to)}) AS co_notified
         FROM agencies a
         LEFT JOIN LATERAL (
           SELECT count(*)::int AS notified,
                  count(*) FILTER (WHERE l.status IN ('taken_down', 'not_found', 'rejected', 'reinstated'))::int
                    AS decided,
                  count(*) FILTER (WHERE l.status = 'taken_down')::int AS taken_down,
                  percentile_cont(0.5) WITHIN GROUP (ORDER BY ${hoursToTakedown})
                    FILTER (WHERE l.status = 'taken_down') AS median,
                  sum(o.filed)::int AS objections, sum(o.upheld)::int AS objections_upheld
             FROM link_batches b JOIN links l ON l.batch_id = b.id
             CROSS JOIN LATERAL (SELECT count(*) AS filed, count(*) FILTER (WHERE o.status = 'upheld') AS upheld
                                   FROM objections o WHERE o.link_id = l.id) o
            WHERE b.submitted_by_agency_id = a.id AND ${createdWithin('l', from, to)}
         ) s ON true
        WHERE a.type = 'ministry'
        ORDER BY a.code`,
    );
  }

  /** One row per marketplace the scope sees, in code order; hours run from creation to the reported takedown. */
  takedownsByMarketplace(
    m: EntityManager,
    scope: LinkScope,
    from: string | null,
    to: string | null,
  ): Promise<MarketplaceStatsRow[]> {
    return m.query<MarketplaceStatsRow[]>(
      ...sql`SELECT m.id, m.code, m.name, coalesce(s.ministry_received, 0) AS ministry_received,
              coalesce(s.marketplace_received, 0) AS marketplace_received, s.by_source_status,
              coalesce(s.overdue, 0) AS overdue, coalesce(s.ministry_relisted, 0) AS ministry_relisted,
              coalesce(s.marketplace_relisted, 0) AS marketplace_relisted, s.median, s.p90,
              coalesce(s.observed, 0) AS observed, coalesce(s.stayed_down, 0) AS stayed_down,
              coalesce(s.reappeared, 0) AS reappeared,
              (SELECT jsonb_object_agg(account, n) FROM (SELECT x.decision->>'account' AS account, count(*)::int AS n
                 FROM links x WHERE x.marketplace_id = m.id AND x.decision IS NOT NULL AND ${createdWithin('x', from, to)}
                GROUP BY 1) a) AS account_actions
         FROM marketplaces m
         LEFT JOIN LATERAL (
           SELECT count(*) FILTER (WHERE l.source = 'ministry')::int AS ministry_received,
                  count(*) FILTER (WHERE l.source = 'marketplace')::int AS marketplace_received,
                  (SELECT jsonb_object_agg(source || ':' || status, n) FROM (SELECT source, status, count(*)::int AS n
                     FROM links x WHERE x.marketplace_id = m.id AND ${createdWithin('x', from, to)}
                     GROUP BY source, status) c) AS by_source_status,
                  count(*) FILTER (WHERE ${linkIsOverdue('l')})::int AS overdue,
                  count(*) FILTER (WHERE l.relisted AND l.source = 'ministry')::int AS ministry_relisted,
                  count(*) FILTER (WHERE l.relisted AND l.source = 'marketplace')::int AS marketplace_relisted,
                  -- A marketplace's own report is taken down before the exchange knows it: no hours to count.
                  percentile_cont(0.5) WITHIN GROUP (ORDER BY ${hoursToTakedown})
                    FILTER (WHERE l.status = 'taken_down' AND l.source = 'ministry') AS median,
                  percentile_cont(0.9) WITHIN GROUP (ORDER BY ${hoursToTakedown})
                    FILTER (WHERE l.status = 'taken_down' AND l.source = 'ministry') AS p90,
                  -- Stay-down: taken-down links by their latest observation.
                  count(*) FILTER (WHERE l.status = 'taken_down' AND l.last_observed_at IS NOT NULL)::int AS observed,
                  count(*) FILTER (WHERE l.status = 'taken_down'
                                     AND l.last_observation->>'result' IN ('offline', 'not_found'))::int AS stayed_down,
                  count(*) FILTER (WHERE l.reappeared)::int AS reappeared
             FROM links l
            WHERE l.marketplace_id = m.id AND ${createdWithin('l', from, to)}
         ) s ON true
         ${where([scope !== null && sql`m.id = ANY(${scope}::uuid[])`])}
        ORDER BY m.code`,
    );
  }
}
