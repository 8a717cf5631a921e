import { CLOCK_SKEW_MS } from '../links/acknowledgement-rules';
import type { ListingEvidence } from '../links/link.entity';
import { readOptionalListing, unstorable } from '../links/listing-evidence';
import { OBSERVATION_RESULTS, ObservationResult } from './observation.entity';

/** One observation item as read: a look at a link's listing. */
export interface ObservationItem {
  linkId: string;
  observedAt: Date;
  result: ObservationResult;
  finalUrl: string | null;
  listing: ListingEvidence | null;
}

export const MAX_FINAL_URL = 8192;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const ITEM_KEYS = new Set(['linkId', 'observedAt', 'result', 'finalUrl', 'listing']);

/**
 * Reads one observation item; a string is the item's error. Hand-written: it runs 5,000 times a request. Whether the
 * link is the caller's to observe, and was there at observedAt, is the rules' work.
 */
export function readObservation(raw: unknown, now: Date): ObservationItem | string {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'item must be an object';
  const o = raw as Record<string, unknown>;
  for (const key in o) if (!ITEM_KEYS.has(key)) return `property ${key.slice(0, 50)} is not allowed`;
  if (typeof o.linkId !== 'string' || !UUID.test(o.linkId)) return 'linkId must be a UUID';
  if (
    typeof o.observedAt !== 'string' ||
    !ISO_INSTANT.test(o.observedAt) ||
    Number.isNaN(Date.parse(o.observedAt))
  )
    return 'observedAt must be an RFC 3339 timestamp';
  const observedAt = new Date(o.observedAt);
  if (observedAt.getTime() > now.getTime() + CLOCK_SKEW_MS) return 'observedAt must not be in the future';
  if (typeof o.result !== 'string' || !(OBSERVATION_RESULTS as readonly string[]).includes(o.result))
    return `result must be one of ${OBSERVATION_RESULTS.join(', ')}`;
  let finalUrl: string | null = null;
  if (o.finalUrl !== undefined) {
    if (
      typeof o.finalUrl !== 'string' ||
      !/^https?:\/\/\S+$/i.test(o.finalUrl) ||
      o.finalUrl.length > MAX_FINAL_URL
    )
      return `finalUrl must be an http(s) URL of at most ${MAX_FINAL_URL} characters`;
    const bad = unstorable(o.finalUrl);
    if (bad) return `finalUrl ${bad}`;
    finalUrl = o.finalUrl;
  }
  const listing = readOptionalListing(o.listing);
  if (typeof listing === 'string') return listing;
  return {
    linkId: o.linkId.toLowerCase(),
    observedAt,
    result: o.result as ObservationResult,
    finalUrl,
    listing,
  };
}
