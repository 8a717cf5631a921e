import { CLOCK_SKEW_MS } from '../links/acknowledgement-rules';
import type { ListingEvidence } from '../links/link.entity';
import { readListingEvidence, unstorable } from '../links/listing-evidence';
import { readStatementOfReasons, StatementOfReasons } from '../links/statement-of-reasons';

/** One item of a takedown report as read: a listing the marketplace took down on its own initiative. */
export interface ReportItem {
  url: string;
  takenDownAt: Date;
  reason: string | null;
  category: string | null;
  listing: ListingEvidence;
  /** The marketplace's statement of reasons for the takedown (DSA art. 17), when it gives one. */
  decision: StatementOfReasons | null;
}

/** Takedowns before this are not the exchange's business (and most likely a mistyped year). */
export const EARLIEST_TAKEDOWN = new Date('2000-01-01T00:00:00.000Z');
export const MAX_REPORT_URL = 8192;

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const ITEM_KEYS = new Set(['url', 'takenDownAt', 'reason', 'category', 'listing', 'decision']);

function optionalText(v: unknown, name: string, max: number): string | null {
  if (v === undefined) return null;
  if (typeof v !== 'string' || v.length === 0 || v.length > max)
    return `${name} must be a string of 1-${max} characters`;
  const bad = unstorable(v);
  return bad ? `${name} ${bad}` : null;
}

/**
 * Reads one takedown report item; a string is the item's error. Hand-written: it runs 5,000 times a request. The URL
 * is only checked for shape here; canonicalising and routing it is the rules' work.
 */
export function readReportItem(raw: unknown, now: Date): ReportItem | string {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'item must be an object';
  const o = raw as Record<string, unknown>;
  for (const key in o) if (!ITEM_KEYS.has(key)) return `property ${key.slice(0, 50)} is not allowed`;
  if (typeof o.url !== 'string' || o.url.length === 0 || o.url.length > MAX_REPORT_URL)
    return `url must be a string of 1-${MAX_REPORT_URL} characters`;
  const badUrl = unstorable(o.url);
  if (badUrl) return `url ${badUrl}`;
  if (
    typeof o.takenDownAt !== 'string' ||
    !ISO_INSTANT.test(o.takenDownAt) ||
    Number.isNaN(Date.parse(o.takenDownAt))
  )
    return 'takenDownAt must be an RFC 3339 timestamp';
  const takenDownAt = new Date(o.takenDownAt);
  if (takenDownAt.getTime() > now.getTime() + CLOCK_SKEW_MS) return 'takenDownAt must not be in the future';
  if (takenDownAt.getTime() < EARLIEST_TAKEDOWN.getTime())
    return `takenDownAt must not be before ${EARLIEST_TAKEDOWN.toISOString()}`;
  const badText = optionalText(o.reason, 'reason', 1000) ?? optionalText(o.category, 'category', 100);
  if (badText) return badText;
  if (o.listing === undefined) return 'listing is required';
  const listing = readListingEvidence(o.listing);
  if (typeof listing === 'string') return listing;
  const decision = readStatementOfReasons(o.decision);
  if (typeof decision === 'string') return decision;
  return {
    url: o.url,
    takenDownAt,
    reason: (o.reason as string | undefined) ?? null,
    category: (o.category as string | undefined) ?? null,
    listing,
    decision,
  };
}
