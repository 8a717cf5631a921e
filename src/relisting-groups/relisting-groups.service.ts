import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor';
import type { AuditRecord } from '../audit/audit-vocabulary';
import { AuditWriter } from '../audit/audit.writer';
import { decodeCursor, toPage } from '../common/pagination';
import { TransactionService } from '../database/transaction.service';
import { AppError } from '../errors/app-error';
import type { LinkScope } from '../links/links.repository';
import { MarketplaceDirectory } from '../marketplaces/marketplace-directory';
import {
  DismissalResponseDto,
  DismissMemberDto,
  ListRelistingGroupsQueryDto,
  RelistingGroupListResponseDto,
  RelistingGroupResponseDto,
} from './dto/relisting-group.dto';
import { tiedComponents } from './group-linking';
import { relistingGroupLinked, relistingGroupMemberDismissed } from './relisting-events';
import { GroupRow, MemberRow, RelistingGroupsRepository } from './relisting-groups.repository';

/** A tie matching found: the arrived link resembles the matched, taken-down one. */
export interface Tie {
  linkId: string;
  matchedLinkId: string;
  signal: string;
}

@Injectable()
export class RelistingGroupsService {
  constructor(
    private readonly tx: TransactionService,
    private readonly audit: AuditWriter,
    private readonly directory: MarketplaceDirectory,
    private readonly groups: RelistingGroupsRepository,
  ) {}

  /**
   * Puts tied links into groups inside the caller's transaction: each set of links the ties connect joins the oldest
   * group any of them is in (other groups they are in merge into it), or a new one. Returns the events to append.
   */
  async link(m: EntityManager, ties: Tie[], at: Date): Promise<AuditRecord[]> {
    if (ties.length === 0) return [];
    await this.groups.lockGroups(m);
    const components = tiedComponents(ties.map((t) => [t.linkId, t.matchedLinkId]));
    const groupOf = new Map<string, string>();
    for (const row of await this.groups.membership(m, components.flat()))
      groupOf.set(row.link_id, row.group_id);
    const age = [...new Set(groupOf.values())]; // oldest first, as membership() orders them
    const events: AuditRecord[] = [];
    for (const component of components) {
      const existing = [...new Set(component.flatMap((l) => (groupOf.has(l) ? [groupOf.get(l)!] : [])))].sort(
        (a, b) => age.indexOf(a) - age.indexOf(b),
      );
      const added = component.filter((l) => !groupOf.has(l));
      const target = existing[0] ?? randomUUID();
      const merged = existing.slice(1);
      if (added.length === 0 && merged.length === 0) continue;
      if (existing.length === 0) await this.groups.createGroup(m, target, at);
      await this.groups.merge(m, merged, target);
      await this.groups.addMembers(m, target, added, at);
      await this.groups.touch(m, target, at);
      for (const [link, group] of groupOf) if (merged.includes(group)) groupOf.set(link, target);
      for (const link of added) groupOf.set(link, target);
      const inComponent = new Set(component);
      events.push(
        relistingGroupLinked(target, {
          added,
          merged,
          ties: ties.filter((t) => inComponent.has(t.linkId)),
        }),
      );
    }
    return events;
  }

  async list(actor: Actor, q: ListRelistingGroupsQueryDto): Promise<RelistingGroupListResponseDto> {
    const limit = q.limit ?? 100;
    const after = decodeCursor(q.cursor, ['timestamp', 'uuid']);
    const m = this.tx.dataSource.manager;
    const scope = await this.scope(actor);
    const rows = await this.groups.list(m, scope, { marketplaceId: q.marketplaceId }, { limit, after });
    const views = await this.views(m, scope, rows);
    return toPage(views, limit, (g) => [g.updatedAt, g.id]);
  }

  async get(actor: Actor, id: string): Promise<RelistingGroupResponseDto> {
    const m = this.tx.dataSource.manager;
    const scope = await this.scope(actor);
    const row = await this.groups.find(m, scope, id);
    if (!row) throw AppError.notFound('Relisting group');
    const [view] = await this.views(m, scope, [row]);
    return view;
  }

  /** The ministry says a link is not a relisting of the group's others: it leaves, and the pairs are never tied again. */
  async dismiss(
    actor: Actor,
    id: string,
    linkId: string,
    dto: DismissMemberDto,
  ): Promise<DismissalResponseDto> {
    return this.tx.answer(async (m) => {
      await this.groups.lockGroups(m);
      const group = await this.groups.find(m, null, id, true);
      if (!group) throw AppError.notFound('Relisting group');
      const members = await this.groups.members(m, [id]);
      if (!members.some((x) => x.link_id === linkId)) throw AppError.notFound('Link in this relisting group');
      const others = members.filter((x) => x.link_id !== linkId).map((x) => x.link_id);
      const now = new Date();
      await this.groups.dismiss(m, linkId, others, actor.agencyId, now);
      const dissolved = others.length < 2;
      if (dissolved) await this.groups.dissolve(m, id);
      else await this.groups.touch(m, id, now);
      const event = relistingGroupMemberDismissed(id, linkId, {
        reason: dto.reason ?? null,
        pairs: others.length,
        dissolved,
      });
      await this.audit.record(m, actor, event, now);
      const remaining = members.filter((x) => x.link_id !== linkId);
      const [view] = await this.views(m, null, [{ ...group, updated_at: now }], remaining);
      return { ...view, dissolved };
    });
  }

  private async views(
    m: EntityManager,
    scope: LinkScope,
    rows: GroupRow[],
    known?: MemberRow[],
  ): Promise<RelistingGroupResponseDto[]> {
    const members =
      known ??
      (await this.groups.members(
        m,
        rows.map((r) => r.id),
      ));
    const mine = (marketplaceId: string) => scope === null || scope.includes(marketplaceId);
    return rows.map((r) => {
      const links = members
        .filter((x) => x.group_id === r.id)
        .map((x) => ({
          linkId: mine(x.marketplace_id) ? x.link_id : null,
          marketplaceId: x.marketplace_id,
          sellerRef: mine(x.marketplace_id) ? x.seller_ref : null,
          status: x.status,
          firstSeenAt: x.created_at.toISOString(),
          batchReference: x.batch_reference,
        }));
      return {
        id: r.id,
        createdAt: r.created_at.toISOString(),
        updatedAt: r.updated_at.toISOString(),
        size: links.length,
        links,
      };
    });
  }

  /** A marketplace sees the groups with its marketplaces' links; the ministry and the association see them all. */
  private async scope(actor: Actor): Promise<LinkScope> {
    return actor.role === 'marketplace' ? this.directory.ownedBy(actor) : null;
  }
}
