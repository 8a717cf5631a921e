import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { createPublicKey, KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { jwkThumbprint, loadOrCreatePrivateKey, publicJwk } from '../auth/keys';
import { AppError } from '../errors/app-error';
import { APP_CONFIG, AppConfig } from '../config/config';
import { TransactionService } from '../database/transaction.service';
import { Checkpoint, signCheckpoint } from './checkpoint-note';
import { AuditKeysResponseDto } from './dto/checkpoint.dto';
import { MerkleTreeService } from './merkle-tree.service';
import { SingleFlight } from './single-flight';

export interface CheckpointRow {
  tree_size: string;
  root_hash: string;
  issued_at: Date;
  key_id: string;
  note: string;
  signature: string;
}

/**
 * Signs checkpoints with the Ed25519 audit key: at least every CHECKPOINT_INTERVAL_SECONDS while the log grows, and on
 * demand (an export proves its events against a fresh one).
 *
 * Issuing is single-flight within the process (concurrent callers share one issuing; see SingleFlight for who shares
 * which) and serialised across processes by an advisory lock. It runs on one connection: the advisory lock, the tree's
 * integration and the insert share one transaction, so no issuer holds a connection while it waits for another.
 */
@Injectable()
export class CheckpointsService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Checkpoints');
  private readonly key: KeyObject;
  readonly keyId: string;
  private readonly retired: KeyObject[];
  private timer?: NodeJS.Timeout;
  private readonly issuing = new SingleFlight((reading) => this.issue(reading));

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tx: TransactionService,
    private readonly tree: MerkleTreeService,
  ) {
    this.key = loadOrCreatePrivateKey(config.auditKeyFile, 'ed25519');
    this.keyId = jwkThumbprint(createPublicKey(this.key));
    this.retired = config.auditRetiredKeyFiles.map((file) => createPublicKey(readFileSync(file)));
  }

  onModuleInit(): void {
    if (this.config.checkpointIntervalSeconds === 0) return;
    this.timer = setInterval(() => {
      this.issueIfGrown().catch((error: unknown) =>
        this.logger.warn({ err: String(error) }, 'checkpoint failed'),
      );
    }, this.config.checkpointIntervalSeconds * 1000);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** The signing key first, then the retired ones that signed earlier checkpoints and packages. */
  keys(): AuditKeysResponseDto {
    return {
      keys: [this.key, ...this.retired].map((k) => {
        const { kty, crv, x, kid, use, alg } = publicJwk(k, { use: 'sig', alg: 'EdDSA' });
        return { kty, crv, x, kid, use, alg };
      }),
    };
  }

  /** For signing evidence manifests with the same key as checkpoints. */
  signingKey(): KeyObject {
    return this.key;
  }

  /**
   * Integrates the log and signs a checkpoint of it, unless the latest one already covers every event. The answer
   * covers every event committed before the call.
   */
  issueIfGrown(): Promise<Checkpoint> {
    return this.issuing.run();
  }

  private issue(reading: () => void): Promise<Checkpoint> {
    return this.tx.detached(async (m) => {
      // One issuer at a time across processes, so checkpoint times and sizes only move forward.
      await m.query('SELECT pg_advisory_xact_lock(7240003)');
      reading(); // from here on the log's head may already have been read: later callers wait for the next issuing
      const { size, root } = await this.tree.integrate(undefined, m);
      const [latest] = await m.query<CheckpointRow[]>(`${SELECT} ORDER BY tree_size DESC LIMIT 1`);
      if (latest && Number(latest.tree_size) === size) return toCheckpoint(latest);
      const issuedAt = new Date(Math.max(Date.now(), (latest?.issued_at.getTime() ?? 0) + 1)).toISOString();
      const cp = signCheckpoint(
        this.key,
        this.keyId,
        this.config.auditOrigin,
        size,
        root.toString('hex'),
        issuedAt,
      );
      await m.query(
        `INSERT INTO audit_checkpoints (tree_size, root_hash, issued_at, key_id, note, signature) VALUES ($1, decode($2, 'hex'), $3, $4, $5, $6)`,
        [size, cp.rootHash, issuedAt, cp.keyId, cp.note, cp.signature],
      );
      return cp;
    });
  }

  /** The latest checkpoint covers every committed event: it is signed now if the log grew since the last one. */
  latest(): Promise<Checkpoint> {
    return this.issueIfGrown();
  }

  async at(treeSize: number): Promise<Checkpoint> {
    const [row] = await this.tx.dataSource.query<CheckpointRow[]>(`${SELECT} WHERE tree_size = $1`, [
      treeSize,
    ]);
    if (!row) throw AppError.notFound(`A checkpoint of tree size ${treeSize}`);
    return toCheckpoint(row);
  }
}

const SELECT = `SELECT tree_size, encode(root_hash, 'hex') AS root_hash, issued_at, key_id, note, signature FROM audit_checkpoints`;

/** The note's first line is its origin. */
export function toCheckpoint(r: CheckpointRow): Checkpoint {
  return {
    origin: r.note.split('\n')[0],
    treeSize: Number(r.tree_size),
    rootHash: r.root_hash,
    issuedAt: r.issued_at.toISOString(),
    keyId: r.key_id,
    note: r.note,
    signature: r.signature,
  };
}
