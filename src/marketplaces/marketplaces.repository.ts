import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { raw, sql, where } from '../database/sql';
import type { Marketplace } from './marketplace.entity';

const MARKETPLACE_COLUMNS = raw(
  'm.id, m.agency_id AS "agencyId", m.code, m.name, m.takedown_sla_hours AS "takedownSlaHours", m.urgent_sla_hours AS "urgentSlaHours", m.require_statement_of_reasons AS "requireStatementOfReasons", m.created_at AS "createdAt", m.updated_at AS "updatedAt"',
);

@Injectable()
export class MarketplacesRepository {
  async findAgency(m: EntityManager, id: string): Promise<{ type: string } | undefined> {
    const [agency] = await m.query<{ type: string }[]>(...sql`SELECT type FROM agencies WHERE id = ${id}`);
    return agency;
  }

  async insert(m: EntityManager, mk: Marketplace): Promise<void> {
    await m.query(
      ...sql`INSERT INTO marketplaces (id, agency_id, code, name, takedown_sla_hours, urgent_sla_hours,
                                       require_statement_of_reasons,
                                       created_at, updated_at)
             VALUES (${mk.id}, ${mk.agencyId}, ${mk.code}, ${mk.name}, ${mk.takedownSlaHours},
                     ${mk.urgentSlaHours}, ${mk.requireStatementOfReasons}, ${mk.createdAt}, ${mk.updatedAt})`,
    );
  }

  async insertDomains(m: EntityManager, marketplaceId: string, domains: string[]): Promise<void> {
    await m.query(
      ...sql`INSERT INTO marketplace_domains (domain, marketplace_id)
             SELECT d, ${marketplaceId}::uuid FROM unnest(${domains}::text[]) WITH ORDINALITY AS u(d, n) ORDER BY n`,
    );
  }

  async deleteDomains(m: EntityManager, marketplaceId: string): Promise<void> {
    await m.query(...sql`DELETE FROM marketplace_domains WHERE marketplace_id = ${marketplaceId}`);
  }

  /** A page in (code, id) order, limit + 1 rows so the caller can tell whether another follows. */
  listPage(
    m: EntityManager,
    limit: number,
    after: [code: string, id: string] | null,
  ): Promise<Marketplace[]> {
    return m.query<Marketplace[]>(
      ...sql`SELECT ${MARKETPLACE_COLUMNS} FROM marketplaces m
        ${where([after && sql`(m.code, m.id) > (${after[0]}, ${after[1]})`])} ORDER BY m.code, m.id LIMIT ${limit + 1}`,
    );
  }

  async find(m: EntityManager, id: string): Promise<Marketplace | undefined> {
    const [row] = await m.query<Marketplace[]>(
      ...sql`SELECT ${MARKETPLACE_COLUMNS} FROM marketplaces m WHERE m.id = ${id}`,
    );
    return row;
  }

  async lockForUpdate(m: EntityManager, id: string): Promise<Marketplace | undefined> {
    const [row] = await m.query<Marketplace[]>(
      ...sql`SELECT ${MARKETPLACE_COLUMNS} FROM marketplaces m WHERE m.id = ${id} FOR UPDATE`,
    );
    return row;
  }

  async update(
    m: EntityManager,
    id: string,
    set: Pick<
      Marketplace,
      'name' | 'takedownSlaHours' | 'urgentSlaHours' | 'requireStatementOfReasons' | 'updatedAt'
    >,
  ): Promise<void> {
    await m.query(
      ...sql`UPDATE marketplaces SET name = ${set.name}, takedown_sla_hours = ${set.takedownSlaHours},
                                     urgent_sla_hours = ${set.urgentSlaHours},
                                     require_statement_of_reasons = ${set.requireStatementOfReasons},
                                     updated_at = ${set.updatedAt}
              WHERE id = ${id}`,
    );
  }

  domainsOf(m: EntityManager, ids: string[]): Promise<{ marketplace_id: string; domain: string }[]> {
    return m.query(
      ...sql`SELECT marketplace_id, domain FROM marketplace_domains WHERE marketplace_id = ANY(${ids}::uuid[]) ORDER BY domain`,
    );
  }
}
