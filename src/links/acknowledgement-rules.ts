import { AuditRecord, linkReported } from '../audit/audit-events';
import type { AcknowledgementItem } from './acknowledgement-items';
import type { AcknowledgementResult } from './dto/link.dto';
import { canTransition, isFinal } from './link-state';
import type { ListingEvidence, LinkStatus } from './link.entity';
import type { StatementOfReasons } from './statement-of-reasons';

/** The refusal of a takedown without a statement of reasons where the marketplace requires one. */
export const STATEMENT_REQUIRED =
  'decision is required: the marketplace gives a statement of reasons with each takedown';

/** `at` may run this far ahead of our clock: marketplaces' clocks drift. */
export const CLOCK_SKEW_MS = 5_000;

/** A link as locked for acknowledgement: what judging reads and what an accepted item changes. */
export interface LockedLink {
  id: string;
  marketplace_id: string;
  status: LinkStatus;
  created_at: Date;
  listing: ListingEvidence | null;
  seller_ref: string | null;
  status_reason: string | null;
  resolved_at: Date | null;
  decision: StatementOfReasons | null;
  /** The link's marketplace requires a statement of reasons with each takedown. */
  requires_statement: boolean;
}

/** The item's answer; when accepted with a new status, also the link as it becomes and the event that says so. */
export interface Judgement {
  result: AcknowledgementResult;
  change?: { link: LockedLink; event: AuditRecord };
}

/**
 * Judges one acknowledgement item against the link it names (undefined: not one of the caller's links). Pure: the
 * caller threads `change.link` on to the next item for the same link, and writes every change at the end.
 * `party` is the marketplace's agency, the party of the event.
 */
export function judgeAcknowledgement(
  link: LockedLink | undefined,
  item: AcknowledgementItem,
  now: Date,
  party: string | null,
): Judgement {
  const linkId = item.linkId;
  if (!link) return { result: { linkId, ok: false, status: null, error: 'not_found' } };
  const refuse = (error: string): Judgement => ({
    result: { linkId, ok: false, status: link.status, error },
  });
  const at = item.at ?? now;
  if (at.getTime() > now.getTime() + CLOCK_SKEW_MS) return refuse('at must not be in the future');
  if (at.getTime() < link.created_at.getTime()) return refuse('at must not be before the link was created');
  if (item.status === link.status) return { result: { linkId, ok: true, status: link.status } };
  if (!canTransition(link.status, item.status, 'marketplace')) return refuse('invalid_transition');
  if (item.status === 'taken_down' && link.requires_statement && !item.decision)
    return refuse(STATEMENT_REQUIRED);
  const changed: LockedLink = {
    ...link,
    status: item.status,
    status_reason: item.reason ?? link.status_reason,
    ...(item.listing ? { listing: item.listing, seller_ref: item.listing.sellerRef ?? link.seller_ref } : {}),
    ...(isFinal(item.status) ? { resolved_at: at } : {}),
    ...(item.decision ? { decision: item.decision } : {}),
  };
  const event = linkReported(link.id, party, {
    from: link.status,
    status: item.status,
    at,
    reason: item.reason,
    listing: item.listing,
    decision: item.decision,
  });
  return { result: { linkId, ok: true, status: item.status }, change: { link: changed, event } };
}
