import { randomUUID } from 'node:crypto';
import {
  AuditRecord,
  BatchCounts,
  linkBatchCreated,
  linkCoNotified,
  linkCreated,
} from '../audit/audit-events';
import { AppError } from '../errors/app-error';
import type { RoutedMarketplace, Router } from '../marketplaces/marketplace-directory';
import { canonicalise } from '../marketplaces/url';
import type { ListingEvidence, Priority } from '../links/link.entity';
import type { BatchIntakeResult, BatchMetaDto } from './dto/link-batch.dto';
import type { SubmittedLink } from './submitted-links';

/** A submitted link that routed to a marketplace and is the first of its listing in the batch. */
export interface Candidate {
  index: number;
  id: string;
  url: string;
  canonicalUrl: string;
  listingKey: string;
  marketplaceId: string;
  marketplace: RoutedMarketplace;
  note: string | null;
  keywords: string[];
  listing: ListingEvidence | null;
  priority: Priority;
  dueAt: string;
}

/** A candidate with the taken-down links of its listing (empty unless it is a relisting). */
export interface IntakeLink extends Candidate {
  priorLinkIds: string[];
}

export interface Judgement {
  /** In lock order: by marketplace, then listing key. */
  candidates: Candidate[];
  /** In submission order. */
  rejected: BatchIntakeResult['rejected'];
}

export type Duplicate = BatchIntakeResult['duplicates'][number];

const HOUR_MS = 3_600_000;

type ListingKeyed = { marketplaceId: string; listingKey: string };

/** One key per listing, for maps keyed by (marketplace, listing key). */
export function listingOf(link: ListingKeyed): string {
  return `${link.marketplaceId}\n${link.listingKey}`;
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** One lock order for every batch: two batches sharing listings wait for each other instead of deadlocking. */
export function byListing(a: ListingKeyed, b: ListingKeyed): number {
  return compare(a.marketplaceId, b.marketplaceId) || compare(a.listingKey, b.listingKey);
}

export function checkDueAt(meta: BatchMetaDto, now: Date): void {
  if (meta.dueAt !== undefined && Date.parse(meta.dueAt) <= now.getTime()) {
    throw AppError.validation([{ path: 'dueAt', message: 'dueAt must be in the future' }]);
  }
}

/** Canonicalises and routes every link, refuses what does not route and repeats of a listing within the batch. */
export function judgeLinks(
  links: readonly SubmittedLink[],
  router: Router,
  meta: BatchMetaDto,
  now: Date,
  newId: () => string = randomUUID,
): Judgement {
  const candidates: Candidate[] = [];
  const rejected: Judgement['rejected'] = [];
  const seen = new Set<string>();
  links.forEach((link, index) => {
    const judged = canonicalise(link.url, router.route);
    if (!judged.ok) return rejected.push({ index, url: link.url, reason: judged.reason });
    const marketplace = router.byId.get(judged.marketplaceId) as RoutedMarketplace;
    const listing = listingOf({ marketplaceId: marketplace.marketplaceId, listingKey: judged.listingKey });
    if (typeof link.listing === 'string')
      return rejected.push({ index, url: link.url, reason: 'invalid_listing', detail: link.listing });
    if (seen.has(listing)) return rejected.push({ index, url: link.url, reason: 'duplicate_in_batch' });
    seen.add(listing);
    const priority = link.priority ?? meta.priority ?? 'normal';
    const slaHours = priority === 'urgent' ? marketplace.urgentSlaHours : marketplace.takedownSlaHours;
    candidates.push({
      index,
      id: newId(),
      url: link.url,
      canonicalUrl: judged.canonicalUrl,
      listingKey: judged.listingKey,
      marketplaceId: marketplace.marketplaceId,
      marketplace,
      note: link.note,
      keywords: link.keywords,
      listing: link.listing,
      priority,
      dueAt: meta.dueAt ?? new Date(now.getTime() + slaHours * HOUR_MS).toISOString(),
    });
  });
  return { candidates: candidates.sort(byListing), rejected };
}

/** Each candidate with the taken-down links of its listing, from `prior` keyed by listingOf. */
export function attachPriors(
  candidates: readonly Candidate[],
  prior: ReadonlyMap<string, string[]>,
): IntakeLink[] {
  // Written out rather than spread: for 40,000 links a spread copy costs several times more.
  return candidates.map((c) => ({
    index: c.index,
    id: c.id,
    url: c.url,
    canonicalUrl: c.canonicalUrl,
    listingKey: c.listingKey,
    marketplaceId: c.marketplaceId,
    marketplace: c.marketplace,
    note: c.note,
    keywords: c.keywords,
    listing: c.listing,
    priority: c.priority,
    dueAt: c.dueAt,
    priorLinkIds: prior.get(listingOf(c)) ?? [],
  }));
}

/**
 * The candidates the database refused as open duplicates, each naming the open link it duplicates and whether this
 * batch co-notifies it (`coNotified`: the open links another ministry notified).
 */
export function duplicatesOf(
  refused: readonly Candidate[],
  openByListing: ReadonlyMap<string, string>,
  coNotified: ReadonlySet<string> = new Set(),
): Duplicate[] {
  return refused
    .map((c) => {
      const existingLinkId = openByListing.get(listingOf(c)) as string;
      return { index: c.index, url: c.url, existingLinkId, coNotified: coNotified.has(existingLinkId) };
    })
    .sort((a, b) => a.index - b.index);
}

/** The 422 when no link of the batch was accepted: one error per link, in link order, at most 1000. */
export function nothingAccepted(rejected: Judgement['rejected'], duplicates: readonly Duplicate[]): AppError {
  const errors = [
    ...rejected.map((r) => ({
      path: `links[${r.index}]`,
      message: r.detail ? `${r.reason}: ${r.detail}` : r.reason,
    })),
    ...duplicates.map((d) => ({
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

export interface IntakeOutcome {
  batchId: string;
  meta: BatchMetaDto;
  now: Date;
  accepted: readonly IntakeLink[];
  rejected: Judgement['rejected'];
  duplicates: Duplicate[];
  ignoredColumns: string[];
}

/** The answer to a submitted batch: counts, accepted links per marketplace, and the per-item outcomes. */
export function intakeResult(o: IntakeOutcome): BatchIntakeResult {
  const perMarketplace = new Map<string, { marketplaceId: string; code: string; accepted: number }>();
  for (const c of o.accepted) {
    const entry = perMarketplace.get(c.marketplaceId) ?? {
      marketplaceId: c.marketplaceId,
      code: c.marketplace.code,
      accepted: 0,
    };
    entry.accepted++;
    perMarketplace.set(c.marketplaceId, entry);
  }
  const relisted = o.accepted
    .filter((c) => c.priorLinkIds.length > 0)
    .map((c) => ({ index: c.index, url: c.url, linkId: c.id, priorLinkIds: c.priorLinkIds }))
    .sort((a, b) => a.index - b.index);
  return {
    id: o.batchId,
    reference: o.meta.reference,
    status: 'open',
    priority: o.meta.priority ?? 'normal',
    createdAt: o.now.toISOString(),
    counts: {
      accepted: o.accepted.length,
      duplicate: o.duplicates.length,
      rejected: o.rejected.length,
      relisted: relisted.length,
      coNotified: o.duplicates.filter((d) => d.coNotified).length,
    },
    byMarketplace: [...perMarketplace.values()].sort((a, b) => a.code.localeCompare(b.code)),
    rejected: o.rejected,
    duplicates: o.duplicates,
    relisted,
    ignoredColumns: o.ignoredColumns,
  };
}

/** The batch's event, then one per accepted link in lock order, then one per co-notified link in link order. */
export function intakeEvents(
  batchId: string,
  meta: BatchMetaDto,
  counts: BatchCounts,
  accepted: readonly IntakeLink[],
  coNotified: readonly { linkId: string; marketplaceAgencyId: string }[] = [],
): AuditRecord[] {
  return [
    linkBatchCreated(batchId, meta, counts),
    ...accepted.map((c) =>
      linkCreated({
        id: c.id,
        batchId,
        marketplaceId: c.marketplaceId,
        marketplaceAgencyId: c.marketplace.agencyId,
        url: c.url,
        canonicalUrl: c.canonicalUrl,
        listingKey: c.listingKey,
        dueAt: c.dueAt,
        priority: c.priority,
        priorLinkIds: c.priorLinkIds,
        keywords: c.keywords,
        note: c.note,
        listing: c.listing,
      }),
    ),
    ...coNotified.map((c) => linkCoNotified(c.linkId, c.marketplaceAgencyId, batchId)),
  ];
}
