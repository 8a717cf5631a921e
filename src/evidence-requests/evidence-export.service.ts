import { Injectable } from '@nestjs/common';
import archiver from 'archiver';
import { createHash, sign } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { Actor } from '../auth/actor';
import { AuditWriter } from '../audit/audit.writer';
import { Checkpoint } from '../audit/checkpoint-note';
import { CheckpointsService } from '../audit/checkpoints.service';
import { MerkleTreeService } from '../audit/merkle-tree.service';
import { AppError } from '../common/app-error';
import { TransactionService } from '../database/transaction.service';
import { LINK_COLUMNS, LinkRow, toLinkView } from '../links/link.view';
import { expired } from './evidence-requests.service';
import { README } from './package-readme';

const CHUNK = 5000;

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
      const zip = archiver('zip', { zlib: { level: 6 } });
      const out = createWriteStream(file);
      const outerHash = createHash('sha256');
      let bytes = 0;
      zip.on('data', (chunk: Buffer) => {
        outerHash.update(chunk);
        bytes += chunk.length;
      });
      zip.pipe(out);
      const add = async (name: string, source: AsyncIterable<string> | Iterable<string>) => {
        const hash = createHash('sha256');
        let size = 0;
        const pass = new PassThrough();
        const done = new Promise<void>((resolve, reject) => {
          zip.once('entry', () => resolve());
          zip.once('error', reject);
        });
        zip.append(pass, { name, date: checkpointDate(checkpoint) });
        for await (const text of source) {
          const buf = Buffer.from(text, 'utf8');
          hash.update(buf);
          size += buf.length;
          if (!pass.write(buf)) await new Promise((r) => pass.once('drain', r));
        }
        pass.end();
        await done;
        files.push({ name, bytes: size, sha256: hash.digest('hex') });
      };

      await add('README.txt', [README]);
      await add('links.jsonl', this.linkLines(id, false));
      await add('links.csv', this.linkLines(id, true));
      await add('seller-records.jsonl', this.sellerRecordLines(id));
      await add('audit-events.jsonl', this.eventLines(id, checkpoint.treeSize));
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

  private async *linkLines(id: string, csv: boolean): AsyncGenerator<string> {
    if (csv)
      yield 'id,batchId,marketplaceId,url,canonicalUrl,listingKey,status,statusReason,createdAt,resolvedAt,relisted,sellerRef\n';
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows = await this.tx.dataSource.query<(LinkRow & { prior_takedowns: null })[]>(
        `SELECT ${LINK_COLUMNS}, NULL::int AS prior_takedowns FROM evidence_request_links k JOIN links l ON l.id = k.link_id
          WHERE k.request_id = $1 AND k.link_id > $2 ORDER BY k.link_id LIMIT ${CHUNK}`,
        [id, after],
      );
      if (rows.length === 0) return;
      let text = '';
      for (const row of rows) {
        const v = toLinkView(row);
        text += csv
          ? [
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
              .join(',') + '\n'
          : JSON.stringify(v) + '\n';
      }
      yield text;
      after = rows[rows.length - 1].id;
    }
  }

  private async *sellerRecordLines(id: string): AsyncGenerator<string> {
    const rows = await this.tx.dataSource.query<{ marketplace_id: string; record: unknown }[]>(
      `SELECT x.marketplace_id, r.record FROM evidence_responses x, jsonb_array_elements(coalesce(x.seller_records, '[]')) AS r(record)
        WHERE x.request_id = $1 AND x.decision = 'fulfil' ORDER BY x.marketplace_id`,
      [id],
    );
    for (const r of rows)
      yield JSON.stringify({ marketplaceId: r.marketplace_id, ...(r.record as object) }) + '\n';
  }

  /** Every event of the scoped links and of the request, in seq order, each with its inclusion proof to the checkpoint. */
  private async *eventLines(id: string, treeSize: number): AsyncGenerator<string> {
    let after = 0;
    for (;;) {
      const rows = await this.tx.dataSource.query<{ seq: string; canonical: string; entry_hash: string }[]>(
        `SELECT e.seq, e.canonical, encode(e.entry_hash, 'hex') AS entry_hash FROM audit_events e
          WHERE e.seq > $2 AND e.seq <= $3
            AND (e.entity_id = $1 OR e.entity_id IN (SELECT link_id FROM evidence_request_links WHERE request_id = $1))
          ORDER BY e.seq LIMIT ${CHUNK}`,
        [id, after, treeSize],
      );
      if (rows.length === 0) return;
      const proofs = await this.tree.inclusionProofs(
        rows.map((r) => Number(r.seq)),
        treeSize,
      );
      let text = '';
      for (const r of rows) {
        const seq = Number(r.seq);
        text +=
          JSON.stringify({
            seq,
            leafIndex: seq - 1,
            canonical: r.canonical,
            entryHash: r.entry_hash,
            inclusionProof: proofs.get(seq),
          }) + '\n';
      }
      yield text;
      after = Number(rows[rows.length - 1].seq);
    }
  }
}

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function checkpointDate(cp: Checkpoint): Date {
  return new Date(cp.issuedAt);
}
