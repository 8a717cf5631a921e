import type { Actor } from '../auth/actor';
import type {
  EvidenceRequestLinkResponseDto,
  EvidenceRequestResponseDto,
} from './dto/evidence-request-response.dto';
import { StoredEvidenceStatus } from './evidence-request.entity';
import type { AnswerRow, RequestLinkRow, RequestRow } from './evidence-requests.repository';

export type EvidenceStatus = StoredEvidenceStatus | 'expired';

export type EvidenceRequestView = EvidenceRequestResponseDto;

export type EvidenceRequestLinkView = EvidenceRequestLinkResponseDto;

/**
 * A request as this caller sees it: a marketplace (`owned` its marketplaces) only its own part and no scope, the
 * filing police whole, the ministry and the operator without reasons or seller records.
 */
export function requestView(
  actor: Actor,
  owned: Set<string> | null,
  r: RequestRow,
  answers: AnswerRow[],
): EvidenceRequestView {
  let parts = answers.filter((x) => x.request_id === r.id);
  if (owned) parts = parts.filter((x) => owned.has(x.marketplace_id));
  const withRecords = actor.role === 'police' || owned !== null;
  return {
    id: r.id,
    policeAgencyId: r.police_agency_id,
    caseNumber: r.case_number,
    legalBasis: r.legal_basis,
    purpose: r.purpose,
    scope: owned ? {} : r.scope,
    status: r.status !== 'closed' && r.expires_at.getTime() <= Date.now() ? 'expired' : r.status,
    linkCount: owned ? parts.reduce((n, x) => n + x.link_count, 0) : r.link_count,
    marketplaces: parts.map((x) => ({
      marketplaceId: x.marketplace_id,
      decision: x.decision,
      respondedAt: x.responded_at?.toISOString() ?? null,
      ...(withRecords ? { reason: x.reason, sellerRecords: x.seller_records ?? [] } : {}),
    })),
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    closedAt: r.closed_at?.toISOString() ?? null,
    expiresAt: r.expires_at.toISOString(),
  };
}

export function requestLinkView(r: RequestLinkRow): EvidenceRequestLinkView {
  return {
    linkId: r.link_id,
    marketplaceId: r.marketplace_id,
    url: r.url,
    listingKey: r.listing_key,
    sellerRef: r.seller_ref,
    status: r.status,
  };
}
