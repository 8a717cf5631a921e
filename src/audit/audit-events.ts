/**
 * The audit event catalogue: every action the services write, with the entity it is about, the agency besides operator
 * and ministry that may read it (the party), and the shape of its data. docs/audit-events.md lists the same.
 *
 * The log is append-only, so what was written stays valid forever: an action or entity type never leaves this list
 * once an event carries it, and a changed shape is a new action (or an optional field), never an edit. Readers and
 * the verifier accept every action ever written, including ones no code writes any more.
 */
import type { LinkStatus, ListingEvidence, Priority } from '../links/link.entity';
import type { StatementOfReasons } from '../links/statement-of-reasons';
import type { AuditRecord, LinkReportedStatus } from './audit-vocabulary';

export * from './audit-vocabulary';

interface Change<T> {
  from: T;
  to: T;
}

// Agencies and their API clients. The party is the agency itself.

export function agencyCreated(agency: { id: string; code: string; name: string; type: string }): AuditRecord {
  const { id, code, name, type } = agency;
  return {
    action: 'agency.created',
    entityType: 'agency',
    entityId: id,
    partyAgencyId: id,
    data: { code, name, type },
  };
}

export function agencyRenamed(id: string, name: Change<string>): AuditRecord {
  return { action: 'agency.updated', entityType: 'agency', entityId: id, partyAgencyId: id, data: { name } };
}

export function agencyStatusChanged(id: string, status: Change<'active' | 'suspended'>): AuditRecord {
  const action = status.to === 'suspended' ? 'agency.suspended' : 'agency.reactivated';
  return { action, entityType: 'agency', entityId: id, partyAgencyId: id, data: { status } };
}

export function apiClientCreated(clientId: string, agencyId: string, name: string): AuditRecord {
  return {
    action: 'api_client.created',
    entityType: 'api_client',
    entityId: clientId,
    partyAgencyId: agencyId,
    data: { agencyId, name },
  };
}

export function apiClientRevoked(clientId: string, agencyId: string): AuditRecord {
  return {
    action: 'api_client.revoked',
    entityType: 'api_client',
    entityId: clientId,
    partyAgencyId: agencyId,
    data: { agencyId },
  };
}

// Marketplaces. The party is the marketplace's agency.

export function marketplaceCreated(
  id: string,
  m: {
    agencyId: string;
    code: string;
    name: string;
    domains: string[];
    takedownSlaHours: number;
    urgentSlaHours: number;
    requireStatementOfReasons?: boolean;
  },
): AuditRecord {
  return {
    action: 'marketplace.created',
    entityType: 'marketplace',
    entityId: id,
    partyAgencyId: m.agencyId,
    data: {
      agencyId: m.agencyId,
      code: m.code,
      name: m.name,
      domains: m.domains,
      takedownSlaHours: m.takedownSlaHours,
      urgentSlaHours: m.urgentSlaHours,
      // Written only when set, so a marketplace created without it reads as before.
      ...(m.requireStatementOfReasons ? { requireStatementOfReasons: true } : {}),
    },
  };
}

/** Only the fields that changed, each as {from, to}. */
export function marketplaceUpdated(
  id: string,
  agencyId: string,
  changes: Record<string, Change<unknown>>,
): AuditRecord {
  return {
    action: 'marketplace.updated',
    entityType: 'marketplace',
    entityId: id,
    partyAgencyId: agencyId,
    data: changes,
  };
}

// Keywords: public to every reader of the log (no party).

/** `variants` and a `phrase` match type are written only when given, so a plain term's event reads as before. */
export function keywordAdded(
  id: string,
  term: string,
  note: string | null,
  how: { variants: string[]; matchType: 'token' | 'phrase' } = { variants: [], matchType: 'token' },
): AuditRecord {
  return {
    action: 'keyword.added',
    entityType: 'keyword',
    entityId: id,
    data: {
      term,
      note,
      ...(how.variants.length > 0 ? { variants: how.variants } : {}),
      ...(how.matchType !== 'token' ? { matchType: how.matchType } : {}),
    },
  };
}

export function keywordRetired(id: string, term: string): AuditRecord {
  return { action: 'keyword.retired', entityType: 'keyword', entityId: id, data: { term } };
}

// Link batches (no party: ministries and the operator read them) and their links (the marketplace's agency).

export interface BatchCounts {
  accepted: number;
  duplicate: number;
  rejected: number;
  relisted: number;
  coNotified: number;
}

export function linkBatchCreated(
  id: string,
  meta: {
    reference: string;
    legalBasis: string;
    category?: string | null;
    dueAt?: string | null;
    priority?: Priority;
  },
  counts: BatchCounts,
): AuditRecord {
  return {
    action: 'link_batch.created',
    entityType: 'link_batch',
    entityId: id,
    data: {
      reference: meta.reference,
      legalBasis: meta.legalBasis,
      ...(meta.category ? { category: meta.category } : {}),
      ...(meta.dueAt ? { dueAt: meta.dueAt } : {}),
      // Written only when urgent, so a normal batch's event reads as before priorities existed.
      ...(meta.priority === 'urgent' ? { priority: 'urgent' } : {}),
      counts,
    },
  };
}

export function linkBatchCancelled(id: string, reason: string, withdrawn: number): AuditRecord {
  return {
    action: 'link_batch.cancelled',
    entityType: 'link_batch',
    entityId: id,
    data: { reason, withdrawn },
  };
}

export interface CreatedLink {
  id: string;
  batchId: string;
  marketplaceId: string;
  /** The marketplace's agency: it must see its links' history. */
  marketplaceAgencyId: string;
  url: string;
  canonicalUrl: string;
  listingKey: string;
  dueAt: string;
  /** Written only when urgent, so a normal link's event reads as before priorities existed. */
  priority: Priority;
  priorLinkIds: string[];
  keywords: string[];
  note: string | null;
  /** Listing evidence the ministry sent with the link, carried so evidence packages replay it. */
  listing?: ListingEvidence | null;
}

export function linkCreated(link: CreatedLink): AuditRecord {
  return {
    action: 'link.created',
    entityType: 'link',
    entityId: link.id,
    partyAgencyId: link.marketplaceAgencyId,
    data: {
      batchId: link.batchId,
      marketplaceId: link.marketplaceId,
      url: link.url,
      canonicalUrl: link.canonicalUrl,
      listingKey: link.listingKey,
      status: 'pending',
      dueAt: link.dueAt,
      ...(link.priority === 'urgent' ? { priority: 'urgent' } : {}),
      ...(link.priorLinkIds.length > 0 ? { relisted: true, priorLinkIds: link.priorLinkIds } : {}),
      ...(link.keywords.length > 0 ? { keywords: link.keywords } : {}),
      ...(link.note !== null ? { note: link.note } : {}),
      ...(link.listing ? { listing: link.listing } : {}),
    },
  };
}

// Marketplace takedown reports. The party is the reporting marketplace's agency.

export interface TakedownReportCounts {
  items: number;
  accepted: number;
  refused: number;
  relisted: number;
}

export function takedownReportFiled(
  id: string,
  agencyId: string | null,
  counts: TakedownReportCounts,
): AuditRecord {
  return {
    action: 'takedown_report.filed',
    entityType: 'takedown_report',
    entityId: id,
    partyAgencyId: agencyId,
    data: { counts },
  };
}

export interface ReportedLink {
  id: string;
  reportId: string;
  marketplaceId: string;
  marketplaceAgencyId: string | null;
  url: string;
  canonicalUrl: string;
  listingKey: string;
  takenDownAt: Date;
  reason: string | null;
  category: string | null;
  listing: ListingEvidence;
  /** The statement of reasons, when the report gave one. */
  decision: StatementOfReasons | null;
  priorLinkIds: string[];
}

/**
 * A link a marketplace took down on its own initiative and reported: it is created final (taken_down at `at`), with
 * no batch and no due date. The category lives only here (and so in the link's history and evidence packages).
 */
export function reportedLinkCreated(link: ReportedLink): AuditRecord {
  return {
    action: 'link.created',
    entityType: 'link',
    entityId: link.id,
    partyAgencyId: link.marketplaceAgencyId,
    data: {
      source: 'marketplace',
      reportId: link.reportId,
      batchId: null,
      marketplaceId: link.marketplaceId,
      url: link.url,
      canonicalUrl: link.canonicalUrl,
      listingKey: link.listingKey,
      status: 'taken_down',
      at: link.takenDownAt.toISOString(),
      ...(link.reason !== null ? { reason: link.reason } : {}),
      ...(link.category !== null ? { category: link.category } : {}),
      listing: link.listing,
      ...(link.decision ? { decision: link.decision } : {}),
      ...(link.priorLinkIds.length > 0 ? { relisted: true, priorLinkIds: link.priorLinkIds } : {}),
    },
  };
}

/** A marketplace's report on its own link: the party is the reporting marketplace's agency. */
export function linkReported(
  id: string,
  marketplaceAgencyId: string | null,
  report: {
    from: LinkStatus;
    status: LinkReportedStatus;
    at: Date;
    reason?: string | null;
    listing?: ListingEvidence | null;
    decision?: StatementOfReasons | null;
  },
): AuditRecord {
  return {
    action: `link.${report.status}`,
    entityType: 'link',
    entityId: id,
    partyAgencyId: marketplaceAgencyId,
    data: {
      from: report.from,
      status: report.status,
      at: report.at.toISOString(),
      ...(report.reason ? { reason: report.reason } : {}),
      ...(report.listing ? { listing: report.listing } : {}),
      ...(report.decision ? { decision: report.decision } : {}),
    },
  };
}

/**
 * A ministry withdraws a link, alone or by cancelling its batch. The party is the marketplace's agency, not the
 * withdrawing ministry: the marketplace must see it in the link's history.
 */
export function linkWithdrawn(
  id: string,
  marketplaceAgencyId: string,
  from: LinkStatus,
  reason: string,
  by: 'link' | 'batch' = 'link',
): AuditRecord {
  return {
    action: 'link.withdrawn',
    entityType: 'link',
    entityId: id,
    partyAgencyId: marketplaceAgencyId,
    data: { from, status: 'withdrawn', reason, ...(by === 'batch' ? { batchCancelled: true } : {}) },
  };
}

// Evidence requests. The party is the filing police agency.

export function evidenceRequestFiled(
  id: string,
  policeAgencyId: string | null,
  data: {
    caseNumber: string;
    legalBasis: string;
    purpose: string;
    scope: Record<string, unknown>;
    linkCount: number;
    /** The fixed set of links, committed to per marketplace: a package is checked against it. */
    marketplaces: { marketplaceId: string; links: number; linksSha256: string }[];
  },
): AuditRecord {
  return {
    action: 'evidence_request.filed',
    entityType: 'evidence_request',
    entityId: id,
    partyAgencyId: policeAgencyId,
    data,
  };
}

export function evidenceRequestAnswered(
  id: string,
  policeAgencyId: string | null,
  answer: {
    marketplaceId: string;
    decision: 'fulfil' | 'decline';
    reason?: string | null;
    sellerRecordCount: number;
    /** The commitment to the seller records the package will carry (fulfilling answers only). */
    sellerRecordsSha256?: string;
    status: string;
  },
): AuditRecord {
  return {
    action: 'evidence_request.answered',
    entityType: 'evidence_request',
    entityId: id,
    partyAgencyId: policeAgencyId,
    data: {
      marketplaceId: answer.marketplaceId,
      decision: answer.decision,
      ...(answer.reason ? { reason: answer.reason } : {}),
      sellerRecordCount: answer.sellerRecordCount,
      ...(answer.sellerRecordsSha256 ? { sellerRecordsSha256: answer.sellerRecordsSha256 } : {}),
      status: answer.status,
    },
  };
}

export function evidenceRequestClosed(id: string, policeAgencyId: string | null, from: string): AuditRecord {
  return {
    action: 'evidence_request.closed',
    entityType: 'evidence_request',
    entityId: id,
    partyAgencyId: policeAgencyId,
    data: { from },
  };
}

export function evidenceRequestExported(
  id: string,
  policeAgencyId: string | null,
  data: {
    sha256: string;
    bytes: number;
    treeSize: number;
    rootHash: string;
    files: { name: string; sha256: string }[];
  },
): AuditRecord {
  return {
    action: 'evidence_request.exported',
    entityType: 'evidence_request',
    entityId: id,
    partyAgencyId: policeAgencyId,
    data,
  };
}

/**
 * A look at the link's listing (POST /v1/observations): not a change of status. `reappeared` is the link's flag after
 * it (the look is the latest, by observedAt, or it left the flag as it was). The party is the link's marketplace.
 */
export function linkObserved(
  id: string,
  marketplaceAgencyId: string | null,
  o: {
    observationId: string;
    observedAt: Date;
    result: string;
    finalUrl: string | null;
    listing: ListingEvidence | null;
    reappeared: boolean;
  },
): AuditRecord {
  return {
    action: 'link.observed',
    entityType: 'link',
    entityId: id,
    partyAgencyId: marketplaceAgencyId,
    data: {
      observationId: o.observationId,
      observedAt: o.observedAt.toISOString(),
      result: o.result,
      ...(o.finalUrl ? { finalUrl: o.finalUrl } : {}),
      ...(o.listing ? { listing: o.listing } : {}),
      reappeared: o.reappeared,
    },
  };
}

// Clarifications: a marketplace's question about its link and the notifying ministry's answer (party: the marketplace).

export function clarificationRequested(
  id: string,
  linkId: string,
  marketplaceAgencyId: string,
  question: string,
): AuditRecord {
  return {
    action: 'clarification.requested',
    entityType: 'clarification',
    entityId: id,
    partyAgencyId: marketplaceAgencyId,
    data: { linkId, question },
  };
}

export function clarificationAnswered(
  id: string,
  linkId: string,
  marketplaceAgencyId: string,
  answer: string,
): AuditRecord {
  return {
    action: 'clarification.answered',
    entityType: 'clarification',
    entityId: id,
    partyAgencyId: marketplaceAgencyId,
    data: { linkId, answer },
  };
}

// Objections: events of the link, so its history and the evidence package's replay carry them (party: the marketplace).

/** A marketplace objects to its link; `clockPaused` when the link was open, so its clock stopped. */
export function linkObjected(
  linkId: string,
  marketplaceAgencyId: string,
  o: {
    objectionId: string;
    ground: string;
    detail: string;
    onBehalfOfSeller: boolean;
    evidenceSha256: string | null;
    clockPaused: boolean;
  },
): AuditRecord {
  return {
    action: 'link.objected',
    entityType: 'link',
    entityId: linkId,
    partyAgencyId: marketplaceAgencyId,
    data: {
      objectionId: o.objectionId,
      ground: o.ground,
      detail: o.detail,
      onBehalfOfSeller: o.onBehalfOfSeller,
      ...(o.evidenceSha256 ? { evidenceSha256: o.evidenceSha256 } : {}),
      clockPaused: o.clockPaused,
    },
  };
}

/**
 * The notifying ministry decides an objection. `from` and `status` are the link's status before and after (upheld:
 * withdrawn if it was open, reinstated if it was taken down); `pausedMs` the time its clock stood still, by which
 * `dueAt` moved on.
 */
export function linkObjectionDecided(
  linkId: string,
  marketplaceAgencyId: string,
  d: {
    objectionId: string;
    outcome: 'upheld' | 'rejected';
    note: string;
    from: LinkStatus;
    status: LinkStatus;
    pausedMs: number;
    dueAt: Date | null;
  },
): AuditRecord {
  return {
    action: 'link.objection_decided',
    entityType: 'link',
    entityId: linkId,
    partyAgencyId: marketplaceAgencyId,
    data: {
      objectionId: d.objectionId,
      outcome: d.outcome,
      note: d.note,
      from: d.from,
      status: d.status,
      pausedMs: d.pausedMs,
      dueAt: d.dueAt?.toISOString() ?? null,
    },
  };
}

/**
 * A second ministry sent the listing of an open link in a batch of its own: it becomes a co-notifier of the link
 * (actor: that ministry; party: the link's marketplace).
 */
export function linkCoNotified(linkId: string, marketplaceAgencyId: string, batchId: string): AuditRecord {
  return {
    action: 'link.co_notified',
    entityType: 'link',
    entityId: linkId,
    partyAgencyId: marketplaceAgencyId,
    data: { batchId },
  };
}
