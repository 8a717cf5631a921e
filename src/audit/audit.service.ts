import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Actor } from '../auth/actor';
import { decodeCursor, Page, toPage } from '../common/pagination';
import { entryHash, ZERO_HASH } from './canonical';
import { AuditEventsQueryDto, VerifyQueryDto } from './dto/audit-query.dto';

export interface AuditEventView {
  seq: number;
  occurredAt: string;
  actor: { clientId: string | null; agencyId: string | null; role: string };
  action: string;
  entityType: string;
  entityId: string;
  requestId: string | null;
  data: unknown;
  canonical: string;
  prevHash: string;
  entryHash: string;
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  headSeq: number;
  headHash: string;
  firstBadSeq: number | null;
}

interface EventRow {
  seq: string;
  canonical: string;
  prev_hash: string;
  entry_hash: string;
  occurred_at: Date;
  actor_client_id: string | null;
  actor_agency_id: string | null;
  actor_role: string;
  action: string;
  entity_type: string;
  entity_id: string;
  request_id: string | null;
}

/** Entity types the association may read across all marketplaces. */
const ASSOCIATION_READABLE = ['link', 'link_batch', 'marketplace', 'keyword'];
const VERIFY_CHUNK = 5000;

@Injectable()
export class AuditService {
  constructor(private readonly dataSource: DataSource) {}

  /** Visibility lives in the WHERE clause: an event the caller may not see is simply not found. */
  visibilityClause(actor: Actor, params: unknown[]): string {
    if (actor.role === 'operator' || actor.role === 'ministry' || actor.role === 'system') return 'TRUE';
    params.push(actor.agencyId);
    const own = `party_agency_id = $${params.length}`;
    if (actor.role === 'association') {
      params.push(ASSOCIATION_READABLE);
      return `(${own} OR entity_type = ANY($${params.length}::text[]))`;
    }
    if (actor.role === 'marketplace') return `(${own} OR entity_type = 'keyword')`;
    return own;
  }

  async list(actor: Actor, q: AuditEventsQueryDto): Promise<Page<AuditEventView>> {
    const limit = q.limit ?? 100;
    const params: unknown[] = [];
    const where = [this.visibilityClause(actor, params)];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    const [cursorSeq] = (decodeCursor(q.cursor, ['number']) ?? []) as number[];
    const after = Math.max(q.afterSeq ?? 0, cursorSeq ?? 0);
    if (after > 0) add('seq > ?', after);
    if (q.entityType) add('entity_type = ?', q.entityType);
    if (q.entityId) add('entity_id = ?', q.entityId);
    if (q.action) add('action = ?', q.action);
    if (q.actorAgencyId) add('actor_agency_id = ?', q.actorAgencyId);
    if (q.from) add('occurred_at >= ?', q.from);
    if (q.to) add('occurred_at < ?', q.to);
    params.push(limit + 1);
    const rows = await this.dataSource.query<EventRow[]>(
      `SELECT seq::int8 AS seq, canonical, encode(prev_hash, 'hex') AS prev_hash, encode(entry_hash, 'hex') AS entry_hash,
              occurred_at, actor_client_id, actor_agency_id, actor_role, action, entity_type, entity_id, request_id
         FROM audit_events WHERE ${where.join(' AND ')} ORDER BY seq LIMIT $${params.length}`,
      params,
    );
    return toPage(rows.map(toView), limit, (e) => [e.seq]);
  }

  async eventsOf(actor: Actor, entityId: string): Promise<AuditEventView[]> {
    const params: unknown[] = [entityId];
    const rows = await this.dataSource.query<EventRow[]>(
      `SELECT seq::int8 AS seq, canonical, encode(prev_hash, 'hex') AS prev_hash, encode(entry_hash, 'hex') AS entry_hash,
              occurred_at, actor_client_id, actor_agency_id, actor_role, action, entity_type, entity_id, request_id
         FROM audit_events WHERE entity_id = $1 AND ${this.visibilityClause(actor, params)} ORDER BY seq`,
      params,
    );
    return rows.map(toView);
  }

  /**
   * Recomputes every entry hash from the stored canonical text and checks each link of the chain, in chunks so a
   * log of millions of events is checked in flat memory. Reports the first seq that does not hold.
   */
  async verify(q: VerifyQueryDto): Promise<VerifyResult> {
    const [head] = await this.dataSource.query<{ head_seq: string; head_hash: string }[]>(
      `SELECT next_seq::int8 - 1 AS head_seq, encode(last_hash, 'hex') AS head_hash FROM audit_head WHERE id = 1`,
    );
    const headSeq = Number(head.head_seq);
    const fromSeq = q.fromSeq ?? 1;
    const toSeq = Math.min(q.toSeq ?? headSeq, headSeq);
    let expectedPrev = ZERO_HASH;
    if (fromSeq > 1) {
      const before = await this.dataSource.query<{ h: string }[]>(
        `SELECT encode(entry_hash, 'hex') AS h FROM audit_events WHERE seq = $1`,
        [fromSeq - 1],
      );
      expectedPrev = before[0]?.h ?? '';
    }
    let checked = 0;
    let next = fromSeq;
    const result = (firstBadSeq: number | null): VerifyResult => ({
      ok: firstBadSeq === null,
      checked,
      headSeq,
      headHash: head.head_hash,
      firstBadSeq,
    });
    while (next <= toSeq) {
      const rows = await this.dataSource.query<
        Pick<EventRow, 'seq' | 'canonical' | 'prev_hash' | 'entry_hash'>[]
      >(
        `SELECT seq::int8 AS seq, canonical, encode(prev_hash, 'hex') AS prev_hash, encode(entry_hash, 'hex') AS entry_hash
           FROM audit_events WHERE seq >= $1 AND seq <= $2 ORDER BY seq`,
        [next, Math.min(next + VERIFY_CHUNK - 1, toSeq)],
      );
      for (const row of rows) {
        const seq = Number(row.seq);
        if (seq !== next || !entryHolds(row, seq, expectedPrev)) return result(next);
        expectedPrev = row.entry_hash;
        checked++;
        next++;
      }
      if (rows.length === 0) return result(next);
    }
    if (toSeq === headSeq && headSeq >= fromSeq && expectedPrev !== head.head_hash) return result(headSeq);
    return result(null);
  }
}

function entryHolds(
  row: { canonical: string; prev_hash: string; entry_hash: string },
  seq: number,
  expectedPrev: string,
): boolean {
  if (row.prev_hash !== expectedPrev) return false;
  if (entryHash(row.canonical).toString('hex') !== row.entry_hash) return false;
  try {
    const entry = JSON.parse(row.canonical) as { seq?: unknown; prev?: unknown };
    return entry.seq === seq && entry.prev === expectedPrev;
  } catch {
    return false;
  }
}

function toView(row: EventRow): AuditEventView {
  const entry = JSON.parse(row.canonical) as { data?: unknown };
  return {
    seq: Number(row.seq),
    occurredAt: row.occurred_at.toISOString(),
    actor: { clientId: row.actor_client_id, agencyId: row.actor_agency_id, role: row.actor_role },
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    requestId: row.request_id,
    data: entry.data ?? {},
    canonical: row.canonical,
    prevHash: row.prev_hash,
    entryHash: row.entry_hash,
  };
}
