import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppError } from '../errors/app-error';
import { copyRows } from '../database/copy';
import { TransactionService } from '../database/transaction.service';
import {
  appendLeaves,
  assembleProof,
  consistencyProofPlan,
  inclusionPaths,
  inclusionProofPlan,
  nodeHash,
  rootFromFrontier,
  Subtree,
  SubtreeRef,
  subtreesOf,
} from './merkle';
import { SingleFlight } from './single-flight';

/** Subtrees of this level and above are stored; below it they are recomputed from at most 2^level - 1 leaves. */
export const STORED_LEVEL = 4;
const CHUNK = 50_000;

export function frontierOf(size: number, hashes: Buffer[]): Subtree[] {
  const out: Subtree[] = [];
  let at = 0;
  for (let level = 52; level >= 0; level--) {
    const span = 2 ** level;
    if (Math.floor(size / span) % 2 === 1) {
      out.push({ level, index: at / span, hash: hashes[out.length] });
      at += span;
    }
  }
  return out;
}

/**
 * Folds sequenced audit events into the Merkle tree and serves proofs from stored hashes: an inclusion proof at a
 * tree of a million events reads about twenty stored nodes and at most a few dozen leaf hashes, never the log.
 *
 * Every method works on one connection at a time: given a manager, in its caller's transaction; otherwise on a
 * connection of its own, never while holding another.
 */
@Injectable()
export class MerkleTreeService {
  private readonly logger = new Logger('MerkleTree');
  /** Proofs of sizes not yet integrated share one integration in flight instead of queueing on the tree's row lock. */
  private readonly integration = new SingleFlight((reading) =>
    this.tx.detached((m) => this.integrateIn(m, undefined, reading)),
  );

  constructor(private readonly tx: TransactionService) {}

  /**
   * Integrates every committed event (or up to `upTo`) and returns the tree's size and root: in `manager`'s
   * transaction when given (the tree's row stays locked until that transaction ends), else in a transaction of its own.
   */
  integrate(upTo?: number, manager?: EntityManager): Promise<{ size: number; root: Buffer }> {
    if (manager) return this.integrateIn(manager, upTo);
    return this.tx.detached((m) => this.integrateIn(m, upTo));
  }

  /** `reading` is told just before the log's head is read: events committed before then are integrated. */
  private async integrateIn(
    m: EntityManager,
    upTo?: number,
    reading?: () => void,
  ): Promise<{ size: number; root: Buffer }> {
    const [tree] = await m.query<{ size: string; frontier: Buffer[] }[]>(
      'SELECT size, frontier FROM audit_tree WHERE id = 1 FOR UPDATE',
    );
    let size = Number(tree.size);
    let frontier = frontierOf(size, tree.frontier);
    reading?.();
    const [{ head }] = await m.query<{ head: string }[]>(
      'SELECT next_seq - 1 AS head FROM audit_head WHERE id = 1',
    );
    const target = Math.min(upTo ?? Number(head), Number(head));
    if (target > size) {
      while (size < target) {
        const rows = await m.query<{ entry_hash: Buffer }[]>(
          'SELECT entry_hash FROM audit_events WHERE seq > $1 AND seq <= $2 ORDER BY seq',
          [size, Math.min(size + CHUNK, target)],
        );
        if (rows.length === 0) throw new Error(`audit events after seq ${size} are missing`);
        const step = appendLeaves(
          frontier,
          rows.map((r) => r.entry_hash),
          size,
        );
        frontier = step.frontier;
        size += rows.length;
        const stored = step.completed.filter((c) => c.level >= STORED_LEVEL);
        if (stored.length > 0) {
          await copyRows(
            m,
            'audit_merkle_nodes',
            ['level', 'idx', 'hash'],
            stored.map((c) => [c.level, c.index, `\\x${c.hash.toString('hex')}`]),
          );
        }
      }
      await m.query('UPDATE audit_tree SET size = $1, frontier = $2 WHERE id = 1', [
        size,
        frontier.map((f) => f.hash),
      ]);
      this.logger.debug({ size }, 'integrated');
    }
    return { size, root: rootFromFrontier(frontier) };
  }

  async size(m: EntityManager = this.tx.dataSource.manager): Promise<number> {
    const [tree] = await m.query<{ size: string }[]>('SELECT size FROM audit_tree WHERE id = 1');
    return Number(tree.size);
  }

  async inclusionProof(
    seq: number,
    treeSize: number,
  ): Promise<{ seq: number; leafIndex: number; treeSize: number; entryHash: string; hashes: string[] }> {
    await this.ensureIntegrated(treeSize);
    if (seq < 1 || seq > treeSize)
      throw AppError.badRequest('PROOF_OUT_OF_RANGE', `seq must be from 1 to treeSize (${treeSize})`);
    const plan = inclusionProofPlan(seq - 1, treeSize);
    const refs = [{ level: 0, index: seq - 1 }, ...subtreesOf(plan)];
    const lookup = await this.subtreeLookup(refs);
    return {
      seq,
      leafIndex: seq - 1,
      treeSize,
      entryHash: lookup(0, seq - 1).toString('hex'),
      hashes: assembleProof(plan, lookup).map((h) => h.toString('hex')),
    };
  }

  async consistencyProof(from: number, to: number): Promise<{ from: number; to: number; hashes: string[] }> {
    if (from < 1 || from > to)
      throw AppError.badRequest('PROOF_OUT_OF_RANGE', 'from must be at least 1 and at most to');
    await this.ensureIntegrated(to);
    const plan = consistencyProofPlan(from, to);
    const lookup = await this.subtreeLookup(subtreesOf(plan));
    return { from, to, hashes: assembleProof(plan, lookup).map((h) => h.toString('hex')) };
  }

  /**
   * Inclusion proofs for many leaves of one tree (ascending seqs), aligned with `seqs`; used to package evidence.
   * Neighbouring leaves share most of their paths, so each element is fetched, hashed and hex-encoded once.
   * The tree must already be integrated to `treeSize` (a checkpoint of it exists). Given `manager`, it reads through
   * the caller's connection and snapshot (`runner.manager` inside the export's transaction); otherwise through the pool.
   */
  async inclusionProofs(
    seqs: number[],
    treeSize: number,
    manager: EntityManager = this.tx.dataSource.manager,
  ): Promise<string[][]> {
    const { ranges, paths } = inclusionPaths(
      seqs.map((s) => s - 1),
      treeSize,
    );
    const lookup = await this.subtreeLookup(subtreesOf(ranges), manager);
    const hex = assembleProof(ranges, lookup).map((h) => h.toString('hex'));
    return paths.map((path) => path.map((i) => hex[i]));
  }

  private async ensureIntegrated(treeSize: number): Promise<void> {
    if (treeSize < 1) throw AppError.badRequest('PROOF_OUT_OF_RANGE', 'treeSize must be at least 1');
    if ((await this.size()) >= treeSize) return;
    // Integrates the whole log, which the next checkpoint would do anyway; a size past its head is not found.
    const { size } = await this.integration.run();
    if (size < treeSize) throw AppError.notFound(`A tree of size ${treeSize}`);
  }

  /** Fetches stored subtrees (level ≥ STORED_LEVEL) and the leaves under the lower ones, in two queries. */
  private async subtreeLookup(
    refs: SubtreeRef[],
    m: EntityManager = this.tx.dataSource.manager,
  ): Promise<(level: number, index: number) => Buffer> {
    const unique = [...new Map(refs.map((r) => [`${r.level}/${r.index}`, r])).values()];
    const stored = unique.filter((r) => r.level >= STORED_LEVEL);
    const low = unique.filter((r) => r.level < STORED_LEVEL);
    const nodes = new Map<string, Buffer>();
    if (stored.length > 0) {
      const rows = await m.query<{ level: number; idx: string; hash: Buffer }[]>(
        `SELECT n.level, n.idx, n.hash FROM audit_merkle_nodes n
           JOIN unnest($1::smallint[], $2::int8[]) AS w(level, idx) ON n.level = w.level AND n.idx = w.idx`,
        [stored.map((r) => r.level), stored.map((r) => r.index)],
      );
      for (const r of rows) nodes.set(`${r.level}/${r.idx}`, r.hash);
    }
    if (low.length > 0) {
      const seqs = [
        ...new Set(
          low.flatMap((r) => Array.from({ length: 2 ** r.level }, (_, i) => r.index * 2 ** r.level + i + 1)),
        ),
      ];
      const rows = await m.query<{ seq: string; entry_hash: Buffer }[]>(
        'SELECT seq, entry_hash FROM audit_events WHERE seq = ANY($1::int8[])',
        [seqs],
      );
      for (const r of rows) nodes.set(`0/${Number(r.seq) - 1}`, r.entry_hash);
      // Bottom-up with every inner node kept, so neighbouring refs share their hashing.
      const hashOf = (level: number, index: number): Buffer => {
        const key = `${level}/${index}`;
        let hash = nodes.get(key);
        if (!hash) {
          if (level === 0) throw new Error(`leaf ${index} is missing`);
          hash = nodeHash(hashOf(level - 1, 2 * index), hashOf(level - 1, 2 * index + 1));
          nodes.set(key, hash);
        }
        return hash;
      };
      for (const r of low) hashOf(r.level, r.index);
    }
    return (level, index) => {
      const hash = nodes.get(`${level}/${index}`);
      if (!hash) throw new Error(`Merkle node ${level}/${index} is not stored; is the tree integrated?`);
      return hash;
    };
  }
}
