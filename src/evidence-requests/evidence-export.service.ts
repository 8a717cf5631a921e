import { Injectable } from '@nestjs/common';
import { sign } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Actor } from '../auth/actor';
import { evidenceRequestExported } from '../audit/audit-events';
import { AuditWriter } from '../audit/audit.writer';
import { Checkpoint } from '../audit/checkpoint-note';
import { CheckpointsService } from '../audit/checkpoints.service';
import { AppError } from '../errors/app-error';
import { HeavyWork } from '../database/heavy-work';
import { TransactionService } from '../database/transaction.service';
import type { PackageLink, RequestStory } from './evidence-package';
import { EvidenceRequestsRepository } from './evidence-requests.repository';
import { expired } from './evidence-rules';
import { EvidencePackageSource } from './evidence-package-source';
import { README } from './package-readme';
import { PackageFile, PackageZip } from './package-zip';

export { ZIP_LEVEL } from './package-zip';

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
    private readonly requests: EvidenceRequestsRepository,
  ) {}

  /** The request may be exported by this caller now: found (404), not expired (410), ready (409). */
  async check(actor: Actor, id: string): Promise<void> {
    const request = await this.requests.findFiledBy(this.tx.dataSource.manager, id, actor.agencyId);
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
    const zip = new PackageZip(path.join(dir, `evidence-${id}.zip`), checkpointDate(checkpoint), signal);
    try {
      zip.open();
      const story = await this.addFiles(zip, id, dir, checkpoint);
      const manifest = this.manifest(story, zip.files, checkpoint);
      const sha256 = await zip.finish([
        { name: 'manifest.json', content: manifest },
        {
          name: 'manifest.sig',
          content: sign(null, manifest, this.checkpoints.signingKey()).toString('base64') + '\n',
        },
      ]);
      await this.recordExport(actor, id, checkpoint, sha256, zip);
      const cleanup = () => rmSync(dir, { recursive: true, force: true });
      return { file: zip.file, sha256, bytes: zip.bytes, cleanup };
    } catch (error) {
      // A refused or failed package leaves nothing behind: no open stream, descriptor or file.
      zip.abort();
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /** Every file but the manifest, read from one snapshot at the checkpoint; returns the request's story. */
  private async addFiles(
    zip: PackageZip,
    id: string,
    dir: string,
    checkpoint: Checkpoint,
  ): Promise<RequestStory> {
    let story: RequestStory | undefined;
    await this.tx.snapshot(async (runner) => {
      story = await this.source.request(runner, id, checkpoint.treeSize);
      const fulfilled = story.parts.filter((p) => p.decision === 'fulfil').map((p) => p.marketplaceId);
      await zip.add('README.txt', [README]);
      // The events first: as they stream into the ZIP each link's are replayed, so the link lines need no second read.
      const replays = new Map<string, PackageLink>();
      await zip.add(
        'audit-events.jsonl',
        this.source.eventLines(runner, id, fulfilled, checkpoint.treeSize, replays),
      );
      // One pass over the links writes both forms: JSON lines into the ZIP, CSV aside to be added next.
      const csv = path.join(dir, 'links.csv');
      await zip.add(
        'links.jsonl',
        this.source.linkLines(runner, id, fulfilled, replays, createWriteStream(csv)),
      );
      await zip.add('links.csv', createReadStream(csv));
      await zip.add('seller-records.jsonl', await this.source.sellerRecordLines(runner, id, story));
      await zip.add('keys.json', [JSON.stringify(this.checkpoints.keys(), null, 2) + '\n']);
    });
    return story!;
  }

  private manifest(story: RequestStory, files: PackageFile[], checkpoint: Checkpoint): Buffer {
    const manifest = {
      request: story.request,
      generatedAt: new Date().toISOString(),
      files,
      checkpoint,
      keyId: this.checkpoints.keyId,
      withheld: withheldParts(story),
    };
    return Buffer.from(JSON.stringify(manifest, null, 2) + '\n');
  }

  /** The download's audit event, committed before the first byte leaves. */
  private async recordExport(
    actor: Actor,
    id: string,
    checkpoint: Checkpoint,
    sha256: string,
    zip: PackageZip,
  ): Promise<void> {
    await this.tx.run((m) =>
      this.audit.record(
        m,
        actor,
        evidenceRequestExported(id, actor.agencyId, {
          sha256,
          bytes: zip.bytes,
          treeSize: checkpoint.treeSize,
          rootHash: checkpoint.rootHash,
          files: zip.files.map((f) => ({ name: f.name, sha256: f.sha256 })),
        }),
      ),
    );
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

function withheldParts(story: RequestStory): { marketplaceId: string; linkCount: number }[] {
  return story.parts
    .filter((p) => p.decision !== 'fulfil')
    .map((p) => ({ marketplaceId: p.marketplaceId, linkCount: p.links }));
}

function checkpointDate(cp: Checkpoint): Date {
  return new Date(cp.issuedAt);
}
