import { Injectable } from '@nestjs/common';
import { createPublicKey } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { Actor } from '../auth/actor';
import { AppError } from '../errors/app-error';
import { decodeCursor, Page, toPage } from '../common/pagination';
import { AuditRepository, EventRow } from './audit.repository';
import { ZERO_HASH } from './canonical';
import { Checkpoint } from './checkpoint-note';
import { CheckpointRow, CheckpointsService, toCheckpoint } from './checkpoints.service';
import { AuditEventsQueryDto, VerifyQueryDto } from './dto/audit-query.dto';
import { AuditEventResponseDto } from './dto/audit-event.dto';
import { VerifyResultDto } from './dto/verify-result.dto';
import { ENTRY_COLUMNS, ENTRY_SOURCE_COLUMNS, StoredEntry } from './entry-check';
import { CheckpointToCheck, checkpointFaults, Finding, LogVerification } from './log-verification';
import { subtreesEndingIn } from './merkle';
import { STORED_LEVEL } from './merkle-tree.service';

/** An event as its readers get it (GET /v1/audit-events, a link's history). */
export type AuditEventView = AuditEventResponseDto;

export type VerifyResult = VerifyResultDto;

const VERIFY_CHUNK = 5000;

@Injectable()
export class AuditService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly checkpointsService: CheckpointsService,
    private readonly events: AuditRepository,
  ) {}

  async list(actor: Actor, q: AuditEventsQueryDto): Promise<Page<AuditEventView>> {
    const limit = q.limit ?? 100;
    const [cursorSeq] = decodeCursor(q.cursor, ['number']) ?? [];
    const afterSeq = Math.max(q.afterSeq ?? 0, cursorSeq ?? 0);
    const rows = await this.events.findVisible(this.dataSource.manager, actor, { ...q, afterSeq }, limit + 1);
    return toPage(rows.map(toView), limit, (e) => [e.seq]);
  }

  async eventsOf(actor: Actor, entityId: string): Promise<AuditEventView[]> {
    const rows = await this.events.findVisibleOf(this.dataSource.manager, actor, entityId);
    return rows.map(toView);
  }

  /**
   * Checks everything the log lets one check, in one pass of flat memory however long the log (see
   * LogVerification): each row of the range against its canonical text, hash and chain link, and the head row.
   * The Merkle checks (every signed checkpoint's root and signature, every stored node) need the entry hashes from
   * seq 1, so they run when the range starts at seq 1 (the default): over the checkpoints up to toSeq, and, when the
   * range reaches the head, against any checkpoint or integrated tree that covers more than the log now holds.
   * A range that starts later checks its rows and chain only, and is the cheap way to follow a growing log.
   */
  async verify(q: VerifyQueryDto): Promise<VerifyResult> {
    const fromSeq = q.fromSeq ?? 1;
    if (q.toSeq !== undefined && fromSeq > q.toSeq)
      throw AppError.validation([{ path: 'toSeq', message: `toSeq must not be below fromSeq (${fromSeq})` }]);
    const start = await this.verificationStart(fromSeq === 1);
    const { headSeq } = start;
    // An answer that checked nothing must not read as "ok".
    if (fromSeq > headSeq && headSeq > 0)
      throw AppError.validation([
        { path: 'fromSeq', message: `fromSeq is past the head of the log (seq ${headSeq})` },
      ]);
    const toSeq = Math.min(q.toSeq ?? headSeq, headSeq);
    let prev = ZERO_HASH;
    let gap: Finding | null = null;
    if (fromSeq > 1) {
      const [before] = await this.dataSource.query<{ entry_hash: string }[]>(
        `SELECT encode(entry_hash, 'hex') AS entry_hash FROM audit_events WHERE seq = $1`,
        [fromSeq - 1],
      );
      if (before) prev = before.entry_hash;
      else if (fromSeq - 1 <= headSeq) gap = missing(fromSeq - 1);
    }
    const merkle = fromSeq === 1 ? { checkpoints: start.checkpoints, integratedSize: start.treeSize } : null;
    const pass = new LogVerification(fromSeq, prev, merkle);
    const result = (finding: Finding | null): VerifyResult => ({
      ok: finding === null,
      checked: pass.checked,
      headSeq,
      headHash: start.headHash,
      firstBadSeq: finding?.firstBadSeq ?? null,
      problem: finding?.problem ?? null,
    });
    if (gap) return result(gap);
    const fetch = (from: number) =>
      this.verificationChunk(from, Math.min(from + VERIFY_CHUNK - 1, toSeq), merkle);
    // The next chunk is read while this one is hashed: PostgreSQL and the event loop work side by side.
    let ahead = fromSeq <= toSeq ? fetch(fromSeq) : null;
    while (ahead) {
      const chunk = await ahead;
      const after = pass.nextSeq + chunk.rows.length;
      ahead = chunk.rows.length > 0 && after <= toSeq ? fetch(after) : null;
      const finding = chunk.rows.length === 0 ? missing(pass.nextSeq) : pass.consume(chunk.rows, chunk.nodes);
      if (finding) {
        ahead?.catch(() => undefined);
        return result(finding);
      }
    }
    return result(pass.finish(toSeq === headSeq ? { seq: headSeq, hash: start.headHash } : null));
  }

  /** Head, integrated tree size and checkpoints in one statement, so they are of one moment. */
  private async verificationStart(withCheckpoints: boolean): Promise<{
    headSeq: number;
    headHash: string;
    treeSize: number;
    checkpoints: CheckpointToCheck[];
  }> {
    const rows = await this.dataSource.query<
      {
        head_seq: string;
        head_hash: string;
        integrated: string;
        tree_size: string | null;
        root_hash: string;
        issued_at: Date;
        key_id: string;
        note: string;
        signature: string;
      }[]
    >(
      `SELECT h.next_seq::int8 - 1 AS head_seq, encode(h.last_hash, 'hex') AS head_hash, t.size::int8 AS integrated,
              c.tree_size::int8 AS tree_size, encode(c.root_hash, 'hex') AS root_hash, c.issued_at, c.key_id, c.note,
              c.signature
         FROM audit_head h CROSS JOIN audit_tree t LEFT JOIN audit_checkpoints c ON $1
        WHERE h.id = 1 AND t.id = 1 ORDER BY c.tree_size`,
      [withCheckpoints],
    );
    const stored = rows.filter((r): r is (typeof rows)[number] & CheckpointRow => r.tree_size !== null);
    const notes: Checkpoint[] = stored.map(toCheckpoint);
    const keys = new Map(
      this.checkpointsService
        .keys()
        .keys.map((jwk) => [jwk.kid, createPublicKey({ key: { ...jwk }, format: 'jwk' })] as const),
    );
    const faults = checkpointFaults(notes, keys);
    return {
      headSeq: Number(rows[0].head_seq),
      headHash: rows[0].head_hash,
      treeSize: Number(rows[0].integrated),
      checkpoints: stored.map((r, i) => ({
        treeSize: notes[i].treeSize,
        rootHash: r.root_hash,
        fault: faults[i],
      })),
    };
  }

  /** Events [from, to] and, for the Merkle checks, the stored nodes they complete (up to the integrated size). */
  private async verificationChunk(
    from: number,
    to: number,
    merkle: { integratedSize: number } | null,
  ): Promise<{ rows: StoredEntry[]; nodes: Map<string, string> }> {
    const ranges = merkle
      ? subtreesEndingIn(from - 1, Math.min(to, merkle.integratedSize), STORED_LEVEL)
      : [];
    const [rows, nodeRows] = await Promise.all([
      this.dataSource.query<StoredEntry[]>(
        `SELECT ${ENTRY_COLUMNS}
           FROM (SELECT ${ENTRY_SOURCE_COLUMNS}, lag(entry_hash) OVER (ORDER BY seq) AS lag_hash
                   FROM audit_events WHERE seq >= $1::int8 - 1 AND seq <= $2) e
          WHERE e.seq >= $1 ORDER BY e.seq`,
        [from, to],
      ),
      ranges.length === 0
        ? []
        : this.dataSource.query<{ level: number; idx: string; hash: string }[]>(
            `SELECT n.level, n.idx::int8 AS idx, encode(n.hash, 'hex') AS hash FROM audit_merkle_nodes n
               JOIN unnest($1::smallint[], $2::int8[], $3::int8[]) AS w(level, lo, hi)
                 ON n.level = w.level AND n.idx >= w.lo AND n.idx < w.hi`,
            [ranges.map((r) => r.level), ranges.map((r) => r.from), ranges.map((r) => r.to)],
          ),
    ]);
    const nodes = new Map<string, string>();
    for (const n of nodeRows) nodes.set(`${n.level}/${n.idx}`, n.hash);
    return { rows, nodes };
  }
}

function missing(seq: number): Finding {
  return { firstBadSeq: seq, problem: `seq ${seq}: the row is missing` };
}

function toView(row: EventRow): AuditEventView {
  const entry = JSON.parse(row.canonical) as { data?: Record<string, unknown> };
  return {
    seq: Number(row.seq),
    occurredAt: row.occurred_at.toISOString(),
    actor: { clientId: row.actor_client_id, agencyId: row.actor_agency_id, role: row.actor_role },
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    requestId: row.request_id,
    data: entry.data ?? {},
    canonical: row.canonical,
    prevHash: row.prev_hash,
    entryHash: row.entry_hash,
  };
}
