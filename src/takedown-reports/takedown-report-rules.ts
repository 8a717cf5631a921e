import { randomUUID } from 'node:crypto';
import { AuditRecord, reportedLinkCreated, takedownReportFiled } from '../audit/audit-events';
import { byListing, listingOf } from '../link-batches/intake-rules';
import type { Router } from '../marketplaces/marketplace-directory';
import { canonicalise } from '../marketplaces/url';
import { STATEMENT_REQUIRED } from '../links/acknowledgement-rules';
import type { TakedownReportResultDto } from './dto/takedown-report.dto';
import { readReportItem, ReportItem } from './takedown-report-items';

/** A reported item that is well formed, routes to one of the caller's marketplaces and is first of its listing. */
export interface ReportCandidate extends ReportItem {
  index: number;
  id: string;
  canonicalUrl: string;
  listingKey: string;
  marketplaceId: string;
  marketplaceAgencyId: string;
  /** The earlier taken-down links of its listing, set when it is inserted (empty unless it is a relisting). */
  priorLinkIds: string[];
}

/** A candidate the database inserted, with its priors. */
export type ReportedLink = ReportCandidate;

export interface ReportJudgement {
  /** In lock order: by marketplace, then listing key. */
  candidates: ReportCandidate[];
  /** The refused items' results, by index. */
  refused: Map<number, TakedownReportResultDto>;
}

/** One key per reported takedown: the listing and the moment it was taken down (what uq_links_reported_takedown holds). */
export function takedownOf(t: { marketplaceId: string; listingKey: string; takenDownAt: Date }): string {
  return `${listingOf(t)}\n${t.takenDownAt.toISOString()}`;
}

const refusal = (index: number, error: string, linkId?: string): TakedownReportResultDto => ({
  index,
  ok: false,
  ...(linkId ? { linkId } : {}),
  error,
});

/**
 * Reads every item, canonicalises and routes its URL, and refuses what is malformed, routes nowhere
 * (`unroutable`), routes to a marketplace the caller does not run (`not_own_domain`), lacks the statement of reasons
 * its marketplace requires, or repeats a listing already in the report (`duplicate_in_report`). Pure: what the database knows is judged after.
 */
export function judgeReport(
  items: readonly unknown[],
  router: Router,
  owned: readonly string[],
  now: Date,
  newId: () => string = randomUUID,
): ReportJudgement {
  const own = new Set(owned);
  const candidates: ReportCandidate[] = [];
  const refused = new Map<number, TakedownReportResultDto>();
  const seen = new Set<string>();
  items.forEach((raw, index) => {
    const item = readReportItem(raw, now);
    if (typeof item === 'string') return refused.set(index, refusal(index, item));
    const judged = canonicalise(item.url, router.route);
    if (!judged.ok)
      return refused.set(
        index,
        refusal(index, judged.reason === 'unknown_marketplace' ? 'unroutable' : judged.reason),
      );
    if (!own.has(judged.marketplaceId)) return refused.set(index, refusal(index, 'not_own_domain'));
    const marketplace = router.byId.get(judged.marketplaceId);
    if (marketplace?.requireStatementOfReasons && !item.decision)
      return refused.set(index, refusal(index, STATEMENT_REQUIRED));
    const listing = listingOf({ marketplaceId: judged.marketplaceId, listingKey: judged.listingKey });
    if (seen.has(listing)) return refused.set(index, refusal(index, 'duplicate_in_report'));
    seen.add(listing);
    // Written out rather than spread (as the intake's attachPriors is): a spread copy of 5,000 items costs several times more.
    candidates.push({
      url: item.url,
      takenDownAt: item.takenDownAt,
      reason: item.reason,
      category: item.category,
      listing: item.listing,
      decision: item.decision,
      index,
      id: newId(),
      canonicalUrl: judged.canonicalUrl,
      listingKey: judged.listingKey,
      marketplaceId: judged.marketplaceId,
      marketplaceAgencyId: marketplace?.agencyId ?? '',
      priorLinkIds: [],
    });
  });
  return { candidates: candidates.sort(byListing), refused };
}

/** The candidates inserted, in lock order, given their priors (from `inserted`, keyed by candidate id). */
export function withPriors(
  candidates: readonly ReportCandidate[],
  inserted: ReadonlyMap<string, string[]>,
): ReportedLink[] {
  const out: ReportedLink[] = [];
  for (const c of candidates) {
    const priorLinkIds = inserted.get(c.id);
    if (!priorLinkIds) continue;
    c.priorLinkIds = priorLinkIds;
    out.push(c);
  }
  return out;
}

/** Every item's result in the items' order: accepted links, then what judging or the database refused. */
export function reportResults(
  itemCount: number,
  refused: ReadonlyMap<number, TakedownReportResultDto>,
  accepted: readonly ReportedLink[],
): TakedownReportResultDto[] {
  const results = new Array<TakedownReportResultDto>(itemCount);
  for (const [index, result] of refused) results[index] = result;
  for (const l of accepted) {
    results[l.index] = {
      index: l.index,
      ok: true,
      linkId: l.id,
      ...(l.priorLinkIds.length > 0 ? { relisted: true, priorLinkIds: l.priorLinkIds } : {}),
    };
  }
  return results;
}

/** The report's event, then one link.created per accepted link in lock order. */
export function reportEvents(
  reportId: string,
  agencyId: string | null,
  itemCount: number,
  accepted: readonly ReportedLink[],
): AuditRecord[] {
  const relisted = accepted.filter((l) => l.priorLinkIds.length > 0).length;
  return [
    takedownReportFiled(reportId, agencyId, {
      items: itemCount,
      accepted: accepted.length,
      refused: itemCount - accepted.length,
      relisted,
    }),
    ...accepted.map((l) =>
      reportedLinkCreated({
        id: l.id,
        reportId,
        marketplaceId: l.marketplaceId,
        marketplaceAgencyId: l.marketplaceAgencyId,
        url: l.url,
        canonicalUrl: l.canonicalUrl,
        listingKey: l.listingKey,
        takenDownAt: l.takenDownAt,
        reason: l.reason,
        category: l.category,
        listing: l.listing,
        decision: l.decision,
        priorLinkIds: l.priorLinkIds,
      }),
    ),
  ];
}

/** The refusals the database decided: an open link of the listing, or the same takedown reported before. */
export function refuseKnown(
  refused: Map<number, TakedownReportResultDto>,
  candidates: readonly ReportCandidate[],
  error: 'open_link_exists' | 'already_reported',
  existing: ReadonlyMap<string, string>,
  keyOf: (c: ReportCandidate) => string,
): ReportCandidate[] {
  const rest: ReportCandidate[] = [];
  for (const c of candidates) {
    const linkId = existing.get(keyOf(c));
    if (linkId) refused.set(c.index, refusal(c.index, error, linkId));
    else rest.push(c);
  }
  return rest;
}
