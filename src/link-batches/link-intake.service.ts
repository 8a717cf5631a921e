import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Actor } from '../auth/actor';
import { AuditRecord, linkBatchCreated, linkCreated } from '../audit/audit-events';
import { AuditWriter } from '../audit/audit.writer';
import { AppError } from '../errors/app-error';
import { copyRows, pgArrayLiteral } from '../database/copy';
import { TransactionService } from '../database/transaction.service';
import { MarketplaceDirectory, RoutedMarketplace } from '../marketplaces/marketplace-directory';
import { canonicalise } from '../marketplaces/url';
import { BatchIntakeResult, BatchMetaDto, CsvBatchQueryDto, MAX_LINKS_PER_BATCH } from './dto/link-batch.dto';
import { readCsvLinks, readJsonLinks, SubmittedLink } from './submitted-links';
import { createValidationPipe } from '../common/validation';

const validation = createValidationPipe();

interface Candidate {
  index: number;
  id: string;
  url: string;
  canonicalUrl: string;
  listingKey: string;
  marketplace: RoutedMarketplace;
  note: string | null;
  keywords: string[];
  dueAt: string;
}

const HOUR_MS = 3_600_000;

/**
 * Turns a submitted batch into links: canonicalise and route every URL, drop duplicates within the batch,
 * then write the batch, its links and their audit events in one transaction with set-based SQL.
 * "The same listing is open twice" is refused by the unique partial index (ON CONFLICT DO NOTHING), so two
 * concurrent batches cannot both open it.
 */
@Injectable()
export class LinkIntakeService {
  constructor(
    private readonly tx: TransactionService,
    private readonly audit: AuditWriter,
    private readonly directory: MarketplaceDirectory,
  ) {}

  /** JSON batches carry everything in the body; CSV batches carry their fields as query parameters. */
  async submitRequest(
    actor: Actor,
    body: unknown,
    query: Record<string, unknown>,
  ): Promise<BatchIntakeResult> {
    if (typeof body === 'string') {
      const meta = (await validation.transform(query, {
        type: 'query',
        metatype: CsvBatchQueryDto,
      })) as CsvBatchQueryDto;
      return this.submit(actor, meta, readCsvLinks(body));
    }
    if (Object.keys(query).length > 0) {
      throw AppError.badRequest(
        'UNEXPECTED_QUERY',
        'A JSON batch carries its fields in the body, not in the query string',
      );
    }
    // The envelope goes through the DTO; the (up to 50,000) items do not, so they are not deep-copied and re-checked.
    const { links, ...envelope } = (typeof body === 'object' && body !== null ? body : {}) as Record<
      string,
      unknown
    >;
    const meta = (await validation.transform(envelope, {
      type: 'body',
      metatype: BatchMetaDto,
    })) as BatchMetaDto;
    if (!Array.isArray(links) || links.length < 1 || links.length > MAX_LINKS_PER_BATCH) {
      throw AppError.validation([
        { path: 'links', message: `links must be an array of 1 to ${MAX_LINKS_PER_BATCH} items` },
      ]);
    }
    return this.submit(actor, meta, readJsonLinks(links));
  }

  async submit(actor: Actor, meta: BatchMetaDto, links: SubmittedLink[]): Promise<BatchIntakeResult> {
    const now = new Date();
    if (meta.dueAt !== undefined && Date.parse(meta.dueAt) <= now.getTime()) {
      throw AppError.validation([{ path: 'dueAt', message: 'dueAt must be in the future' }]);
    }
    const batchId = randomUUID();
    const { route, byId } = await this.directory.router();

    const result: BatchIntakeResult = {
      id: batchId,
      reference: meta.reference,
      status: 'open',
      createdAt: now.toISOString(),
      counts: { accepted: 0, duplicate: 0, rejected: 0, relisted: 0 },
      byMarketplace: [],
      rejected: [],
      duplicates: [],
      relisted: [],
    };
    const candidates: Candidate[] = [];
    const firstOfListing = new Map<string, number>();
    for (let index = 0; index < links.length; index++) {
      const link = links[index];
      const judged = canonicalise(link.url, route);
      if (!judged.ok) {
        result.rejected.push({ index, url: link.url, reason: judged.reason });
        continue;
      }
      const marketplace = byId.get(judged.marketplaceId) as RoutedMarketplace;
      const listing = `${marketplace.marketplaceId}\n${judged.listingKey}`;
      if (firstOfListing.has(listing)) {
        result.rejected.push({ index, url: link.url, reason: 'duplicate_in_batch' });
        continue;
      }
      firstOfListing.set(listing, index);
      candidates.push({
        index,
        id: randomUUID(),
        url: link.url,
        canonicalUrl: judged.canonicalUrl,
        listingKey: judged.listingKey,
        marketplace,
        note: link.note,
        keywords: link.keywords,
        dueAt: meta.dueAt ?? new Date(now.getTime() + marketplace.takedownSlaHours * HOUR_MS).toISOString(),
      });
    }
    if (candidates.length === 0) throw nothingAccepted(result);
    // One lock order for every batch: two batches sharing listings wait for each other instead of deadlocking.
    candidates.sort((a, b) =>
      a.marketplace.marketplaceId === b.marketplace.marketplaceId
        ? a.listingKey < b.listingKey
          ? -1
          : a.listingKey > b.listingKey
            ? 1
            : 0
        : a.marketplace.marketplaceId < b.marketplace.marketplaceId
          ? -1
          : 1,
    );

    return this.tx.answer(async (m) => {
      const marketplaceIds = candidates.map((c) => c.marketplace.marketplaceId);
      const listingKeys = candidates.map((c) => c.listingKey);
      const priorRows = await m.query<{ marketplace_id: string; listing_key: string; ids: string[] }[]>(
        `SELECT l.marketplace_id, l.listing_key, array_agg(l.id ORDER BY l.created_at, l.id) AS ids
           FROM links l JOIN unnest($1::uuid[], $2::text[]) AS k(marketplace_id, listing_key)
             ON l.marketplace_id = k.marketplace_id AND l.listing_key = k.listing_key
          WHERE l.status = 'taken_down'
          GROUP BY l.marketplace_id, l.listing_key`,
        [marketplaceIds, listingKeys],
      );
      const prior = new Map(priorRows.map((r) => [`${r.marketplace_id}\n${r.listing_key}`, r.ids]));
      const priorOf = (c: Candidate) => prior.get(`${c.marketplace.marketplaceId}\n${c.listingKey}`) ?? [];

      // COPY into a scratch table, then one INSERT … ON CONFLICT: the unique partial index decides what is a duplicate.
      await m.query(`CREATE TEMP TABLE intake_links (LIKE links INCLUDING DEFAULTS) ON COMMIT DROP`);
      await copyRows(
        m,
        'intake_links',
        [
          'id',
          'batch_id',
          'marketplace_id',
          'url',
          'canonical_url',
          'listing_key',
          'status',
          'due_at',
          'relisted',
          'prior_link_ids',
          'note',
          'keywords',
          'created_at',
          'updated_at',
        ],
        (function* () {
          const at = now.toISOString();
          for (const c of candidates) {
            const priorLinkIds = priorOf(c);
            yield [
              c.id,
              batchId,
              c.marketplace.marketplaceId,
              c.url,
              c.canonicalUrl,
              c.listingKey,
              'pending',
              c.dueAt,
              priorLinkIds.length > 0,
              pgArrayLiteral(priorLinkIds),
              c.note,
              pgArrayLiteral(c.keywords),
              at,
              at,
            ];
          }
        })(),
      );
      const inserted = await m.query<{ id: string }[]>(
        `INSERT INTO links SELECT * FROM intake_links ORDER BY marketplace_id, listing_key
         ON CONFLICT (marketplace_id, listing_key) WHERE status IN ('pending', 'acknowledged') DO NOTHING
         RETURNING id`,
      );
      const insertedIds = new Set(inserted.map((r) => r.id));
      const accepted = candidates.filter((c) => insertedIds.has(c.id));
      const duplicates = candidates.filter((c) => !insertedIds.has(c.id));
      if (duplicates.length > 0) {
        const open = await m.query<{ id: string; marketplace_id: string; listing_key: string }[]>(
          `SELECT l.id, l.marketplace_id, l.listing_key
             FROM links l JOIN unnest($1::uuid[], $2::text[]) AS k(marketplace_id, listing_key)
               ON l.marketplace_id = k.marketplace_id AND l.listing_key = k.listing_key
            WHERE l.status IN ('pending', 'acknowledged')`,
          [duplicates.map((c) => c.marketplace.marketplaceId), duplicates.map((c) => c.listingKey)],
        );
        const openByListing = new Map(open.map((r) => [`${r.marketplace_id}\n${r.listing_key}`, r.id]));
        for (const c of duplicates) {
          const existingLinkId = openByListing.get(`${c.marketplace.marketplaceId}\n${c.listingKey}`) ?? null;
          result.duplicates.push({ index: c.index, url: c.url, existingLinkId: existingLinkId as string });
        }
      }
      if (accepted.length === 0) throw nothingAccepted(result);

      await m.query(
        `INSERT INTO link_batches (id, reference, legal_basis, category, note, due_at, submitted_by_agency_id,
                                   submitted_by_client_id, link_count, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          batchId,
          meta.reference,
          meta.legalBasis,
          meta.category ?? null,
          meta.note ?? null,
          meta.dueAt ?? null,
          actor.agencyId,
          actor.clientId,
          accepted.length,
          now,
        ],
      );

      const perMarketplace = new Map<string, { marketplaceId: string; code: string; accepted: number }>();
      const events: AuditRecord[] = [];
      for (const c of accepted) {
        const priorLinkIds = priorOf(c);
        if (priorLinkIds.length > 0)
          result.relisted.push({ index: c.index, url: c.url, linkId: c.id, priorLinkIds });
        const entry = perMarketplace.get(c.marketplace.marketplaceId) ?? {
          marketplaceId: c.marketplace.marketplaceId,
          code: c.marketplace.code,
          accepted: 0,
        };
        entry.accepted++;
        perMarketplace.set(c.marketplace.marketplaceId, entry);
        events.push(
          linkCreated({
            id: c.id,
            batchId,
            marketplaceId: c.marketplace.marketplaceId,
            marketplaceAgencyId: c.marketplace.agencyId,
            url: c.url,
            canonicalUrl: c.canonicalUrl,
            listingKey: c.listingKey,
            dueAt: c.dueAt,
            priorLinkIds,
            keywords: c.keywords,
            note: c.note,
          }),
        );
      }
      result.counts = {
        accepted: accepted.length,
        duplicate: result.duplicates.length,
        rejected: result.rejected.length,
        relisted: result.relisted.length,
      };
      result.byMarketplace = [...perMarketplace.values()].sort((a, b) => a.code.localeCompare(b.code));
      result.duplicates.sort((a, b) => a.index - b.index);
      result.relisted.sort((a, b) => a.index - b.index);
      events.unshift(linkBatchCreated(batchId, meta, result.counts));
      await this.audit.append(m, actor, events, now);
      return result;
    });
  }
}

function nothingAccepted(result: BatchIntakeResult): AppError {
  const errors = [
    ...result.rejected.map((r) => ({ path: `links[${r.index}]`, message: r.reason })),
    ...result.duplicates.map((d) => ({
      path: `links[${d.index}]`,
      message: `duplicate of open link ${d.existingLinkId}`,
    })),
  ].sort((a, b) => a.path.localeCompare(b.path, 'en', { numeric: true }));
  return AppError.unprocessable(
    'NO_LINK_ACCEPTED',
    'No link of the batch was accepted; see errors for each one',
    errors.slice(0, 1000),
  );
}
