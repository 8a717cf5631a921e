import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { Actor } from '../auth/actor';
import { generateClientSecret, hashSecret } from '../auth/secrets';
import { AuditWriter } from '../audit/audit.writer';
import {
  agencyCreated,
  agencyRenamed,
  agencyStatusChanged,
  apiClientCreated,
  apiClientRevoked,
  AuditRecord,
} from '../audit/audit-events';
import { AppError } from '../errors/app-error';
import { decodeCursor, toPage } from '../common/pagination';
import { TransactionService } from '../database/transaction.service';
import { AgenciesRepository } from './agencies.repository';
import type { Agency } from './agency.entity';
import type { ApiClient } from './api-client.entity';
import {
  AgencyListResponseDto,
  AgencyResponseDto,
  ApiClientListResponseDto,
  ApiClientResponseDto,
  CreateAgencyDto,
  CreateClientDto,
  CreatedApiClientResponseDto,
  ListAgenciesQueryDto,
  ListApiClientsQueryDto,
  UpdateAgencyDto,
} from './dto/agency.dto';

const seesAllAgencies = (actor: Actor) =>
  actor.role === 'operator' || actor.role === 'ministry' || actor.role === 'system';

@Injectable()
export class AgenciesService {
  constructor(
    private readonly tx: TransactionService,
    private readonly audit: AuditWriter,
    private readonly agencies: AgenciesRepository,
  ) {}

  async create(actor: Actor, dto: CreateAgencyDto): Promise<AgencyResponseDto> {
    return this.tx.answer((m) => this.createIn(m, actor, dto));
  }

  /** Also used by first-start seeding, inside its own transaction. */
  async createIn(
    m: EntityManager,
    actor: Actor,
    dto: CreateAgencyDto,
    id: string = randomUUID(),
  ): Promise<AgencyResponseDto> {
    const now = new Date();
    const agency: Agency = {
      id,
      code: dto.code,
      name: dto.name,
      type: dto.type,
      status: 'active',
      createdAt: now,
      updatedAt: now,
    };
    await this.agencies.insert(m, agency);
    await this.audit.record(
      m,
      actor,
      agencyCreated({ id, code: dto.code, name: dto.name, type: dto.type }),
      now,
    );
    return toAgencyView(agency);
  }

  async list(actor: Actor, q: ListAgenciesQueryDto): Promise<AgencyListResponseDto> {
    const limit = q.limit ?? 100;
    const cursor = decodeCursor(q.cursor, ['string', 'uuid']);
    const rows = await this.agencies.listPage(this.tx.dataSource.manager, {
      only: seesAllAgencies(actor) ? undefined : actor.agencyId,
      type: q.type,
      limit,
      after: cursor,
    });
    return toPage(rows.map(toAgencyView), limit, (a) => [a.code, a.id]);
  }

  async get(actor: Actor, id: string): Promise<AgencyResponseDto> {
    if (!seesAllAgencies(actor) && actor.agencyId !== id) throw AppError.notFound('Agency');
    const agency = await this.agencies.find(this.tx.dataSource.manager, id);
    if (!agency) throw AppError.notFound('Agency');
    return toAgencyView(agency);
  }

  async update(actor: Actor, id: string, dto: UpdateAgencyDto): Promise<AgencyResponseDto> {
    if (dto.status === 'suspended' && id === actor.agencyId) {
      throw AppError.conflict(
        'AGENCY_SELF_SUSPENSION',
        'An operator cannot suspend its own agency; it would lock itself out',
      );
    }
    return this.tx.answer(async (m) => {
      const agency = await this.agencies.lockForUpdate(m, id);
      if (!agency) throw AppError.notFound('Agency');
      const now = new Date();
      const events: AuditRecord[] = [];
      if (dto.name !== undefined && dto.name !== agency.name) {
        events.push(agencyRenamed(id, { from: agency.name, to: dto.name }));
        agency.name = dto.name;
      }
      if (dto.status !== undefined && dto.status !== agency.status) {
        events.push(agencyStatusChanged(id, { from: agency.status, to: dto.status }));
        agency.status = dto.status;
      }
      if (events.length === 0) return toAgencyView(agency);
      agency.updatedAt = now;
      await this.agencies.update(m, id, { name: agency.name, status: agency.status, updatedAt: now });
      await this.audit.append(m, actor, events, now);
      return toAgencyView(agency);
    });
  }

  async createClient(
    actor: Actor,
    agencyId: string,
    dto: CreateClientDto,
    secret = generateClientSecret(),
    clientId: string = randomUUID(),
  ): Promise<CreatedApiClientResponseDto> {
    const secretHash = await hashSecret(secret);
    return this.tx.answer(async (m) => {
      const created = await this.createClientIn(m, actor, agencyId, dto.name, secretHash, clientId);
      return { ...created, clientSecret: secret };
    });
  }

  async createClientIn(
    m: EntityManager,
    actor: Actor,
    agencyId: string,
    name: string,
    secretHash: string,
    clientId: string,
  ): Promise<ApiClientResponseDto> {
    if (!(await this.agencies.exists(m, agencyId))) throw AppError.notFound('Agency');
    const now = new Date();
    const client: ApiClient = {
      id: clientId,
      agencyId,
      name,
      secretHash,
      createdAt: now,
      revokedAt: null,
    };
    await this.agencies.insertClient(m, client);
    await this.audit.record(m, actor, apiClientCreated(clientId, agencyId, name), now);
    return toClientView(client);
  }

  async listClients(
    actor: Actor,
    agencyId: string,
    q: ListApiClientsQueryDto,
  ): Promise<ApiClientListResponseDto> {
    if (actor.role !== 'operator' && actor.agencyId !== agencyId) throw AppError.notFound('Agency');
    const exists = await this.agencies.exists(this.tx.dataSource.manager, agencyId);
    if (!exists) throw AppError.notFound('Agency');
    const limit = q.limit ?? 100;
    const cursor = decodeCursor(q.cursor, ['timestamp', 'uuid']);
    const rows = await this.agencies.listClientsPage(this.tx.dataSource.manager, agencyId, limit, cursor);
    return toPage(rows.map(toClientView), limit, (c) => [c.createdAt, c.clientId]);
  }

  /** Revoking twice is fine and writes nothing the second time. */
  async revokeClient(actor: Actor, agencyId: string, clientId: string): Promise<void> {
    await this.tx.answer(async (m) => {
      const client = await this.agencies.lockClient(m, agencyId, clientId);
      if (!client) throw AppError.notFound('API client');
      if (client.revokedAt !== null) return;
      const now = new Date();
      await this.agencies.revokeClient(m, clientId, now);
      await this.audit.record(m, actor, apiClientRevoked(clientId, agencyId), now);
    });
  }
}

function toAgencyView(a: Agency): AgencyResponseDto {
  return {
    id: a.id,
    code: a.code,
    name: a.name,
    type: a.type,
    status: a.status,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
  };
}

function toClientView(c: ApiClient): ApiClientResponseDto {
  return {
    clientId: c.id,
    agencyId: c.agencyId,
    name: c.name,
    createdAt: c.createdAt.toISOString(),
    revokedAt: c.revokedAt?.toISOString() ?? null,
  };
}
