import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor';
import { completeEntry, entryHash, EntryBody, prepareEntry } from './canonical';

export interface AuditRecord {
  action: string;
  entityType: string;
  entityId: string;
  /** The agency, besides operator and ministry, that may read the event. */
  partyAgencyId?: string | null;
  data?: Record<string, unknown>;
}

/**
 * Appends events to the hash chain inside the caller's transaction. Call it last, just before commit: the head row
 * lock it takes is the log's single serialisation point and is held until the transaction ends.
 */
@Injectable()
export class AuditWriter {
  async append(
    manager: EntityManager,
    actor: Actor,
    records: AuditRecord[],
    at = new Date(),
  ): Promise<{ firstSeq: number; lastSeq: number }> {
    if (records.length === 0) return { firstSeq: 0, lastSeq: 0 };
    const occurredAt = at.toISOString();
    const actorPart = { clientId: actor.clientId, agencyId: actor.agencyId, role: actor.role };
    const prepared = records.map((r) => {
      const body: EntryBody = {
        action: r.action,
        actor: actorPart,
        at: occurredAt,
        data: r.data ?? {},
        entity: { type: r.entityType, id: r.entityId },
        requestId: actor.requestId,
      };
      return prepareEntry(body);
    });

    const [head] = await manager.query<{ next_seq: string; last_hash: string }[]>(
      `SELECT next_seq::int8 AS next_seq, encode(last_hash, 'hex') AS last_hash FROM audit_head WHERE id = 1 FOR UPDATE`,
    );
    const firstSeq = Number(head.next_seq);
    let prev = head.last_hash;
    const n = records.length;
    const seqs = new Array<number>(n);
    const canonicals = new Array<string>(n);
    const prevs = new Array<string>(n);
    const hashes = new Array<string>(n);
    for (let i = 0; i < n; i++) {
      const seq = firstSeq + i;
      const canonical = completeEntry(prepared[i], seq, prev);
      const hash = entryHash(canonical).toString('hex');
      seqs[i] = seq;
      canonicals[i] = canonical;
      prevs[i] = prev;
      hashes[i] = hash;
      prev = hash;
    }
    await manager.query(
      `INSERT INTO audit_events (seq, occurred_at, actor_client_id, actor_agency_id, actor_role, action, entity_type,
                                 entity_id, party_agency_id, request_id, canonical, prev_hash, entry_hash)
       SELECT s, $2::timestamptz, $3::uuid, $4::uuid, $5, a, t, e, p, $6, c, decode(ph, 'hex'), decode(eh, 'hex')
         FROM unnest($1::int8[], $7::text[], $8::text[], $9::uuid[], $10::uuid[], $11::text[], $12::text[], $13::text[])
           AS u(s, a, t, e, p, c, ph, eh)`,
      [
        seqs,
        occurredAt,
        actor.clientId,
        actor.agencyId,
        actor.role,
        actor.requestId,
        records.map((r) => r.action),
        records.map((r) => r.entityType),
        records.map((r) => r.entityId),
        records.map((r) => r.partyAgencyId ?? null),
        canonicals,
        prevs,
        hashes,
      ],
    );
    await manager.query(`UPDATE audit_head SET next_seq = $1, last_hash = decode($2, 'hex') WHERE id = 1`, [
      firstSeq + n,
      prev,
    ]);
    return { firstSeq, lastSeq: firstSeq + n - 1 };
  }
}
