import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { sql, where } from '../database/sql';
import type { LinkStatus } from '../links/link.entity';
import { linkVisibleTo, ReaderScope } from '../links/reader-scope';
import type { ObjectionGround, ObjectionOutcome, ObjectionStatus } from './dto/objection.dto';

/** A link as an objection to it needs it, locked: its status, its clock, its marketplace's agency and its notifier. */
export interface ObjectedLink {
  id: string;
  status: LinkStatus;
  due_at: Date | null;
  clock_paused_at: Date | null;
  marketplace_agency_id: string;
  notifier_agency_id: string | null;
}

export interface ObjectionRow {
  id: string;
  link_id: string;
  marketplace_id: string;
  marketplace_agency_id: string;
  notifier_agency_id: string;
  ground: ObjectionGround;
  detail: string;
  on_behalf_of_seller: boolean;
  evidence_sha256: string | null;
  filed_at: Date;
  reply_due_at: Date;
  overdue: boolean;
  clock_paused: boolean;
  status: ObjectionStatus;
  link_status: LinkStatus;
  note: string | null;
  decided_at: Date | null;
  paused_ms: string | null;
}

export interface ObjectionFilter {
  status?: ObjectionStatus;
  marketplaceId?: string;
  linkId?: string;
  overdue?: boolean;
}

const OVERDUE = sql`(o.status = 'open' AND o.reply_due_at < now())`;

const COLUMNS = sql`o.id, o.link_id, l.marketplace_id, mk.agency_id AS marketplace_agency_id,
                    b.submitted_by_agency_id AS notifier_agency_id, o.ground, o.detail, o.on_behalf_of_seller,
                    o.evidence_sha256, o.filed_at, o.reply_due_at, ${OVERDUE} AS overdue, o.clock_paused, o.status,
                    l.status AS link_status, o.note, o.decided_at, o.paused_ms
               FROM objections o
               JOIN links l ON l.id = o.link_id
               JOIN marketplaces mk ON mk.id = l.marketplace_id
               JOIN link_batches b ON b.id = l.batch_id`;

@Injectable()
export class ObjectionsRepository {
  /** The link, if the scope may see it, locked so objections to it and their decisions take turns. */
  async lockLink(m: EntityManager, id: string, scope: ReaderScope): Promise<ObjectedLink | undefined> {
    const [link] = await m.query<ObjectedLink[]>(
      ...sql`SELECT l.id, l.status, l.due_at, l.clock_paused_at, mk.agency_id AS marketplace_agency_id,
                    b.submitted_by_agency_id AS notifier_agency_id
               FROM links l
               JOIN marketplaces mk ON mk.id = l.marketplace_id
               LEFT JOIN link_batches b ON b.id = l.batch_id
              ${where([sql`l.id = ${id}`, linkVisibleTo(scope)])}
              FOR NO KEY UPDATE OF l`,
    );
    return link;
  }

  /** The link's objections so far, and how many of them are open (at most one: uq_objections_open_link). */
  async countFor(m: EntityManager, linkId: string): Promise<{ total: number; open: number }> {
    const [row] = await m.query<{ total: number; open: number }[]>(
      ...sql`SELECT count(*)::int AS total, count(*) FILTER (WHERE status = 'open')::int AS open
               FROM objections WHERE link_id = ${linkId}`,
    );
    return row;
  }

  async insert(
    m: EntityManager,
    o: {
      id: string;
      linkId: string;
      filedByAgencyId: string;
      ground: ObjectionGround;
      detail: string;
      onBehalfOfSeller: boolean;
      evidenceSha256: string | null;
      filedAt: Date;
      replyDueAt: Date;
      clockPaused: boolean;
    },
  ): Promise<void> {
    await m.query(
      ...sql`INSERT INTO objections (id, link_id, filed_by_agency_id, ground, detail, on_behalf_of_seller,
                                     evidence_sha256, filed_at, reply_due_at, clock_paused, status)
             VALUES (${o.id}, ${o.linkId}, ${o.filedByAgencyId}, ${o.ground}, ${o.detail}, ${o.onBehalfOfSeller},
                     ${o.evidenceSha256}, ${o.filedAt}, ${o.replyDueAt}, ${o.clockPaused}, 'open')`,
    );
  }

  async pauseClock(m: EntityManager, linkId: string, at: Date): Promise<void> {
    await m.query(...sql`UPDATE links SET clock_paused_at = ${at}, updated_at = ${at} WHERE id = ${linkId}`);
  }

  /** Decides the objection if it is still open; false when it was decided already. */
  async decide(
    m: EntityManager,
    id: string,
    d: { outcome: ObjectionOutcome; note: string; agencyId: string; at: Date; pausedMs: number },
  ): Promise<boolean> {
    const rows = await m.query<{ id: string }[]>(
      ...sql`WITH decided AS (
               UPDATE objections SET status = ${d.outcome}, note = ${d.note}, decided_by_agency_id = ${d.agencyId},
                                     decided_at = ${d.at}, paused_ms = ${d.pausedMs}
                WHERE id = ${id} AND status = 'open' RETURNING id)
             SELECT id FROM decided`,
    );
    return rows.length === 1;
  }

  /**
   * The link after a decision: its clock running again from `dueAt`, and, when the decision changed its status, the
   * status with the note as its reason and the decision's time as its resolution.
   */
  async afterDecision(
    m: EntityManager,
    linkId: string,
    d: { status: LinkStatus; changed: boolean; note: string; dueAt: Date | null; at: Date },
  ): Promise<void> {
    await m.query(
      ...sql`UPDATE links SET clock_paused_at = NULL, due_at = ${d.dueAt}, updated_at = ${d.at},
                              status = ${d.status},
                              status_reason = CASE WHEN ${d.changed}::boolean THEN ${d.note} ELSE status_reason END,
                              resolved_at = CASE WHEN ${d.changed}::boolean THEN ${d.at}::timestamptz ELSE resolved_at END
              WHERE id = ${linkId}`,
    );
  }

  async find(m: EntityManager, id: string, scope: ReaderScope): Promise<ObjectionRow | undefined> {
    const [row] = await m.query<ObjectionRow[]>(
      ...sql`SELECT ${COLUMNS} ${where([sql`o.id = ${id}`, linkVisibleTo(scope)])}`,
    );
    return row;
  }

  /** Newest first, keyed by (filedAt, id); `limit + 1` rows so the caller knows whether a page follows. */
  list(
    m: EntityManager,
    scope: ReaderScope,
    filter: ObjectionFilter,
    page: { limit: number; after: [string, string] | null },
  ): Promise<ObjectionRow[]> {
    const conditions = [
      linkVisibleTo(scope),
      filter.status !== undefined && sql`o.status = ${filter.status}`,
      filter.marketplaceId !== undefined && sql`l.marketplace_id = ${filter.marketplaceId}`,
      filter.linkId !== undefined && sql`o.link_id = ${filter.linkId}`,
      filter.overdue === true && OVERDUE,
      filter.overdue === false && sql`NOT ${OVERDUE}`,
      page.after !== null &&
        sql`(o.filed_at, o.id) < (${page.after[0]}::timestamptz, ${page.after[1]}::uuid)`,
    ];
    return m.query<ObjectionRow[]>(
      ...sql`SELECT ${COLUMNS} ${where(conditions)} ORDER BY o.filed_at DESC, o.id DESC LIMIT ${page.limit + 1}`,
    );
  }
}
