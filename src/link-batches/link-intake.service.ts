import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor';
import { AuditWriter } from '../audit/audit.writer';
import { MatchingWorker } from '../matching/matching-worker.service';
import { TransactionService } from '../database/transaction.service';
import { MarketplaceDirectory } from '../marketplaces/marketplace-directory';
import { BatchIntakeResult } from './dto/link-batch.dto';
import {
  attachPriors,
  Candidate,
  checkDueAt,
  Duplicate,
  duplicatesOf,
  intakeEvents,
  intakeResult,
  judgeLinks,
  listingOf,
  nothingAccepted,
} from './intake-rules';
import type { LinkBatchSubmission } from './link-batch-body.pipe';
import { LinkBatchesRepository, lockListingsOf } from './link-batches.repository';

const NO_PRIORS: ReadonlyMap<string, string[]> = new Map();

/**
 * Turns a submitted batch into links: canonicalise and route every URL, drop duplicates within the batch,
 * then write the batch, its links and their audit events in one transaction with set-based SQL.
 * "The same listing is open twice" is refused by the unique partial index (ON CONFLICT DO NOTHING), so two
 * concurrent batches cannot both open it; the listing lock makes a batch and a takedown report see each other.
 */
@Injectable()
export class LinkIntakeService {
  constructor(
    private readonly tx: TransactionService,
    private readonly audit: AuditWriter,
    private readonly directory: MarketplaceDirectory,
    private readonly repository: LinkBatchesRepository,
    private readonly matching: MatchingWorker,
  ) {}

  async submit(
    actor: Actor,
    { meta, links, ignoredColumns }: LinkBatchSubmission,
  ): Promise<BatchIntakeResult> {
    const now = new Date();
    checkDueAt(meta, now);
    const batchId = randomUUID();
    const { candidates, rejected } = judgeLinks(links, await this.directory.router(), meta, now);
    if (candidates.length === 0) throw nothingAccepted(rejected, []);

    const answer = await this.tx.answer(async (m) => {
      await lockListingsOf(
        m,
        candidates.map((c) => c.marketplaceId),
      );
      const insertedIds = await this.repository.insertOpenLinks(
        m,
        batchId,
        attachPriors(candidates, NO_PRIORS),
        now,
      );
      const refused = candidates.filter((c) => !insertedIds.has(c.id));
      const { duplicates, coNotified } = await this.duplicates(m, actor.agencyId as string, refused);
      // Earlier takedowns are looked up after the insert: one committing meanwhile (the open link being taken down
      // that moment) held the insert back until it had committed, so it is seen now; looked up before, it was not.
      const inserted = candidates.filter((c) => insertedIds.has(c.id));
      const accepted = attachPriors(inserted, await this.takenDownByListing(m, inserted));
      if (accepted.length === 0 && coNotified.length === 0) throw nothingAccepted(rejected, duplicates);
      await this.repository.markRelisted(
        m,
        accepted.filter((l) => l.priorLinkIds.length > 0),
      );

      await this.repository.insertBatch(m, {
        id: batchId,
        reference: meta.reference,
        legalBasis: meta.legalBasis,
        category: meta.category ?? null,
        note: meta.note ?? null,
        dueAt: meta.dueAt ?? null,
        priority: meta.priority ?? 'normal',
        agencyId: actor.agencyId,
        clientId: actor.clientId,
        linkCount: accepted.length + coNotified.length,
        createdAt: now,
      });
      const coNotifiedIds = coNotified.map((c) => c.linkId);
      await this.repository.insertCoNotifiers(m, batchId, actor.agencyId as string, coNotifiedIds, now);
      const result = intakeResult({ batchId, meta, now, accepted, rejected, duplicates, ignoredColumns });
      // The links' titles are counted against the watchlist after the commit.
      const titled = accepted.filter((l) => l.listing?.title).map((l) => l.id);
      await this.matching.enqueue(m, { arrived: [], kept: [], titled }, now);
      const events = intakeEvents(batchId, meta, result.counts, accepted, coNotified);
      await this.audit.append(m, actor, events, now);
      return result;
    });
    this.matching.kick();
    return answer;
  }

  /** The taken-down links of each candidate's listing, keyed by listingOf. */
  private async takenDownByListing(
    m: EntityManager,
    candidates: Candidate[],
  ): Promise<Map<string, string[]>> {
    const rows = await this.repository.findTakenDownByListings(m, candidates);
    return new Map(
      rows.map((r) => [listingOf({ marketplaceId: r.marketplace_id, listingKey: r.listing_key }), r.ids]),
    );
  }

  /**
   * The candidates the unique index refused, each with the open link it duplicates; of those links, the ones another
   * ministry notified become co-notified by this one (in link id order, with their marketplace's agency).
   */
  private async duplicates(
    m: EntityManager,
    agencyId: string,
    refused: Candidate[],
  ): Promise<{ duplicates: Duplicate[]; coNotified: { linkId: string; marketplaceAgencyId: string }[] }> {
    if (refused.length === 0) return { duplicates: [], coNotified: [] };
    const open = await this.repository.findOpenByListingKeys(m, refused);
    const openByListing = new Map(
      open.map((r) => [listingOf({ marketplaceId: r.marketplace_id, listingKey: r.listing_key }), r.id]),
    );
    const coNotifiable = await this.repository.coNotifiable(m, agencyId, [...openByListing.values()]);
    const coNotified = refused
      .map((c) => ({
        linkId: openByListing.get(listingOf(c)) as string,
        marketplaceAgencyId: c.marketplace.agencyId,
      }))
      .filter((c) => coNotifiable.has(c.linkId))
      .sort((a, b) => (a.linkId < b.linkId ? -1 : 1));
    return { duplicates: duplicatesOf(refused, openByListing, coNotifiable), coNotified };
  }
}
