import { Injectable, Logger } from '@nestjs/common';
import { once } from 'node:events';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { QueryRunner } from 'typeorm';
import { canonicalJson, entryHash } from '../audit/canonical';
import { MerkleTreeService } from '../audit/merkle-tree.service';
import { AppError } from '../errors/app-error';
import { sql } from '../database/sql';
import { LinkReader, StoredScopedLink } from '../links/link-reader';
import {
  CSV_HEADER,
  csvRow,
  EventBody,
  linkLine,
  linkSetDigest,
  PackageLink,
  applyLinkEvent,
  ReplayError,
  replayRequest,
  RequestStory,
  sellerRecordsCommitment,
} from './evidence-package';
import type { RequestRow } from './evidence-requests.repository';
import { cursor, select } from './snapshot-cursor';

/**
 * What a package's files say, read from one snapshot: derived from the audit events and checked against the rows.
 * Any difference is refused (409 EVIDENCE_INTEGRITY, logged) so an edited row never reaches a package.
 */
@Injectable()
export class EvidencePackageSource {
  private readonly logger = new Logger('EvidenceExport');

  constructor(
    private readonly tree: MerkleTreeService,
    private readonly links: LinkReader,
  ) {}

  /**
   * The request as its own events tell it, checked against its rows: the filing (case, police agency), every
   * marketplace's answer, the status, and the set of links in scope of each part. Any difference refuses the export.
   */
  async request(runner: QueryRunner, id: string, treeSize: number): Promise<RequestStory> {
    const events = await select<{ canonical: string }[]>(
      runner,
      sql`SELECT canonical FROM audit_events WHERE entity_id = ${id} AND seq <= ${treeSize} ORDER BY seq`,
    );
    const story = replayOrRefuse(() =>
      replayRequest(
        id,
        events.map((e) => JSON.parse(e.canonical) as EventBody),
      ),
    );
    const [row] = await select<RequestRow[]>(runner, sql`SELECT * FROM evidence_requests WHERE id = ${id}`);
    this.compareRequest(id, row, story);
    const answers = await select<{ marketplace_id: string; decision: string | null }[]>(
      runner,
      sql`SELECT marketplace_id, decision FROM evidence_responses WHERE request_id = ${id} ORDER BY marketplace_id`,
    );
    this.compareAnswers(id, answers, story);
    const scoped = await select<{ marketplace_id: string; n: number; link_ids: string[] }[]>(
      runner,
      sql`SELECT marketplace_id, count(*)::int AS n, array_agg(link_id) AS link_ids FROM evidence_request_links
        WHERE request_id = ${id} GROUP BY marketplace_id`,
    );
    this.compareScope(id, scoped, story);
    return story;
  }

  /** The filing (case, police agency, time) and the status, as the row and as the events tell them. */
  private compareRequest(id: string, row: RequestRow, story: RequestStory): void {
    const stored = {
      id: row.id,
      caseNumber: row.case_number,
      legalBasis: row.legal_basis,
      purpose: row.purpose,
      policeAgencyId: row.police_agency_id,
      createdAt: row.created_at.toISOString(),
    };
    for (const [field, value] of Object.entries(story.request))
      if (stored[field as keyof typeof stored] !== value)
        throw this.integrity(`request ${id}`, field, stored[field as keyof typeof stored], value);
    if (row.status !== story.status)
      throw this.integrity(`request ${id}`, 'status', row.status, story.status);
  }

  /** One answer row per marketplace addressed at filing, each with the decision its event records. */
  private compareAnswers(
    id: string,
    answers: { marketplace_id: string; decision: string | null }[],
    story: RequestStory,
  ): void {
    const byMarketplace = new Map(story.parts.map((p) => [p.marketplaceId, p]));
    for (const r of answers) {
      const part = byMarketplace.get(r.marketplace_id);
      const where = `request ${id}, marketplace ${r.marketplace_id}`;
      if (!part) throw this.integrity(where, 'addressed', 'an answer row', 'not addressed at filing');
      if (r.decision !== part.decision) throw this.integrity(where, 'decision', r.decision, part.decision);
    }
    if (answers.length !== story.parts.length)
      throw this.integrity(
        `request ${id}`,
        'marketplaces',
        `${answers.length} answer rows`,
        `${story.parts.length} addressed`,
      );
  }

  /** Each part's links in scope: as many, and the very set, the filing event commits to; none outside a part. */
  private compareScope(
    id: string,
    scoped: { marketplace_id: string; n: number; link_ids: string[] }[],
    story: RequestStory,
  ): void {
    for (const part of story.parts) {
      const where = `request ${id}, marketplace ${part.marketplaceId}`;
      const links = scoped.find((x) => x.marketplace_id === part.marketplaceId);
      if ((links?.n ?? 0) !== part.links)
        throw this.integrity(where, 'links in scope', links?.n ?? 0, part.links);
      if (part.linksSha256 === null) {
        if (part.decision === 'fulfil')
          throw this.integrity(where, 'links in scope', 'links', 'no commitment to them in the filing event');
      } else if (linkSetDigest(links?.link_ids ?? []) !== part.linksSha256) {
        throw this.integrity(
          where,
          'links in scope',
          'another set of links',
          'the set the filing event commits to',
        );
      }
    }
    const addressed = new Set(story.parts.map((p) => p.marketplaceId));
    for (const x of scoped)
      if (!addressed.has(x.marketplace_id))
        throw this.integrity(`request ${id}, marketplace ${x.marketplace_id}`, 'links in scope', x.n, 0);
  }

  /**
   * Yields links.jsonl — each line a replay of the link's own events, compared with its row — and writes links.csv,
   * computed from the same replays, to `csv` as it goes, ending it when done.
   */
  async *linkLines(
    runner: QueryRunner,
    id: string,
    fulfilled: string[],
    replays: Map<string, PackageLink>,
    csv: Writable,
  ): AsyncGenerator<string> {
    // A write still in flight when a refusal destroys the file fails late; real failures surface through finished().
    csv.on('error', () => undefined);
    const write = async (text: string) => {
      if (!csv.write(text)) await once(csv, 'drain');
    };
    await write(CSV_HEADER);
    const rows = cursor<StoredScopedLink>(runner, this.links.storedLinksOfRequest(id, fulfilled));
    let whole = false;
    try {
      for await (const chunk of rows) {
        let json = '';
        let table = '';
        for (const row of chunk) {
          const link = replays.get(row.link_id);
          if (!link) throw this.integrity(`link ${row.link_id}`, 'audit events', 'a link in scope', 'none');
          this.compareLink(row, link);
          json += linkLine(link);
          table += csvRow(link);
        }
        await write(table);
        yield json;
      }
      whole = true;
    } finally {
      // Refused, failed or abandoned (the client left): the CSV's descriptor goes with it.
      if (!whole) csv.destroy();
    }
    csv.end();
    await finished(csv);
  }

  /** The row must say exactly what the link's events say: an edited row is never shipped. */
  private compareLink(row: StoredScopedLink, link: PackageLink): void {
    const where = `link ${row.link_id}`;
    if (row.id === null) throw this.integrity(where, 'row', 'missing', 'a link created by its events');
    if (row.scoped_marketplace_id !== link.marketplaceId)
      throw this.integrity(where, 'marketplaceId (in scope)', row.scoped_marketplace_id, link.marketplaceId);
    const stored: PackageLink = {
      id: row.id,
      batchId: row.batch_id,
      marketplaceId: row.marketplace_id,
      url: row.url,
      canonicalUrl: row.canonical_url,
      listingKey: row.listing_key,
      note: row.note,
      keywords: row.keywords,
      createdAt: row.created_at.toISOString(),
      dueAt: row.due_at?.toISOString() ?? null,
      status: row.status,
      statusReason: row.status_reason,
      resolvedAt: row.resolved_at?.toISOString() ?? null,
      listing: row.listing as Record<string, unknown> | null,
      sellerRef: row.seller_ref,
      relisted: row.relisted,
      priorLinkIds: row.prior_link_ids,
      ...(row.priority === 'urgent' ? { priority: 'urgent' as const } : {}),
      ...(row.source === 'marketplace' ? { source: row.source, reportId: row.report_id as string } : {}),
      ...(row.reappeared ? { reappeared: true as const } : {}),
      ...(row.decision ? { decision: row.decision as unknown as Record<string, unknown> } : {}),
      ...(row.co_notifier_ids.length > 0 ? { coNotifiers: row.co_notifier_ids } : {}),
    };
    // Both ways: a row that says marketplace where the events say ministry (or the reverse) differs too.
    for (const field of new Set([...Object.keys(link), ...Object.keys(stored)]) as Set<keyof PackageLink>) {
      if (comparable(stored[field]) !== comparable(link[field]))
        throw this.integrity(where, field, stored[field], link[field]);
    }
  }

  /** One line per fulfilling answer, its records as stored, checked against the commitment in the answer's event. */
  async sellerRecordLines(runner: QueryRunner, id: string, story: RequestStory): Promise<string[]> {
    const rows = await select<
      { marketplace_id: string; seller_records: unknown[]; seller_records_salt: string }[]
    >(
      runner,
      sql`SELECT marketplace_id, seller_records, seller_records_salt FROM evidence_responses
        WHERE request_id = ${id} AND decision = 'fulfil' ORDER BY marketplace_id`,
    );
    return rows.map((r) => {
      const part = story.parts.find((p) => p.marketplaceId === r.marketplace_id)!;
      const where = `request ${id}, seller records of marketplace ${r.marketplace_id}`;
      if (part.sellerRecordsSha256 === null)
        throw this.integrity(where, 'sellerRecordsSha256', 'records', 'no commitment in the answer event');
      const found = r.seller_records_salt
        ? sellerRecordsCommitment(r.seller_records_salt, r.seller_records)
        : null;
      if (found !== part.sellerRecordsSha256)
        throw this.integrity(where, 'sellerRecordsSha256', found, part.sellerRecordsSha256);
      return (
        JSON.stringify({
          marketplaceId: r.marketplace_id,
          salt: r.seller_records_salt,
          sellerRecords: r.seller_records,
        }) + '\n'
      );
    });
  }

  /** A stored row that differs from its audit events: refused, and reported to the operator. */
  private integrity(where: string, field: string, stored: unknown, byEvents: unknown): AppError {
    const detail = `${where}: ${field} is ${show(stored)} in the database but ${show(byEvents)} by its audit events`;
    this.logger.error({ where, field }, `evidence integrity: ${detail}`);
    return AppError.conflict('EVIDENCE_INTEGRITY', detail);
  }

  /**
   * Every event of the scoped links and of the request up to the checkpoint, in seq order, each with its inclusion
   * proof; as they pass, each link's events are replayed into `replays` (keyed by link id) for linkLines to check. The plan is spelled out, since at filing time the statistics know nothing of the request's links: for
   * each entity its seqs from the (entity_id, seq) index (OFFSET 0 keeps PostgreSQL from turning this into a scan of
   * the whole log), those few integers sorted, then each event read by its seq as the cursor advances.
   */
  async *eventLines(
    runner: QueryRunner,
    id: string,
    fulfilled: string[],
    treeSize: number,
    replays: Map<string, PackageLink>,
  ): AsyncGenerator<string> {
    const rows = cursor<{ seq: string; entity_id: string; canonical: string; entry_hash: string }>(
      runner,
      sql`SELECT e.seq, e.entity_id, e.canonical, encode(e.entry_hash, 'hex') AS entry_hash
         FROM (SELECT x.seq
                 FROM (SELECT link_id FROM evidence_request_links
                        WHERE request_id = ${id} AND marketplace_id = ANY(${fulfilled}::uuid[])
                       UNION ALL SELECT ${id}::uuid) AS k(id)
                 CROSS JOIN LATERAL (SELECT seq FROM audit_events WHERE entity_id = k.id AND seq <= ${treeSize} OFFSET 0) AS x
                ORDER BY x.seq) AS s
        CROSS JOIN LATERAL (SELECT * FROM audit_events WHERE seq = s.seq OFFSET 0) AS e`,
    );
    for await (const chunk of rows) {
      // On the snapshot's own connection: nothing here waits for a second one while holding this one.
      const proofs = await this.tree.inclusionProofs(
        chunk.map((r) => Number(r.seq)),
        treeSize,
        runner.manager,
      );
      // Written by hand in the contract's key order: JSON.stringify of 5,000 objects a chunk was the GC's main load.
      let text = '';
      chunk.forEach((r, i) => {
        const seq = Number(r.seq);
        // A text edited behind the log's back is refused here, not left for the recipient's verifier to find.
        if (entryHash(r.canonical).toString('hex') !== r.entry_hash)
          throw this.integrity(
            `audit event seq ${seq}`,
            'canonical',
            'text that hashes otherwise',
            `entry hash ${r.entry_hash}`,
          );
        const body = JSON.parse(r.canonical) as EventBody;
        if (body.entity?.id !== r.entity_id)
          throw this.integrity(`audit event seq ${seq}`, 'entity_id', r.entity_id, body.entity?.id);
        if (r.entity_id !== id) {
          const link = replays.get(r.entity_id) ?? null;
          replays.set(
            r.entity_id,
            replayOrRefuse(() => applyLinkEvent(r.entity_id, link, body)),
          );
        }
        text += `{"seq":${seq},"leafIndex":${seq - 1},"canonical":${JSON.stringify(r.canonical)},"entryHash":"${r.entry_hash}","inclusionProof":[${proofs[i].map((h) => `"${h}"`).join(',')}]}\n`;
      });
      yield text;
    }
  }
}

function replayOrRefuse<T>(replay: () => T): T {
  try {
    return replay();
  } catch (error) {
    if (error instanceof ReplayError) throw AppError.conflict('EVIDENCE_INTEGRITY', error.message);
    throw error;
  }
}

/** A field's canonical text; a field one side lacks (source, reportId, reappeared) compares as absent, not as an error. */
function comparable(value: unknown): string {
  return value === undefined ? 'absent' : canonicalJson(value);
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
