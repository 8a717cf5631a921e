import type { ListingEvidence } from './link.entity';
import { ACK_STATUSES, AckStatus } from './dto/link.dto';
import { readOptionalListing, unstorable } from './listing-evidence';
import { readStatementOfReasons, StatementOfReasons } from './statement-of-reasons';

export interface AcknowledgementItem {
  linkId: string;
  status: AckStatus;
  at: Date | null;
  reason: string | null;
  listing: ListingEvidence | null;
  /** The statement of reasons, given with taken_down only. */
  decision: StatementOfReasons | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const ITEM_KEYS = new Set(['linkId', 'status', 'at', 'reason', 'listing', 'decision']);
/** Reads one acknowledgement item; a string is the per-item validation message. Hand-written: it runs 5,000 times a request. */
export function readAcknowledgement(raw: unknown): AcknowledgementItem | string {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'item must be an object';
  const o = raw as Record<string, unknown>;
  for (const key in o) if (!ITEM_KEYS.has(key)) return `property ${key.slice(0, 50)} is not allowed`;
  if (typeof o.linkId !== 'string' || !UUID.test(o.linkId)) return 'linkId must be a UUID';
  if (typeof o.status !== 'string' || !(ACK_STATUSES as readonly string[]).includes(o.status)) {
    return `status must be one of ${ACK_STATUSES.join(', ')}`;
  }
  let at: Date | null = null;
  if (o.at !== undefined) {
    if (typeof o.at !== 'string' || !ISO_INSTANT.test(o.at) || Number.isNaN(Date.parse(o.at)))
      return 'at must be an RFC 3339 timestamp';
    at = new Date(o.at);
  }
  if (
    o.reason !== undefined &&
    (typeof o.reason !== 'string' || o.reason.length === 0 || o.reason.length > 1000)
  ) {
    return 'reason must be a string of 1-1000 characters';
  }
  const badReason = unstorable(o.reason);
  if (badReason) return `reason ${badReason}`;
  if (o.status === 'rejected' && o.reason === undefined) return 'reason is required when status is rejected';
  const listing = readOptionalListing(o.listing);
  if (typeof listing === 'string') return listing;
  const decision = readStatementOfReasons(o.decision);
  if (typeof decision === 'string') return decision;
  if (decision && o.status !== 'taken_down') return 'decision is given with status taken_down only';
  return {
    linkId: o.linkId.toLowerCase(),
    status: o.status as AckStatus,
    at,
    reason: typeof o.reason === 'string' ? o.reason : null,
    listing,
    decision,
  };
}
