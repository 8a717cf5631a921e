import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Role } from '../auth/actor';
import { raw, sql, where } from '../database/sql';
import type { Agency, AgencyStatus } from './agency.entity';
import type { ApiClient } from './api-client.entity';

const AGENCY_COLUMNS = raw(
  'a.id, a.code, a.name, a.type, a.status, a.created_at AS "createdAt", a.updated_at AS "updatedAt"',
);
const CLIENT_COLUMNS = raw(
  'c.id, c.agency_id AS "agencyId", c.name, c.secret_hash AS "secretHash", c.created_at AS "createdAt", c.revoked_at AS "revokedAt"',
);

export interface AgencyListing {
  /** Only this agency (a caller who sees just its own); undefined for every agency. */
  only?: string | null;
  type?: Role;
  limit: number;
  after: [code: string, id: string] | null;
}

@Injectable()
export class AgenciesRepository {
  async insert(m: EntityManager, a: Agency): Promise<void> {
    await m.query(
      ...sql`INSERT INTO agencies (id, code, name, type, status, created_at, updated_at)
             VALUES (${a.id}, ${a.code}, ${a.name}, ${a.type}, ${a.status}, ${a.createdAt}, ${a.updatedAt})`,
    );
  }

  /** A page in (code, id) order, limit + 1 rows so the caller can tell whether another follows. */
  listPage(m: EntityManager, q: AgencyListing): Promise<Agency[]> {
    const conditions = where([
      q.only !== undefined && sql`a.id = ${q.only}`,
      !!q.type && sql`a.type = ${q.type}`,
      q.after && sql`(a.code, a.id) > (${q.after[0]}, ${q.after[1]})`,
    ]);
    return m.query<Agency[]>(
      ...sql`SELECT ${AGENCY_COLUMNS} FROM agencies a ${conditions} ORDER BY a.code, a.id LIMIT ${q.limit + 1}`,
    );
  }

  async find(m: EntityManager, id: string): Promise<Agency | undefined> {
    const [agency] = await m.query<Agency[]>(
      ...sql`SELECT ${AGENCY_COLUMNS} FROM agencies a WHERE a.id = ${id}`,
    );
    return agency;
  }

  async exists(m: EntityManager, id: string): Promise<boolean> {
    const rows = await m.query<unknown[]>(...sql`SELECT 1 FROM agencies WHERE id = ${id}`);
    return rows.length > 0;
  }

  async lockForUpdate(m: EntityManager, id: string): Promise<Agency | undefined> {
    const [agency] = await m.query<Agency[]>(
      ...sql`SELECT ${AGENCY_COLUMNS} FROM agencies a WHERE a.id = ${id} FOR UPDATE`,
    );
    return agency;
  }

  async update(
    m: EntityManager,
    id: string,
    set: { name: string; status: AgencyStatus; updatedAt: Date },
  ): Promise<void> {
    await m.query(
      ...sql`UPDATE agencies SET name = ${set.name}, status = ${set.status}, updated_at = ${set.updatedAt}
              WHERE id = ${id}`,
    );
  }

  async insertClient(m: EntityManager, c: ApiClient): Promise<void> {
    await m.query(
      ...sql`INSERT INTO api_clients (id, agency_id, name, secret_hash, created_at, revoked_at)
             VALUES (${c.id}, ${c.agencyId}, ${c.name}, ${c.secretHash}, ${c.createdAt}, ${c.revokedAt})`,
    );
  }

  /** An agency's clients in (created_at, id) order, limit + 1 rows. */
  listClientsPage(
    m: EntityManager,
    agencyId: string,
    limit: number,
    after: [createdAt: string, id: string] | null,
  ): Promise<ApiClient[]> {
    const conditions = where([
      sql`c.agency_id = ${agencyId}`,
      after && sql`(c.created_at, c.id) > (${after[0]}::timestamptz, ${after[1]})`,
    ]);
    return m.query<ApiClient[]>(
      ...sql`SELECT ${CLIENT_COLUMNS} FROM api_clients c ${conditions} ORDER BY c.created_at, c.id LIMIT ${limit + 1}`,
    );
  }

  async lockClient(m: EntityManager, agencyId: string, clientId: string): Promise<ApiClient | undefined> {
    const [client] = await m.query<ApiClient[]>(
      ...sql`SELECT ${CLIENT_COLUMNS} FROM api_clients c WHERE c.id = ${clientId} AND c.agency_id = ${agencyId}
              FOR UPDATE`,
    );
    return client;
  }

  async revokeClient(m: EntityManager, clientId: string, at: Date): Promise<void> {
    await m.query(...sql`UPDATE api_clients SET revoked_at = ${at} WHERE id = ${clientId}`);
  }
}
