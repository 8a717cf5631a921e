import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { sql } from '../database/sql';
import type { Actor } from '../auth/actor';
import { domainCandidates } from './url';

export interface RoutedMarketplace {
  marketplaceId: string;
  code: string;
  agencyId: string;
  takedownSlaHours: number;
  urgentSlaHours: number;
  /** Each takedown of its links carries a statement of reasons. */
  requireStatementOfReasons: boolean;
}

/** Routes a URL's host to its marketplace (the most specific registered domain wins); also indexes them by id. */
export interface Router {
  route: (host: string) => RoutedMarketplace | null;
  byId: Map<string, RoutedMarketplace>;
}

/** Which marketplace a host belongs to, and which marketplaces an agency runs. Read per request: it is small. */
@Injectable()
export class MarketplaceDirectory {
  constructor(private readonly dataSource: DataSource) {}

  /** Read per request from the domains table, so a marketplace's new domains route at once. */
  async router(): Promise<Router> {
    const rows = await this.dataSource.query<
      {
        domain: string;
        id: string;
        code: string;
        agency_id: string;
        takedown_sla_hours: number;
        urgent_sla_hours: number;
        require_statement_of_reasons: boolean;
      }[]
    >(
      `SELECT d.domain, m.id, m.code, m.agency_id, m.takedown_sla_hours, m.urgent_sla_hours,
              m.require_statement_of_reasons
         FROM marketplace_domains d JOIN marketplaces m ON m.id = d.marketplace_id`,
    );
    const byDomain = new Map<string, RoutedMarketplace>(
      rows.map((r) => [
        r.domain,
        {
          marketplaceId: r.id,
          code: r.code,
          agencyId: r.agency_id,
          takedownSlaHours: r.takedown_sla_hours,
          urgentSlaHours: r.urgent_sla_hours,
          requireStatementOfReasons: r.require_statement_of_reasons,
        },
      ]),
    );
    return {
      route: (host) => {
        for (const domain of domainCandidates(host)) {
          const hit = byDomain.get(domain);
          if (hit) return hit;
        }
        return null;
      },
      byId: new Map([...byDomain.values()].map((r) => [r.marketplaceId, r])),
    };
  }

  /** The marketplaces a marketplace-role caller acts for; empty for every other role. */
  async ownedBy(actor: Actor): Promise<string[]> {
    if (actor.role !== 'marketplace') return [];
    if (actor.marketplaceIds) return actor.marketplaceIds;
    const rows = await this.dataSource.query<{ id: string }[]>(
      ...sql`SELECT id FROM marketplaces WHERE agency_id = ${actor.agencyId}`,
    );
    return rows.map((r) => r.id);
  }
}
