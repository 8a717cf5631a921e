import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor';
import { copyRows, CopyValue } from '../database/copy';
import type { AuditRecord } from './audit-events';
import { completeEntry, entryHash, EntryBody, prepareEntry } from './canonical';

type PreparedEntry = ReturnType<typeof prepareEntry>;

/** Up to this many events go in one INSERT with the head update; more are streamed by COPY. */
const SMALL_APPEND = 50;

const AUDIT_COLUMNS = [
  'seq',
  'occurred_at',
  'actor_client_id',
  'actor_agency_id',
  'actor_role',
  'action',
  'entity_type',
  'entity_id',
  'party_agency_id',
  'request_id',
  'canonical',
  'prev_hash',
  'entry_hash',
];

/**
 * Appends events to the hash chain inside the caller's transaction. Call it last, just before commit: the head row
 * lock it takes is the log's single serialisation point and is held until the transaction ends.
 */
@Injectable()
export class AuditWriter {
  /** One event: the common case. */
  async record(manager: EntityManager, actor: Actor, event: AuditRecord, at = new Date()): Promise<number> {
    const { firstSeq } = await this.append(manager, actor, [event], at);
    return firstSeq;
  }

  async append(
    manager: EntityManager,
    actor: Actor,
    records: AuditRecord[],
    at = new Date(),
  ): Promise<{ firstSeq: number; lastSeq: number }> {
    if (records.length === 0) return { firstSeq: 0, lastSeq: 0 };
    const occurredAt = at.toISOString();
    const prepared = prepareAll(actor, records, occurredAt);
    if (records.length === 1) return this.appendOne(manager, actor, records[0], occurredAt, prepared[0]);
    const [head] = await manager.query<{ next_seq: string; last_hash: string }[]>(
      `SELECT next_seq::int8 AS next_seq, encode(last_hash, 'hex') AS last_hash FROM audit_head WHERE id = 1 FOR UPDATE`,
    );
    const firstSeq = Number(head.next_seq);
    const n = records.length;
    const chain = { last: head.last_hash };
    const rows = chainedRows(actor, records, prepared, occurredAt, firstSeq, chain);
    if (n > SMALL_APPEND) {
      await copyRows(manager, 'audit_events', AUDIT_COLUMNS, rows);
      await manager.query(`UPDATE audit_head SET next_seq = $1, last_hash = decode($2, 'hex') WHERE id = 1`, [
        firstSeq + n,
        chain.last,
      ]);
    } else {
      const all = [...rows];
      await insertMovingHead(manager, all, firstSeq + n, chain.last);
    }
    return { firstSeq, lastSeq: firstSeq + n - 1 };
  }

  /**
   * One event, one statement: lock the head, build the entry text around the head's seq and hash, insert it and move
   * the head, all inside PostgreSQL, so no round trip to a busy event loop happens while the lock is held.
   * The text is assembled exactly as completeEntry() does; /v1/audit/verify recomputes it either way.
   */
  private async appendOne(
    manager: EntityManager,
    actor: Actor,
    r: AuditRecord,
    occurredAt: string,
    prepared: PreparedEntry,
  ): Promise<{ firstSeq: number; lastSeq: number }> {
    const [row] = await manager.query<{ seq: string }[]>(
      `WITH h AS (
         SELECT next_seq, last_hash FROM audit_head WHERE id = 1 FOR UPDATE
       ), e AS (
         SELECT next_seq AS seq, last_hash AS prev,
                $1 || ',"prev":"' || encode(last_hash, 'hex') || '"' || $2 || ',"seq":' || next_seq || ',"v":1}' AS canonical
           FROM h
       ), x AS (
         SELECT seq, prev, canonical, sha256('\\x00'::bytea || convert_to(canonical, 'UTF8')) AS hash FROM e
       ), appended AS (
         INSERT INTO audit_events (${AUDIT_COLUMNS.join(', ')})
         SELECT seq, $3::timestamptz, $4::uuid, $5::uuid, $6, $7, $8, $9::uuid, $10::uuid, $11, canonical, prev, hash FROM x
       ), moved AS (
         UPDATE audit_head SET next_seq = x.seq + 1, last_hash = x.hash FROM x WHERE audit_head.id = 1
       )
       SELECT seq::int8 AS seq FROM x`,
      [prepared.head, prepared.requestIdPart, occurredAt, ...describing(actor, r)],
    );
    const seq = Number(row.seq);
    return { firstSeq: seq, lastSeq: seq };
  }
}

/** The searchable columns of an event between occurred_at and canonical, in AUDIT_COLUMNS' order. */
function describing(actor: Actor, r: AuditRecord): CopyValue[] {
  return [
    actor.clientId,
    actor.agencyId,
    actor.role,
    r.action,
    r.entityType,
    r.entityId,
    r.partyAgencyId ?? null,
    actor.requestId,
  ];
}

function prepareAll(actor: Actor, records: AuditRecord[], occurredAt: string): PreparedEntry[] {
  const actorPart = { clientId: actor.clientId, agencyId: actor.agencyId, role: actor.role };
  return records.map((r) => {
    const body: EntryBody = {
      action: r.action,
      actor: actorPart,
      at: occurredAt,
      data: r.data,
      entity: { type: r.entityType, id: r.entityId },
      requestId: actor.requestId,
    };
    return prepareEntry(body);
  });
}

/**
 * The rows of the append, chained from `chain.last` (the head's hash), which is left at the last row's hash.
 * Rows are produced one at a time so a 40,000-event append never holds all its canonical texts at once.
 */
function* chainedRows(
  actor: Actor,
  records: AuditRecord[],
  prepared: PreparedEntry[],
  occurredAt: string,
  firstSeq: number,
  chain: { last: string },
): Generator<CopyValue[]> {
  for (let i = 0; i < records.length; i++) {
    const seq = firstSeq + i;
    const canonical = completeEntry(prepared[i], seq, chain.last);
    const hash = entryHash(canonical).toString('hex');
    const r = records[i];
    yield [seq, occurredAt, ...describing(actor, r), canonical, `\\x${chain.last}`, `\\x${hash}`];
    chain.last = hash;
  }
}

/** A few events: insert them and move the head in one round trip, the shortest hold of the head lock. */
async function insertMovingHead(
  manager: EntityManager,
  rows: CopyValue[][],
  nextSeq: number,
  lastHash: string,
): Promise<void> {
  const column = (i: number) => rows.map((r) => r[i]);
  await manager.query(
    `WITH appended AS (
       INSERT INTO audit_events (${AUDIT_COLUMNS.join(', ')})
       SELECT * FROM unnest($1::int8[], $2::timestamptz[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[],
                            $8::uuid[], $9::uuid[], $10::text[], $11::text[], $12::bytea[], $13::bytea[])
     )
     UPDATE audit_head SET next_seq = $14, last_hash = decode($15, 'hex') WHERE id = 1`,
    [...AUDIT_COLUMNS.map((_, i) => column(i)), nextSeq, lastHash],
  );
}
