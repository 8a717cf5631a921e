/**
 * The raw baselines' tables: made LIKE the real links and audit_events including their indexes, with a head row
 * like audit_head, so raw PostgreSQL pays for the same indexes the API does.
 */
import type { Client } from 'pg';
import {
  AUDIT_COPY_COLUMNS,
  AuditEventRow,
  auditCsv,
  chainAuditEvents,
  ChainHead,
  copyChunks,
  csvChunks,
} from '../test/support/factories';

export async function createBaselineTables(pg: Client): Promise<void> {
  await pg.query(
    `CREATE TABLE bench_links (LIKE links INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)`,
  );
  await pg.query(
    `CREATE TABLE bench_audit (LIKE audit_events INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)`,
  );
  await pg.query(
    `CREATE TABLE bench_head (id int PRIMARY KEY, next_seq bigint NOT NULL, last_hash bytea NOT NULL)`,
  );
  await pg.query(`INSERT INTO bench_head VALUES (1, 1, decode(repeat('00', 32), 'hex'))`);
}

async function readHead(pg: Client, lock: boolean): Promise<ChainHead> {
  const row = (
    await pg.query<{ next_seq: string; h: string }>(
      `SELECT next_seq, encode(last_hash, 'hex') AS h FROM bench_head WHERE id = 1${lock ? ' FOR UPDATE' : ''}`,
    )
  ).rows[0];
  return { nextSeq: Number(row.next_seq), lastHash: row.h };
}

/** Audit rows chained from the baseline head and cut into COPY chunks: made before the clock starts. */
export interface PreparedChain {
  from: ChainHead;
  to: ChainHead;
  chunks: Buffer[];
}

export async function prepareChain(
  pg: Client,
  events: Parameters<typeof chainAuditEvents>[1],
  from?: ChainHead,
): Promise<PreparedChain> {
  const start = from ?? (await readHead(pg, false));
  const { rows, head } = chainAuditEvents(start, events);
  return { from: start, to: head, chunks: csvChunks<AuditEventRow>(rows, auditCsv) };
}

/**
 * The baseline's one audit append, inside the caller's transaction: lock the head, COPY the prepared rows, move the
 * head. The rows were chained from the head read when they were prepared; nothing else writes it meanwhile.
 */
export async function appendChain(pg: Client, chain: PreparedChain): Promise<void> {
  const head = await readHead(pg, true);
  if (head.nextSeq !== chain.from.nextSeq)
    throw new Error('the baseline head moved after its rows were prepared');
  await copyChunks(pg, 'bench_audit', AUDIT_COPY_COLUMNS, chain.chunks);
  await pg.query(`UPDATE bench_head SET next_seq = $1, last_hash = decode($2, 'hex') WHERE id = 1`, [
    chain.to.nextSeq,
    chain.to.lastHash,
  ]);
}
