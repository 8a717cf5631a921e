import { Injectable } from '@nestjs/common';
import archiver from 'archiver';
import { createHash, sign } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import type { Actor } from '../auth/actor';
import { evidenceRequestExported } from '../audit/audit-events';
import { AuditWriter } from '../audit/audit.writer';
import { Checkpoint } from '../audit/checkpoint-note';
import { CheckpointsService } from '../audit/checkpoints.service';
import { AppError } from '../errors/app-error';
import { HeavyWork } from '../database/heavy-work';
import { TransactionService } from '../database/transaction.service';
import type { PackageLink, RequestStory } from './evidence-package';
import type { RequestRow } from './evidence-requests.repository';
import { expired } from './evidence-rules';
import { EvidencePackageSource } from './evidence-package-source';
import { README } from './package-readme';

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
    private readonly source: EvidencePackageSource,
    private readonly checkpoints: CheckpointsService,
    private readonly heavy: HeavyWork,
  ) {}

  /** The request may be exported by this caller now: found (404), not expired (410), ready (409). */
  async check(actor: Actor, id: string): Promise<void> {
    const [request] = await this.tx.dataSource.query<RequestRow[]>(
      'SELECT * FROM evidence_requests WHERE id = $1 AND police_agency_id = $2',
      [id, actor.agencyId],
    );
    if (!request) throw AppError.notFound('Evidence request');
    if (request.expires_at.getTime() <= Date.now()) throw expired(request);
    if (request.status !== 'ready') {
      throw AppError.conflict(
        'EVIDENCE_NOT_READY',
        `The request is ${request.status}; a package can be downloaded once it is ready`,
      );
    }
  }

  /**
   * Builds the package in the bounded queue of heavy work (503 + Retry-After when full). When `signal` aborts — the
   * client went away — the build stops at the next chunk and leaves no file, descriptor or connection behind.
   */
  async export(actor: Actor, id: string, signal?: AbortSignal): Promise<EvidencePackage> {
    await this.check(actor, id);
    return this.heavy.run(() => this.build(actor, id, signal), signal);
  }

  private async build(actor: Actor, id: string, signal?: AbortSignal): Promise<EvidencePackage> {
    signal?.throwIfAborted();
    const checkpoint = await this.checkpoints.issueIfGrown();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'evidence-'));
    const file = path.join(dir, `evidence-${id}.zip`);
    const zip = archiver('zip', { zlib: { level: ZIP_LEVEL } });
    const out = createWriteStream(file);
    // Failures reach the build through the promises below (entry, finalize, finished); a package given up half-way
    // can still see late errors from compression in flight, which must not become uncaught ones.
    zip.on('error', () => undefined);
    out.on('error', () => undefined);
    try {
      const files: PackageFile[] = [];
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
        pass.on('error', () => undefined);
        const done = new Promise<void>((resolve, reject) => {
          zip.once('entry', () => resolve());
          zip.once('error', reject);
        });
        done.catch(() => undefined); // awaited below unless the source fails first
        zip.append(pass, { name, date: checkpointDate(checkpoint) });
        try {
          for await (const piece of source) {
            signal?.throwIfAborted();
            const buf = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
            hash.update(buf);
            size += buf.length;
            if (!pass.write(buf)) await drained(pass, signal);
          }
        } catch (error) {
          // Refused or abandoned: what is still buffered must not flow into the compressor the abort destroys.
          pass.unpipe();
          pass.destroy();
          throw error;
        }
        pass.end();
        await done;
        files.push({ name, bytes: size, sha256: hash.digest('hex') });
      };

      let story: RequestStory | undefined;
      await this.tx.snapshot(async (runner) => {
        story = await this.source.request(runner, id, checkpoint.treeSize);
        const fulfilled = story.parts.filter((p) => p.decision === 'fulfil').map((p) => p.marketplaceId);
        await add('README.txt', [README]);
        // The events first: as they stream into the ZIP each link's are replayed, so the link lines need no second read.
        const replays = new Map<string, PackageLink>();
        await add(
          'audit-events.jsonl',
          this.source.eventLines(runner, id, fulfilled, checkpoint.treeSize, replays),
        );
        // One pass over the links writes both forms: JSON lines into the ZIP, CSV aside to be added next.
        const csv = path.join(dir, 'links.csv');
        await add(
          'links.jsonl',
          this.source.linkLines(runner, id, fulfilled, replays, createWriteStream(csv)),
        );
        await add('links.csv', createReadStream(csv));
        await add('seller-records.jsonl', await this.source.sellerRecordLines(runner, id, story));
        await add('keys.json', [JSON.stringify(this.checkpoints.keys(), null, 2) + '\n']);
      });
      const manifest = Buffer.from(
        JSON.stringify(
          {
            request: story!.request,
            generatedAt: new Date().toISOString(),
            files,
            checkpoint,
            keyId: this.checkpoints.keyId,
            withheld: withheldParts(story!),
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
      await zip.finalize();
      await finished(out);
      const sha256 = outerHash.digest('hex');
      await this.tx.run((m) =>
        this.audit.record(
          m,
          actor,
          evidenceRequestExported(id, actor.agencyId, {
            sha256,
            bytes,
            treeSize: checkpoint.treeSize,
            rootHash: checkpoint.rootHash,
            files: files.map((f) => ({ name: f.name, sha256: f.sha256 })),
          }),
        ),
      );
      return { file, sha256, bytes, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
    } catch (error) {
      // A refused or failed package leaves nothing behind: no open stream, descriptor or file.
      zip.unpipe(out);
      zip.abort();
      out.destroy();
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /** Streams the package to `out`; its temporary file goes when the stream ends, fails or the client leaves. */
  async send(pkg: EvidencePackage, out: Writable): Promise<void> {
    try {
      await pipeline(createReadStream(pkg.file), out);
    } catch {
      // The client went away mid-download: nothing to answer, only to clean up.
    } finally {
      pkg.cleanup();
    }
  }
}

/** Waits for a full stream to drain, or for the client to leave (then the build must not wait forever). */
function drained(stream: PassThrough, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const gone = () => reject(signal!.reason as Error);
    stream.once('drain', () => {
      signal?.removeEventListener('abort', gone);
      resolve();
    });
    signal?.addEventListener('abort', gone, { once: true });
  });
}

function withheldParts(story: RequestStory): { marketplaceId: string; linkCount: number }[] {
  return story.parts
    .filter((p) => p.decision !== 'fulfil')
    .map((p) => ({ marketplaceId: p.marketplaceId, linkCount: p.links }));
}

function checkpointDate(cp: Checkpoint): Date {
  return new Date(cp.issuedAt);
}
