/**
 * Factories for bulk seeding: rows made in memory and written straight to PostgreSQL with COPY, fed in large
 * chunks. The HTTP helpers beside them (campaign.ts) exercise behaviour; these only fill tables.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { leafHash } from '../../src/audit/merkle-hash';

/** COPY is fed writes of about this size, not one write per row. */
const COPY_CHUNK_BYTES = 2 * 2 ** 20;

export interface LinkRow {
  id: string;
  batchId: string;
  marketplaceId: string;
  url: string;
  listingKey: string;
  status: string;
  at: string;
}

export interface AuditEventRow {
  seq: number;
  at: string;
  actorRole: string;
  action: string;
  entityType: string;
  entityId: string;
  canonical: string;
  prevHash: string;
  entryHash: string;
}

/** The head of a hash chain: the next sequence number and the last entry's hash, in hex. */
export interface ChainHead {
  nextSeq: number;
  lastHash: string;
}

export const LINK_COPY_COLUMNS =
  'id, batch_id, marketplace_id, url, canonical_url, listing_key, status, due_at, created_at, updated_at';
export const AUDIT_COPY_COLUMNS =
  'seq, occurred_at, actor_role, action, entity_type, entity_id, canonical, prev_hash, entry_hash';

/** Pending links of one batch over `urls`, spread round-robin over `marketplaceIds`. */
export function linkRows(urls: string[], marketplaceIds: string[], at = new Date().toISOString()): LinkRow[] {
  const batchId = randomUUID();
  return urls.map((url, i) => {
    const id = randomUUID();
    const marketplaceId = marketplaceIds[i % marketplaceIds.length];
    return { id, batchId, marketplaceId, url, listingKey: `${i}-${id}`, status: 'pending', at };
  });
}

/** Audit events chained from `head`: each canonical text names the previous hash, each hash covers its text. */
export function chainAuditEvents(
  head: ChainHead,
  events: { at: string; actorRole: string; action: string; entityId: string; data: unknown }[],
): { rows: AuditEventRow[]; head: ChainHead } {
  let seq = head.nextSeq;
  let prev = head.lastHash;
  const rows = events.map((e) => {
    const canonical = JSON.stringify({
      action: e.action,
      at: e.at,
      data: e.data,
      entity: { id: e.entityId, type: 'link' },
      prev,
      seq,
      v: 1,
    });
    const hash = leafHash(canonical).toString('hex');
    const row: AuditEventRow = {
      seq,
      at: e.at,
      actorRole: e.actorRole,
      action: e.action,
      entityType: 'link',
      entityId: e.entityId,
      canonical,
      prevHash: prev,
      entryHash: hash,
    };
    prev = hash;
    seq++;
    return row;
  });
  return { rows, head: { nextSeq: seq, lastHash: prev } };
}

function csvField(v: string): string {
  return `"${v.replace(/"/g, '""')}"`;
}

export const linkCsv = (r: LinkRow): string =>
  [
    r.id,
    r.batchId,
    r.marketplaceId,
    csvField(r.url),
    csvField(r.url),
    csvField(r.listingKey),
    r.status,
    r.at,
    r.at,
    r.at,
  ].join(',') + '\n';

export const auditCsv = (r: AuditEventRow): string =>
  [
    r.seq,
    r.at,
    r.actorRole,
    r.action,
    r.entityType,
    r.entityId,
    csvField(r.canonical),
    `\\x${r.prevHash}`,
    `\\x${r.entryHash}`,
  ].join(',') + '\n';

/** CSV lines joined into buffers of about COPY_CHUNK_BYTES each: made before a clock starts, fed to copyChunks. */
export function csvChunks<T>(rows: T[], line: (row: T) => string): Buffer[] {
  const chunks: Buffer[] = [];
  let lines: string[] = [];
  let size = 0;
  for (const row of rows) {
    const text = line(row);
    lines.push(text);
    size += text.length;
    if (size >= COPY_CHUNK_BYTES) {
      chunks.push(Buffer.from(lines.join('')));
      lines = [];
      size = 0;
    }
  }
  if (lines.length) chunks.push(Buffer.from(lines.join('')));
  return chunks;
}

/** COPY of ready-made CSV chunks into `table`. */
export async function copyChunks(
  pg: Client,
  table: string,
  columns: string,
  chunks: Buffer[],
): Promise<void> {
  const stream = pg.query(copyFrom(`COPY ${table} (${columns}) FROM STDIN WITH (FORMAT csv)`));
  const done = new Promise<void>((resolve, reject) => {
    stream.once('finish', resolve);
    stream.once('error', reject);
  });
  for (const chunk of chunks) if (!stream.write(chunk)) await new Promise((r) => stream.once('drain', r));
  stream.end();
  await done;
}

/** Links written straight into `table` (links, or a table made LIKE it): the rows a spec or bench needs, no API. */
export async function insertLinks(pg: Client, table: string, rows: LinkRow[]): Promise<void> {
  await copyChunks(pg, table, LINK_COPY_COLUMNS, csvChunks(rows, linkCsv));
}
