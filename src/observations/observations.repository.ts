import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { sql, where } from '../database/sql';
import { linkVisibleTo, ReaderScope } from '../links/reader-scope';
import type { NewObservation, ObservedLink } from './observation-rules';

@Injectable()
export class ObservationsRepository {
  /** The links among `ids` the scope may observe, with their marketplace's agency, locked in id order. */
  lockLinks(m: EntityManager, ids: string[], scope: ReaderScope): Promise<ObservedLink[]> {
    return m.query<ObservedLink[]>(
      ...sql`SELECT l.id, l.marketplace_id, (SELECT mk.agency_id FROM marketplaces mk WHERE mk.id = l.marketplace_id) AS agency_id,
                    l.status, l.created_at, l.resolved_at, l.reappeared, l.last_observed_at, l.last_observation
               FROM links l
              ${where([sql`l.id = ANY(${ids}::uuid[])`, linkVisibleTo(scope)])}
              ORDER BY l.id FOR NO KEY UPDATE`,
    );
  }

  /** The observer's earlier looks at these links, as [linkId, observedAt]. */
  async looksOf(m: EntityManager, ids: string[], observerAgencyId: string): Promise<[string, Date][]> {
    const rows = await m.query<{ link_id: string; observed_at: Date }[]>(
      ...sql`SELECT link_id, observed_at FROM observations
              WHERE link_id = ANY(${ids}::uuid[]) AND observer_agency_id = ${observerAgencyId}`,
    );
    return rows.map((r) => [r.link_id, r.observed_at]);
  }

  async insert(
    m: EntityManager,
    observations: NewObservation[],
    observerAgencyId: string,
    now: Date,
  ): Promise<void> {
    const rows = observations.map((o) => ({
      id: o.id,
      link_id: o.linkId,
      observed_at: o.observedAt,
      result: o.result,
      final_url: o.finalUrl,
      listing: o.listing,
    }));
    await m.query(
      ...sql`INSERT INTO observations (id, link_id, observer_agency_id, observed_at, result, final_url, listing, created_at)
             SELECT u.id, u.link_id, ${observerAgencyId}::uuid, u.observed_at, u.result, u.final_url, u.listing, ${now}
               FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
                 AS u(id uuid, link_id uuid, observed_at timestamptz, result text, final_url text, listing jsonb)`,
    );
  }

  /** Writes each link's latest observation and flag; the link changed, so pollers (updatedSince) see it. */
  async updateLinks(m: EntityManager, links: ObservedLink[], now: Date): Promise<void> {
    if (links.length === 0) return;
    const rows = links.map((l) => ({
      id: l.id,
      reappeared: l.reappeared,
      last_observed_at: l.last_observed_at,
      last_observation: l.last_observation,
    }));
    await m.query(
      ...sql`UPDATE links l SET reappeared = u.reappeared, last_observed_at = u.last_observed_at,
                              last_observation = u.last_observation, updated_at = ${now}
               FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
                 AS u(id uuid, reappeared boolean, last_observed_at timestamptz, last_observation jsonb)
              WHERE l.id = u.id`,
    );
  }
}
