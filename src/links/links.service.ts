import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor';
import { AuditRecord, linkReported, linkWithdrawn } from '../audit/audit-events';
import { AuditWriter } from '../audit/audit.writer';
import { AuditService, AuditEventView } from '../audit/audit.service';
import { AppError } from '../errors/app-error';
import { decodeCursor, Page, toPage } from '../common/pagination';
import { TransactionService } from '../database/transaction.service';
import { MarketplaceDirectory } from '../marketplaces/marketplace-directory';
import { AcknowledgementItem, readAcknowledgement } from './acknowledgement-items';
import {
  AcknowledgeLinksDto,
  AcknowledgementResult,
  ListLinksQueryDto,
  WithdrawLinkDto,
} from './dto/link.dto';
import { canTransition, isFinal } from './link-state';
import { ListingEvidence, LinkStatus } from './link.entity';
import { LINK_COLUMNS, LinkRow, LinkView, toLinkView } from './link.view';

/** `at` may run this far ahead of our clock: marketplaces' clocks drift. */
const CLOCK_SKEW_MS = 5_000;

interface LockedLink {
  id: string;
  status: LinkStatus;
  created_at: Date;
  listing: ListingEvidence | null;
  seller_ref: string | null;
  status_reason: string | null;
  resolved_at: Date | null;
  changed: boolean;
}

@Injectable()
export class LinksService {
  constructor(
    private readonly tx: TransactionService,
    private readonly audit: AuditWriter,
    private readonly auditReader: AuditService,
    private readonly directory: MarketplaceDirectory,
  ) {}

  async list(actor: Actor, q: ListLinksQueryDto): Promise<Page<LinkView>> {
    const limit = q.limit ?? 100;
    const params: unknown[] = [];
    const where: string[] = [];
    const add = (sql: string, ...values: unknown[]) => {
      let text = sql;
      for (const v of values) {
        params.push(v);
        text = text.replace('?', `$${params.length}`);
      }
      where.push(text);
    };
    if (actor.role === 'marketplace')
      add('l.marketplace_id = ANY(?::uuid[])', await this.directory.ownedBy(actor));
    if (q.batchId) add('l.batch_id = ?', q.batchId);
    if (q.marketplaceId) add('l.marketplace_id = ?', q.marketplaceId);
    if (q.status) add('l.status = ?', q.status);
    if (q.relisted) add('l.relisted = ?', q.relisted === 'true');
    if (q.overdue === 'true') where.push(`l.status IN ('pending', 'acknowledged') AND l.due_at < now()`);
    if (q.overdue === 'false')
      where.push(`NOT (l.status IN ('pending', 'acknowledged') AND l.due_at < now())`);
    let order = 'l.id';
    let keyOf = (v: LinkView): (string | number)[] => [v.id];
    if (q.updatedSince) {
      add('l.updated_at >= ?', q.updatedSince);
      order = 'l.updated_at, l.id';
      keyOf = (v) => [v.updatedAt, v.id];
      const cursor = decodeCursor(q.cursor, ['timestamp', 'uuid']);
      if (cursor) add('(l.updated_at, l.id) > (?::timestamptz, ?::uuid)', cursor[0], cursor[1]);
    } else {
      const cursor = decodeCursor(q.cursor, ['uuid']);
      if (cursor) add('l.id > ?::uuid', cursor[0]);
    }
    params.push(limit + 1);
    const rows = await this.tx.dataSource.query<LinkRow[]>(
      `SELECT ${LINK_COLUMNS}${this.repeatSellerColumn(actor)} FROM links l
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order} LIMIT $${params.length}`,
      params,
    );
    return toPage(rows.map(toLinkView), limit, keyOf);
  }

  async get(actor: Actor, id: string): Promise<LinkView & { history: AuditEventView[] }> {
    const view = await this.view(this.tx.dataSource.manager, actor, id);
    return { ...view, history: await this.auditReader.eventsOf(actor, id) };
  }

  /** A link as the caller may see it, read with the given manager (inside a transaction: what it wrote). */
  private async view(m: EntityManager, actor: Actor, id: string): Promise<LinkView> {
    const params: unknown[] = [id];
    let scope = '';
    if (actor.role === 'marketplace') {
      params.push(await this.directory.ownedBy(actor));
      scope = 'AND l.marketplace_id = ANY($2::uuid[])';
    }
    const [row] = await m.query<LinkRow[]>(
      `SELECT ${LINK_COLUMNS}${this.repeatSellerColumn(actor)} FROM links l WHERE l.id = $1 ${scope}`,
      params,
    );
    if (!row) throw AppError.notFound('Link');
    return toLinkView(row);
  }

  /** Items are judged one by one; the accepted ones are written with one UPDATE and their events in one insert. */
  async acknowledge(actor: Actor, dto: AcknowledgeLinksDto): Promise<{ results: AcknowledgementResult[] }> {
    const items = dto.items.map(readAcknowledgement);
    const ids = [
      ...new Set(items.filter((i): i is AcknowledgementItem => typeof i !== 'string').map((i) => i.linkId)),
    ].sort();
    const owned = await this.directory.ownedBy(actor);
    return this.tx.answer(async (m) => {
      const now = new Date();
      // The caller's agency runs these marketplaces: it is the party of every event written here.
      const locked = await m.query<LockedLink[]>(
        `SELECT l.id, l.status, l.created_at, l.listing, l.seller_ref, l.status_reason, l.resolved_at, false AS changed
           FROM links l
          WHERE l.id = ANY($1::uuid[]) AND l.marketplace_id = ANY($2::uuid[])
          ORDER BY l.id FOR UPDATE`,
        [ids, owned],
      );
      const links = new Map(locked.map((l) => [l.id, l]));
      const events: AuditRecord[] = [];
      const results = items.map((item, index): AcknowledgementResult => {
        const linkId = typeof item === 'string' ? rawLinkId(dto.items[index]) : item.linkId;
        if (typeof item === 'string') return { linkId, ok: false, status: null, error: item };
        const link = links.get(item.linkId);
        if (!link) return { linkId, ok: false, status: null, error: 'not_found' };
        const at = item.at ?? now;
        if (at.getTime() > now.getTime() + CLOCK_SKEW_MS)
          return { linkId, ok: false, status: link.status, error: 'at must not be in the future' };
        if (at.getTime() < link.created_at.getTime()) {
          return {
            linkId,
            ok: false,
            status: link.status,
            error: 'at must not be before the link was created',
          };
        }
        if (item.status === link.status) return { linkId, ok: true, status: link.status };
        if (!canTransition(link.status, item.status, 'marketplace')) {
          return { linkId, ok: false, status: link.status, error: 'invalid_transition' };
        }
        const from = link.status;
        link.status = item.status;
        link.status_reason = item.reason ?? link.status_reason;
        if (item.listing) {
          link.listing = item.listing;
          link.seller_ref = item.listing.sellerRef ?? link.seller_ref;
        }
        if (isFinal(item.status)) link.resolved_at = at;
        link.changed = true;
        events.push(
          linkReported(link.id, actor.agencyId, {
            from,
            status: item.status,
            at,
            reason: item.reason,
            listing: item.listing,
          }),
        );
        return { linkId, ok: true, status: item.status };
      });
      const changed = locked.filter((l) => l.changed);
      if (changed.length > 0) {
        await m.query(
          `UPDATE links l SET status = u.status, status_reason = u.reason, listing = u.listing::jsonb, seller_ref = u.seller_ref,
                              resolved_at = u.resolved_at, updated_at = $1
             FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[])
               AS u(id, status, reason, listing, seller_ref, resolved_at)
            WHERE l.id = u.id`,
          [
            now,
            changed.map((l) => l.id),
            changed.map((l) => l.status),
            changed.map((l) => l.status_reason),
            changed.map((l) => (l.listing ? JSON.stringify(l.listing) : null)),
            changed.map((l) => l.seller_ref),
            changed.map((l) => l.resolved_at),
          ],
        );
        await this.audit.append(m, actor, events, now);
      }
      return { results };
    });
  }

  /** Withdrawing a withdrawn link changes nothing; withdrawing another final link is a 409 naming its status. */
  async withdraw(actor: Actor, id: string, dto: WithdrawLinkDto): Promise<LinkView> {
    return this.tx.answer(async (m) => {
      const [link] = await m.query<{ status: LinkStatus; agency_id: string }[]>(
        `SELECT l.status, mk.agency_id FROM links l JOIN marketplaces mk ON mk.id = l.marketplace_id WHERE l.id = $1 FOR UPDATE OF l`,
        [id],
      );
      if (!link) throw AppError.notFound('Link');
      if (link.status === 'withdrawn') return this.view(m, actor, id);
      if (!canTransition(link.status, 'withdrawn', 'ministry')) {
        throw AppError.conflict(
          'LINK_INVALID_TRANSITION',
          `The link is ${link.status}; only pending or acknowledged links can be withdrawn`,
        );
      }
      const now = new Date();
      await m.query(
        `UPDATE links SET status = 'withdrawn', status_reason = $2, resolved_at = $3, updated_at = $3 WHERE id = $1`,
        [id, dto.reason, now],
      );
      await this.audit.record(m, actor, linkWithdrawn(id, link.agency_id, link.status, dto.reason), now);
      return this.view(m, actor, id);
    });
  }

  /** Repeat sellers are shown to the ministry, the association, the police and the operator; not computed for marketplaces. */
  private repeatSellerColumn(actor: Actor): string {
    if (actor.role === 'marketplace') return ', NULL::int AS prior_takedowns';
    return `, CASE WHEN l.seller_ref IS NULL THEN NULL ELSE (
               SELECT count(*)::int FROM links p
                WHERE p.marketplace_id = l.marketplace_id AND p.seller_ref = l.seller_ref AND p.status = 'taken_down' AND p.id <> l.id
             ) END AS prior_takedowns`;
  }
}

function rawLinkId(item: unknown): string {
  const id = (item as { linkId?: unknown } | null)?.linkId;
  return typeof id === 'string' ? id.slice(0, 100) : '';
}
