/**
 * The evidence scenarios of `npm run bench`: the export of a 40,000-link case, inclusion proofs at a tree of
 * 1,000,000 events, and the full verification of that log — each beside raw PostgreSQL doing the same reads.
 */
import archiver from 'archiver';
import { createHash } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { Client } from 'pg';
import { ZIP_LEVEL } from '../src/evidence-requests/evidence-export.service';

const CHUNK = 5000;
const now = () => performance.now();

/**
 * Baseline for the export: the same link rows and audit rows streamed out of PostgreSQL in keyset chunks into a
 * ZIP at the export's compression level written to disk — no proofs, no manifest, no signature.
 */
export async function baselineExport(pg: Client, requestId: string): Promise<{ ms: number; bytes: number }> {
  const t0 = now();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-zip-'));
  try {
    const zip = archiver('zip', { zlib: { level: ZIP_LEVEL } });
    const out = createWriteStream(path.join(dir, 'baseline.zip'));
    zip.pipe(out);
    const entry = async (name: string, chunks: AsyncIterable<string>) => {
      const pass = new PassThrough();
      const done = new Promise<void>((resolve, reject) => {
        zip.once('entry', () => resolve());
        zip.once('error', reject);
      });
      zip.append(pass, { name });
      for await (const text of chunks) if (!pass.write(text)) await new Promise((r) => pass.once('drain', r));
      pass.end();
      await done;
    };
    await entry(
      'links.jsonl',
      keyset(
        pg,
        `SELECT l.* FROM evidence_request_links k JOIN links l ON l.id = k.link_id
          WHERE k.request_id = $1 AND k.link_id > $2 ORDER BY k.link_id LIMIT ${CHUNK}`,
        requestId,
        '00000000-0000-0000-0000-000000000000',
        (r) => r.id as string,
      ),
    );
    await entry(
      'audit-events.jsonl',
      keyset(
        pg,
        `SELECT e.seq, e.canonical, encode(e.entry_hash, 'hex') AS entry_hash FROM audit_events e
          WHERE e.seq > $2 AND (e.entity_id = $1 OR e.entity_id IN (SELECT link_id FROM evidence_request_links WHERE request_id = $1))
          ORDER BY e.seq LIMIT ${CHUNK}`,
        requestId,
        '0',
        (r) => String(r.seq),
      ),
    );
    await zip.finalize();
    await finished(out);
    return { ms: now() - t0, bytes: zip.pointer() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function* keyset(
  pg: Client,
  sql: string,
  requestId: string,
  start: string,
  key: (row: Record<string, unknown>) => string,
): AsyncGenerator<string> {
  let after = start;
  for (;;) {
    const rows = (await pg.query<Record<string, unknown>>(sql, [requestId, after])).rows;
    if (rows.length === 0) return;
    yield rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
    after = key(rows[rows.length - 1]);
  }
}

/** Reads a response to its last byte without keeping it; returns the bytes and their SHA-256. */
export async function drain(res: Response): Promise<{ bytes: number; sha256: string; body: Buffer[] }> {
  const hash = createHash('sha256');
  const body: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    const buf = Buffer.from(chunk);
    hash.update(buf);
    bytes += buf.length;
    body.push(buf);
  }
  return { bytes, sha256: hash.digest('hex'), body };
}

/** Baseline for one inclusion proof: one indexed read of an event's stored hash, over the same kind of connection. */
export async function baselineProofReads(pg: Client, treeSize: number, n: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const seq = 1 + Math.floor(Math.random() * treeSize);
    const t0 = now();
    await pg.query('SELECT entry_hash FROM audit_events WHERE seq = $1', [seq]);
    times.push(now() - t0);
  }
  return times;
}

/** Baseline for verification: every canonical text read in keyset chunks and hashed as a leaf, the chain compared. */
export async function baselineVerify(pg: Client): Promise<{ ms: number; checked: number }> {
  const t0 = now();
  let after = 0;
  let prev = '0'.repeat(64);
  let checked = 0;
  for (;;) {
    const rows = (
      await pg.query<{ seq: string; canonical: string; prev_hash: string; entry_hash: string }>(
        `SELECT seq, canonical, encode(prev_hash, 'hex') AS prev_hash, encode(entry_hash, 'hex') AS entry_hash
           FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT 10000`,
        [after],
      )
    ).rows;
    if (rows.length === 0) break;
    for (const r of rows) {
      const leaf = createHash('sha256')
        .update(Buffer.from([0]))
        .update(r.canonical)
        .digest('hex');
      if (r.prev_hash !== prev || leaf !== r.entry_hash) throw new Error(`baseline verify: seq ${r.seq}`);
      prev = r.entry_hash;
      checked++;
    }
    after = Number(rows[rows.length - 1].seq);
  }
  return { ms: now() - t0, checked };
}
