import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor';
import { marketplaceCreated, marketplaceUpdated } from '../audit/audit-events';
import { AuditWriter } from '../audit/audit.writer';
import { AppError } from '../errors/app-error';
import { decodeCursor, toPage } from '../common/pagination';
import { TransactionService } from '../database/transaction.service';
import {
  CreateMarketplaceDto,
  ListMarketplacesQueryDto,
  MarketplaceListResponseDto,
  MarketplaceResponseDto,
  UpdateMarketplaceDto,
} from './dto/marketplace.dto';
import type { Marketplace } from './marketplace.entity';
import { MarketplacesRepository } from './marketplaces.repository';

@Injectable()
export class MarketplacesService {
  constructor(
    private readonly tx: TransactionService,
    private readonly audit: AuditWriter,
    private readonly marketplaces: MarketplacesRepository,
  ) {}

  create(actor: Actor, dto: CreateMarketplaceDto): Promise<MarketplaceResponseDto> {
    return this.tx.answer((m) => this.createIn(m, actor, dto));
  }

  async createIn(m: EntityManager, actor: Actor, dto: CreateMarketplaceDto): Promise<MarketplaceResponseDto> {
    const agency = await this.marketplaces.findAgency(m, dto.agencyId);
    if (!agency) throw AppError.unprocessable('AGENCY_NOT_FOUND', 'agencyId does not name an agency');
    if (agency.type !== 'marketplace') {
      throw AppError.unprocessable(
        'AGENCY_NOT_MARKETPLACE',
        `agencyId names an agency of type ${agency.type}, not marketplace`,
      );
    }
    const takedownSlaHours = dto.takedownSlaHours ?? 48;
    const urgentSlaHours = dto.urgentSlaHours ?? Math.min(DEFAULT_URGENT_SLA_HOURS, takedownSlaHours);
    checkUrgentSla(urgentSlaHours, takedownSlaHours);
    const now = new Date();
    const marketplace: Marketplace = {
      id: randomUUID(),
      agencyId: dto.agencyId,
      code: dto.code,
      name: dto.name,
      takedownSlaHours,
      urgentSlaHours,
      requireStatementOfReasons: dto.requireStatementOfReasons ?? false,
      createdAt: now,
      updatedAt: now,
    };
    await this.marketplaces.insert(m, marketplace);
    await this.marketplaces.insertDomains(m, marketplace.id, dto.domains);
    await this.audit.record(
      m,
      actor,
      marketplaceCreated(marketplace.id, { ...dto, takedownSlaHours, urgentSlaHours }),
      now,
    );
    return toView(marketplace, dto.domains);
  }

  async list(_actor: Actor, q: ListMarketplacesQueryDto): Promise<MarketplaceListResponseDto> {
    const limit = q.limit ?? 100;
    const cursor = decodeCursor(q.cursor, ['string', 'uuid']);
    const rows = await this.marketplaces.listPage(this.tx.dataSource.manager, limit, cursor);
    const domains = await this.domainsOf(rows.map((r) => r.id));
    return toPage(
      rows.map((r) => toView(r, domains.get(r.id) ?? [])),
      limit,
      (v) => [v.code, v.id],
    );
  }

  async get(_actor: Actor, id: string): Promise<MarketplaceResponseDto> {
    const marketplace = await this.marketplaces.find(this.tx.dataSource.manager, id);
    if (!marketplace) throw AppError.notFound('Marketplace');
    return toView(marketplace, (await this.domainsOf([id])).get(id) ?? []);
  }

  async update(actor: Actor, id: string, dto: UpdateMarketplaceDto): Promise<MarketplaceResponseDto> {
    return this.tx.answer(async (m) => {
      const marketplace = await this.marketplaces.lockForUpdate(m, id);
      if (!marketplace) throw AppError.notFound('Marketplace');
      const currentDomains = (await this.domainsOf([id], m)).get(id) ?? [];
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      if (dto.name !== undefined && dto.name !== marketplace.name)
        changes.name = { from: marketplace.name, to: dto.name };
      if (dto.takedownSlaHours !== undefined && dto.takedownSlaHours !== marketplace.takedownSlaHours) {
        changes.takedownSlaHours = { from: marketplace.takedownSlaHours, to: dto.takedownSlaHours };
      }
      if (dto.urgentSlaHours !== undefined && dto.urgentSlaHours !== marketplace.urgentSlaHours) {
        changes.urgentSlaHours = { from: marketplace.urgentSlaHours, to: dto.urgentSlaHours };
      }
      checkUrgentSla(
        dto.urgentSlaHours ?? marketplace.urgentSlaHours,
        dto.takedownSlaHours ?? marketplace.takedownSlaHours,
      );
      if (
        dto.requireStatementOfReasons !== undefined &&
        dto.requireStatementOfReasons !== marketplace.requireStatementOfReasons
      ) {
        changes.requireStatementOfReasons = {
          from: marketplace.requireStatementOfReasons,
          to: dto.requireStatementOfReasons,
        };
      }
      const newDomains = dto.domains ? [...dto.domains].sort() : currentDomains;
      if (dto.domains && newDomains.join(' ') !== currentDomains.join(' '))
        changes.domains = { from: currentDomains, to: newDomains };
      if (Object.keys(changes).length === 0) return toView(marketplace, currentDomains);
      const now = new Date();
      Object.assign(marketplace, {
        name: dto.name ?? marketplace.name,
        takedownSlaHours: dto.takedownSlaHours ?? marketplace.takedownSlaHours,
        urgentSlaHours: dto.urgentSlaHours ?? marketplace.urgentSlaHours,
        requireStatementOfReasons: dto.requireStatementOfReasons ?? marketplace.requireStatementOfReasons,
        updatedAt: now,
      });
      await this.marketplaces.update(m, id, {
        name: marketplace.name,
        takedownSlaHours: marketplace.takedownSlaHours,
        urgentSlaHours: marketplace.urgentSlaHours,
        requireStatementOfReasons: marketplace.requireStatementOfReasons,
        updatedAt: now,
      });
      if (changes.domains) {
        await this.marketplaces.deleteDomains(m, id);
        await this.marketplaces.insertDomains(m, id, newDomains);
      }
      await this.audit.record(m, actor, marketplaceUpdated(id, marketplace.agencyId, changes), now);
      return toView(marketplace, newDomains);
    });
  }

  private async domainsOf(
    ids: string[],
    m: EntityManager = this.tx.dataSource.manager,
  ): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (ids.length === 0) return out;
    const rows = await this.marketplaces.domainsOf(m, ids);
    for (const r of rows) out.set(r.marketplace_id, [...(out.get(r.marketplace_id) ?? []), r.domain]);
    return out;
  }
}

/** The urgent hours of a marketplace created without them: half a day, or its normal hours when fewer. */
const DEFAULT_URGENT_SLA_HOURS = 12;

/** An urgent link is never given longer than a normal one (ck_marketplaces_urgent_sla says so too). */
function checkUrgentSla(urgentSlaHours: number, takedownSlaHours: number): void {
  if (urgentSlaHours > takedownSlaHours) {
    throw AppError.validation([
      {
        path: 'urgentSlaHours',
        message: `urgentSlaHours (${urgentSlaHours}) must be at most takedownSlaHours (${takedownSlaHours})`,
      },
    ]);
  }
}

function toView(m: Marketplace, domains: string[]): MarketplaceResponseDto {
  return {
    id: m.id,
    agencyId: m.agencyId,
    code: m.code,
    name: m.name,
    domains: [...domains].sort(),
    takedownSlaHours: m.takedownSlaHours,
    urgentSlaHours: m.urgentSlaHours,
    requireStatementOfReasons: m.requireStatementOfReasons,
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
  };
}
