import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor';
import { raw, sql, Sql, where } from '../database/sql';
import type { AuditAction, AuditEntityType } from './audit-events';

export interface EventRow {
  seq: string;
  canonical: string;
  prev_hash: string;
  entry_hash: string;
  occurred_at: Date;
  actor_client_id: string | null;
  actor_agency_id: string | null;
  /** Only the writers' values are ever stored: the catalogue's actions and entity types, an actor's role. */
  actor_role: Actor['role'];
  action: AuditAction;
  entity_type: AuditEntityType;
  entity_id: string;
  request_id: string | null;
}

/** What the event list is filtered by; each one present narrows it. */
export interface EventFilter {
  afterSeq: number;
  entityType?: string;
  entityId?: string;
  action?: string;
  actorAgencyId?: string;
  from?: string;
  to?: string;
}

/** Entity types the association may read across all marketplaces. */
const ASSOCIATION_READABLE = ['link', 'link_batch', 'marketplace', 'keyword'];

const EVENT_COLUMNS =
  raw(`seq::int8 AS seq, canonical, encode(prev_hash, 'hex') AS prev_hash, encode(entry_hash, 'hex') AS entry_hash,
              occurred_at, actor_client_id, actor_agency_id, actor_role, action, entity_type, entity_id, request_id`);

/** Visibility lives in the WHERE clause: an event the caller may not see is simply not found. */
export function auditEventVisibleTo(actor: Actor): Sql {
  if (actor.role === 'operator' || actor.role === 'ministry' || actor.role === 'system') return raw('TRUE');
  const own = sql`party_agency_id = ${actor.agencyId}`;
  if (actor.role === 'association')
    return sql`(${own} OR entity_type = ANY(${ASSOCIATION_READABLE}::text[]))`;
  if (actor.role === 'marketplace') return sql`(${own} OR entity_type = 'keyword')`;
  return own;
}

function matching(f: EventFilter): (Sql | false)[] {
  return [
    f.afterSeq > 0 && sql`seq > ${f.afterSeq}`,
    !!f.entityType && sql`entity_type = ${f.entityType}`,
    !!f.entityId && sql`entity_id = ${f.entityId}`,
    !!f.action && sql`action = ${f.action}`,
    !!f.actorAgencyId && sql`actor_agency_id = ${f.actorAgencyId}`,
    !!f.from && sql`occurred_at >= ${f.from}`,
    !!f.to && sql`occurred_at < ${f.to}`,
  ];
}

@Injectable()
export class AuditRepository {
  /** The events the caller may see that match the filter, in seq order, at most `limit`. */
  findVisible(m: EntityManager, actor: Actor, filter: EventFilter, limit: number): Promise<EventRow[]> {
    return m.query<EventRow[]>(
      ...sql`SELECT ${EVENT_COLUMNS}
         FROM audit_events ${where([auditEventVisibleTo(actor), ...matching(filter)])} ORDER BY seq LIMIT ${limit}`,
    );
  }

  /** The history of one entity, as far as the caller may see it. */
  findVisibleOf(m: EntityManager, actor: Actor, entityId: string): Promise<EventRow[]> {
    return m.query<EventRow[]>(
      ...sql`SELECT ${EVENT_COLUMNS}
         FROM audit_events WHERE entity_id = ${entityId} AND ${auditEventVisibleTo(actor)} ORDER BY seq`,
    );
  }
}
