import { Injectable } from '@nestjs/common';
import archiver from 'archiver';
import { createHash, sign } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { once } from 'node:events';
import { PassThrough, Readable, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { Actor } from '../auth/actor';
import { AuditWriter } from '../audit/audit.writer';
import { Checkpoint } from '../audit/checkpoint-note';
import { CheckpointsService } from '../audit/checkpoints.service';
import { MerkleTreeService } from '../audit/merkle-tree.service';
import { AppError } from '../common/app-error';
import { QueryRunner } from 'typeorm';
import { TransactionService } from '../database/transaction.service';
import { LINK_COLUMNS, LinkRow, toLinkView } from '../links/link.view';
import { expired } from './evidence-requests.service';
import { README } from './package-readme';

/** Rows per cursor fetch: small chunks die young in V8's heap (5,000 was slower and peaked 100 MB higher). */
const CHUNK = 1000;
/** Deflate level 1: the package is mostly hex proofs that compress as well at 1 as at 6, in half the time. */
export const ZIP_LEVEL = 1;

export interface PackageFile {
  name: string;
  bytes: number;
  sha256: string;
}

export interface EvidencePackage {
  file: string;
  sha256: string;
  bytes: number;
  cleanup: () => void;
}

/**
 * Builds the evidence package as a streamed ZIP into a temporary file — rows read in chunks, memory flat — so its
 * SHA-256 is known and the download's audit event is committed before the first byte leaves.
 */
@Injectable()
export class EvidenceExportService {
  constructor(
    private readonly tx: TransactionService,
    private readonly audit: AuditWriter,
    private readonly tree: MerkleTreeService,
    private readonly checkpoints: CheckpointsService,
  ) {}

  async export(actor: Actor, id: string): Promise<EvidencePackage> {
    const db = this.tx.dataSource;
    const [request] = await db.query<
      {
        id: string;
        case_number: string;
        legal_basis: string;
        purpose: string;
        status: string;
        expires_at: Date;
        created_at: Date;
        police_agency_id: string;
      }[]
    >('SELECT * FROM evidence_requests WHERE id = $1 AND police_agency_id = $2', [id, actor.agencyId]);
    if (!request) throw AppError.notFound('Evidence request');
    if (request.expires_at.getTime() <= Date.now()) throw expired(request);
    if (request.status !== 'ready') {
      throw AppError.conflict(
        'EVIDENCE_NOT_READY',
        `The request is ${request.status}; a package can be downloaded once it is ready`,
      );
    }
    const checkpoint = await this.checkpoints.issueIfGrown();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'evidence-'));
    const file = path.join(dir, `evidence-${id}.zip`);
    try {
      const files: PackageFile[] = [];
      const zip = archiver('zip', { zlib: { level: ZIP_LEVEL } });
      const out = createWriteStream(file);
      const outerHash = createHash('sha256');
      let bytes = 0;
      zip.on('data', (chunk: Buffer) => {
        outerHash.update(chunk);
        bytes += chunk.length;
      });
      zip.pipe(out);
      const add = async (
        name: string,
        source: AsyncIterable<string | Buffer> | Iterable<string | Buffer>,
      ) => {
        const hash = createHash('sha256');
        let size = 0;
        // Room for a chunk (≈ 2 MB of lines), so the next one is built while zlib compresses this one.
        const pass = new PassThrough({ highWaterMark: 4 * 2 ** 20 });
        const done = new Promise<void>((resolve, reject) => {
          zip.once('entry', () => resolve());
          zip.once('error', reject);
        });
        zip.append(pass, { name, date: checkpointDate(checkpoint) });
        for await (const piece of source) {
          const buf = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
          hash.update(buf);
          size += buf.length;
          if (!pass.write(buf)) await new Promise((r) => pass.once('drain', r));
        }
        pass.end();
        await done;
        files.push({ name, bytes: size, sha256: hash.digest('hex') });
      };

      await this.inSnapshot(async (runner) => {
        await add('README.txt', [README]);
        // One pass over the links writes both forms: JSON lines into the ZIP, CSV aside to be added next.
        const csv = path.join(dir, 'links.csv');
        await add('links.jsonl', this.linkLines(runner, id, createWriteStream(csv)));
        await add('links.csv', createReadStream(csv));
        await add('seller-records.jsonl', this.sellerRecordLines(runner, id));
        await add('audit-events.jsonl', this.eventLines(runner, id, checkpoint.treeSize));
      });
      const manifest = Buffer.from(
        JSON.stringify(
          {
            request: {
              id: request.id,
              caseNumber: request.case_number,
              legalBasis: request.legal_basis,
              purpose: request.purpose,
              policeAgencyId: request.police_agency_id,
              createdAt: request.created_at.toISOString(),
            },
            generatedAt: new Date().toISOString(),
            files,
            checkpoint,
            keyId: this.checkpoints.keyId,
          },
          null,
          2,
        ) + '\n',
      );
      zip.append(manifest, { name: 'manifest.json', date: checkpointDate(checkpoint) });
      zip.append(sign(null, manifest, this.checkpoints.signingKey()).toString('base64') + '\n', {
        name: 'manifest.sig',
        date: checkpointDate(checkpoint),
      });
      zip.append(JSON.stringify(this.checkpoints.keys(), null, 2) + '\n', {
        name: 'keys.json',
        date: checkpointDate(checkpoint),
      });
      await zip.finalize();
      await finished(out);
      const sha256 = outerHash.digest('hex');
      await this.tx.run((m) =>
        this.audit.append(m, actor, [
          {
            action: 'evidence_request.exported',
            entityType: 'evidence_request',
            entityId: id,
            partyAgencyId: actor.agencyId,
            data: {
              sha256,
              bytes,
              treeSize: checkpoint.treeSize,
              rootHash: checkpoint.rootHash,
              files: files.map((f) => ({ name: f.name, sha256: f.sha256 })),
            },
          },
        ]),
      );
      return { file, sha256, bytes, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }

  stream(pkg: EvidencePackage): Readable {
    const s = createReadStream(pkg.file);
    s.on('close', pkg.cleanup);
    return s;
  }

  /** Reads the package's rows in one read-only snapshot, so links, answers and events agree with each other. */
  private async inSnapshot(work: (runner: QueryRunner) => Promise<void>): Promise<void> {
    const runner = this.tx.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('START TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
      // The export's plans are fixed by their SQL; compiling them (JIT, set off by stale estimates) only costs time.
      await runner.query('SET LOCAL jit = off');
      await work(runner);
      await runner.query('COMMIT');
    } catch (error) {
      await runner.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }

  /** Yields links.jsonl and writes links.csv to `csv` as it goes, ending it when done. */
  private async *linkLines(runner: QueryRunner, id: string, csv: Writable): AsyncGenerator<string> {
    const write = async (text: string) => {
      if (!csv.write(text)) await once(csv, 'drain');
    };
    await write(
      'id,batchId,marketplaceId,url,canonicalUrl,listingKey,status,statusReason,createdAt,resolvedAt,relisted,sellerRef\n',
    );
    const rows = cursor<LinkRow & { prior_takedowns: null }>(
      runner,
      `SELECT ${LINK_COLUMNS}, NULL::int AS prior_takedowns FROM evidence_request_links k JOIN links l ON l.id = k.link_id
        WHERE k.request_id = $1 ORDER BY k.link_id`,
      [id],
    );
    try {
      yield* this.linkChunks(rows, write);
    } catch (error) {
      csv.destroy();
      throw error;
    }
    csv.end();
    await finished(csv);
  }

  private async *linkChunks(
    rows: AsyncIterable<(LinkRow & { prior_takedowns: null })[]>,
    writeCsv: (text: string) => Promise<void>,
  ): AsyncGenerator<string> {
    for await (const chunk of rows) {
      let json = '';
      let table = '';
      for (const row of chunk) {
        const v = toLinkView(row);
        json += JSON.stringify(v) + '\n';
        table +=
          [
            v.id,
            v.batchId,
            v.marketplaceId,
            v.url,
            v.canonicalUrl,
            v.listingKey,
            v.status,
            v.statusReason ?? '',
            v.createdAt,
            v.resolvedAt ?? '',
            String(v.relisted),
            row.seller_ref ?? '',
          ]
            .map(csvCell)
            .join(',') + '\n';
      }
      await writeCsv(table);
      yield json;
    }
  }

  private async *sellerRecordLines(runner: QueryRunner, id: string): AsyncGenerator<string> {
    const rows = cursor<{ marketplace_id: string; record: object }>(
      runner,
      `SELECT x.marketplace_id, r.record FROM evidence_responses x, jsonb_array_elements(coalesce(x.seller_records, '[]')) AS r(record)
        WHERE x.request_id = $1 AND x.decision = 'fulfil' ORDER BY x.marketplace_id`,
      [id],
    );
    for await (const chunk of rows)
      yield chunk
        .map((r) => JSON.stringify({ marketplaceId: r.marketplace_id, ...r.record }) + '\n')
        .join('');
  }

  /**
   * Every event of the scoped links and of the request up to the checkpoint, in seq order, each with its inclusion
   * proof. The plan is spelled out, since at filing time the statistics know nothing of the request's links: for
   * each entity its seqs from the (entity_id, seq) index (OFFSET 0 keeps PostgreSQL from turning this into a scan of
   * the whole log), those few integers sorted, then each event read by its seq as the cursor advances.
   */
  private async *eventLines(runner: QueryRunner, id: string, treeSize: number): AsyncGenerator<string> {
    const rows = cursor<{ seq: string; canonical: string; entry_hash: string }>(
      runner,
      `SELECT e.seq, e.canonical, encode(e.entry_hash, 'hex') AS entry_hash
         FROM (SELECT x.seq
                 FROM (SELECT link_id FROM evidence_request_links WHERE request_id = $1 UNION ALL SELECT $1) AS k(id)
                 CROSS JOIN LATERAL (SELECT seq FROM audit_events WHERE entity_id = k.id AND seq <= $2 OFFSET 0) AS x
                ORDER BY x.seq) AS s
        CROSS JOIN LATERAL (SELECT * FROM audit_events WHERE seq = s.seq OFFSET 0) AS e`,
      [id, treeSize],
    );
    for await (const chunk of rows) {
      const proofs = await this.tree.inclusionProofs(
        chunk.map((r) => Number(r.seq)),
        treeSize,
      );
      // Written by hand in the contract's key order: JSON.stringify of 5,000 objects a chunk was the GC's main load.
      let text = '';
      chunk.forEach((r, i) => {
        const seq = Number(r.seq);
        text += `{"seq":${seq},"leafIndex":${seq - 1},"canonical":${JSON.stringify(r.canonical)},"entryHash":"${r.entry_hash}","inclusionProof":[${proofs[i].map((h) => `"${h}"`).join(',')}]}\n`;
      });
      yield text;
    }
  }
}

let cursors = 0;

/** A server-side cursor inside the runner's transaction, fetched CHUNK rows at a time. */
async function* cursor<T>(runner: QueryRunner, sql: string, params: unknown[]): AsyncGenerator<T[]> {
  const name = `export_${++cursors}`;
  await runner.query(`DECLARE ${name} NO SCROLL CURSOR FOR ${sql}`, params);
  const fetch = () => {
    const rows = runner.query(`FETCH ${CHUNK} FROM ${name}`) as Promise<T[]>;
    rows.catch(() => undefined); // awaited below; this only keeps a failure from being reported as unhandled
    return rows;
  };
  // One chunk ahead: PostgreSQL reads the next rows while this process turns the current ones into lines.
  let next = fetch();
  try {
    for (;;) {
      const rows = await next;
      if (rows.length === 0) return;
      next = fetch();
      yield rows;
    }
  } finally {
    await next.catch(() => undefined);
    // After a failed statement the transaction is aborted and the cursor gone with it; ROLLBACK follows.
    await runner.query(`CLOSE ${name}`).catch(() => undefined);
  }
}

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function checkpointDate(cp: Checkpoint): Date {
  return new Date(cp.issuedAt);
}
