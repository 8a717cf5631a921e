/**
 * What an evidence package says, derived from audit events alone: the exchange builds its files with these functions
 * and the offline verifier recomputes them with the same ones, so a file that differs from its events is refused.
 * Node's standard library only (and audit/canonical.ts's RFC 8785 text): this file is bundled into the standalone verifier.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../audit/canonical';
import { OBJECTABLE_STATUSES, pausesClock, statusAfterDecision } from '../objections/objection-rules';

/** The parts of an audit entry's canonical text the replay reads. */
export interface EventBody {
  seq: number;
  action: string;
  at: string;
  entity: { type: string; id: string };
  actor?: { agencyId: string | null };
  data: Record<string, unknown>;
}

/**
 * A link as its own events make it: one line of links.jsonl, keys in this order. `source` and `reportId` are there
 * only for a link a marketplace reported (so a ministry's link reads exactly as it did before reports existed).
 */
export interface PackageLink {
  id: string;
  batchId: string | null;
  marketplaceId: string;
  url: string;
  canonicalUrl: string;
  listingKey: string;
  note: string | null;
  keywords: string[];
  createdAt: string;
  dueAt: string | null;
  status: string;
  statusReason: string | null;
  resolvedAt: string | null;
  listing: Record<string, unknown> | null;
  sellerRef: string | null;
  relisted: boolean;
  priorLinkIds: string[];
  /** Only when the notifier sent the link urgent (its dueAt is then the marketplace's urgent SLA). */
  priority?: 'urgent';
  source?: 'marketplace';
  reportId?: string;
  /** Only while true: taken down, and the latest observation (by observedAt) found the listing online. */
  reappeared?: true;
  /** Only when the takedown carried one: the marketplace's statement of reasons. */
  decision?: Record<string, unknown>;
  /** Only when there are any: the other ministries that sent the listing while the link was open, by agency id. */
  coNotifiers?: string[];
}

export class ReplayError extends Error {}

const FINAL = new Set(['taken_down', 'not_found', 'rejected', 'withdrawn', 'reinstated']);
const MARKETPLACE_STATUSES = new Set(['acknowledged', 'taken_down', 'not_found', 'rejected']);

/**
 * Replays one link's events (in seq order) into what links.jsonl says of it. Any event the replay does not know, any
 * event out of its state's order, and any event of another entity is an error: nothing is skipped silently.
 */
export function replayLink(linkId: string, events: EventBody[]): PackageLink {
  if (events.length === 0) throw new ReplayError(`link ${linkId} has no audit events`);
  let link: PackageLink | null = null;
  for (const e of events) link = applyLinkEvent(linkId, link, e);
  return link!;
}

/**
 * One step of the replay: the link after event `e`, given the link before it (null before its creation). The link
 * object is changed in place, so a long replay allocates one object per link. Events must come in seq order.
 */
export function applyLinkEvent(linkId: string, link: PackageLink | null, e: EventBody): PackageLink {
  const where = `link ${linkId}, event seq ${e.seq}`;
  if (e.entity?.type !== 'link' || e.entity.id !== linkId)
    throw new ReplayError(`${where}: the event belongs to ${e.entity?.type} ${e.entity?.id}`);
  if (link && !(e.seq > lastSeqOf.get(link)!)) throw new ReplayError(`${where}: events are not in seq order`);
  const d = e.data ?? {};
  if (e.action === 'link.created') {
    if (link) throw new ReplayError(`${where}: a second link.created`);
    const created =
      d.source === undefined ? createdByBatch(linkId, e, where) : reportedLink(linkId, e, where);
    if (d.listing !== undefined) setListing(created, d.listing, where);
    lastSeqOf.set(created, e.seq);
    return created;
  }
  if (!link) throw new ReplayError(`${where}: ${e.action} before link.created`);
  lastSeqOf.set(link, e.seq);
  if (e.action === 'link.observed') return observe(link, d, where);
  if (e.action === 'link.objected') return objected(link, e, where);
  if (e.action === 'link.objection_decided') return objectionDecided(link, e, where);
  if (e.action === 'link.co_notified') return coNotified(link, e, where);
  const status = e.action.slice('link.'.length);
  const known =
    e.action === 'link.withdrawn' || (e.action.startsWith('link.') && MARKETPLACE_STATUSES.has(status));
  if (!known) throw new ReplayError(`${where}: ${e.action} is not an event the replay knows`);
  if (d.status !== status)
    throw new ReplayError(`${where}: data.status is ${String(d.status)}, not ${status}`);
  if (d.from !== link.status)
    throw new ReplayError(
      `${where}: moves from ${String(d.from)}, but the link's events leave it ${link.status}`,
    );
  if (FINAL.has(link.status)) throw new ReplayError(`${where}: the link was already final (${link.status})`);
  link.status = status;
  if (d.reason !== undefined) link.statusReason = str(d.reason, where, 'reason');
  if (d.listing !== undefined) setListing(link, d.listing, where);
  if (d.decision !== undefined) {
    if (status !== 'taken_down') throw new ReplayError(`${where}: a statement of reasons with ${status}`);
    link.decision = statementOf(d.decision, where);
  }
  // A marketplace says when it acted (`at`); a withdrawal acts when it is recorded.
  if (FINAL.has(status)) link.resolvedAt = instant(d.at ?? e.at, where, 'at');
  return link;
}

const OBSERVATION_RESULTS = new Set(['online', 'offline', 'not_found', 'redirected']);

/** The observedAt of each link's latest observation so far in the replay. */
const lastObservedOf = new WeakMap<PackageLink, number>();

/**
 * A look at the listing changes no status. Only the latest look by observedAt moves the flag: online on a taken-down
 * link raises it, offline or not_found lowers it, redirected leaves it. The event says the flag it left; the replay
 * recomputes it and refuses an event that says otherwise.
 */
function observe(link: PackageLink, d: Record<string, unknown>, where: string): PackageLink {
  const result = str(d.result, where, 'result');
  if (!OBSERVATION_RESULTS.has(result))
    throw new ReplayError(`${where}: result ${result} is not one the replay knows`);
  const observedAt = Date.parse(instant(d.observedAt, where, 'observedAt'));
  const latest = lastObservedOf.get(link);
  let reappeared = link.reappeared === true;
  if (latest === undefined || observedAt >= latest) {
    lastObservedOf.set(link, observedAt);
    if (result === 'online' && link.status === 'taken_down') reappeared = true;
    else if (result === 'offline' || result === 'not_found') reappeared = false;
  }
  if (d.reappeared !== reappeared)
    throw new ReplayError(
      `${where}: data.reappeared is ${String(d.reappeared)}, the observations make it ${reappeared}`,
    );
  if (reappeared) link.reappeared = true;
  else delete link.reappeared;
  return link;
}

/** The objection open against each link so far in the replay: its id, when it was filed, whether it paused the clock. */
const openObjectionOf = new WeakMap<PackageLink, { id: string; at: number; clockPaused: boolean }>();

/** An objection changes no status; to an open link it stops the clock, which the event must say. */
function objected(link: PackageLink, e: EventBody, where: string): PackageLink {
  const d = e.data ?? {};
  const id = str(d.objectionId, where, 'objectionId');
  if (openObjectionOf.has(link)) throw new ReplayError(`${where}: an objection to the link is open already`);
  if (link.batchId === null) throw new ReplayError(`${where}: an objection to a link no ministry notified`);
  if (!OBJECTABLE_STATUSES.includes(link.status))
    throw new ReplayError(`${where}: an objection to a ${link.status} link`);
  const clockPaused = pausesClock(link.status);
  if (d.clockPaused !== clockPaused)
    throw new ReplayError(
      `${where}: data.clockPaused is ${String(d.clockPaused)}, but the link is ${link.status}`,
    );
  openObjectionOf.set(link, { id, at: Date.parse(instant(e.at, where, 'at')), clockPaused });
  return link;
}

/** Another ministry's batch sent the listing of this open link: that ministry (the actor) becomes a co-notifier. */
function coNotified(link: PackageLink, e: EventBody, where: string): PackageLink {
  str(e.data?.batchId, where, 'batchId');
  const agencyId = e.actor?.agencyId;
  if (typeof agencyId !== 'string') throw new ReplayError(`${where}: a co-notification by no agency`);
  if (link.batchId === null)
    throw new ReplayError(`${where}: a co-notification of a link no ministry notified`);
  if (link.status !== 'pending' && link.status !== 'acknowledged')
    throw new ReplayError(`${where}: a co-notification of a ${link.status} link`);
  const all = link.coNotifiers ?? [];
  if (all.includes(agencyId))
    throw new ReplayError(`${where}: agency ${agencyId} co-notified the link already`);
  link.coNotifiers = [...all, agencyId].sort();
  return link;
}

/**
 * The decision on the open objection: the status it leaves (statusAfterDecision), the time the clock stood still
 * (from the objection's event to this one, to the millisecond) and the dueAt moved on by it, each recomputed here.
 */
function objectionDecided(link: PackageLink, e: EventBody, where: string): PackageLink {
  const d = e.data ?? {};
  const open = openObjectionOf.get(link);
  const id = str(d.objectionId, where, 'objectionId');
  if (open?.id !== id) throw new ReplayError(`${where}: decides objection ${id}, which is not open`);
  const outcome = str(d.outcome, where, 'outcome');
  if (outcome !== 'upheld' && outcome !== 'rejected')
    throw new ReplayError(`${where}: outcome ${outcome} is not one the replay knows`);
  if (d.from !== link.status)
    throw new ReplayError(
      `${where}: moves from ${String(d.from)}, but the link's events leave it ${link.status}`,
    );
  const status = statusAfterDecision(link.status, outcome);
  if (d.status !== status)
    throw new ReplayError(
      `${where}: data.status is ${String(d.status)}, an ${outcome} objection makes it ${status}`,
    );
  const decidedAt = instant(e.at, where, 'at');
  const pausedMs = open.clockPaused ? Date.parse(decidedAt) - open.at : 0;
  if (d.pausedMs !== pausedMs)
    throw new ReplayError(`${where}: data.pausedMs is ${String(d.pausedMs)}, the events make it ${pausedMs}`);
  if (link.dueAt !== null && pausedMs > 0)
    link.dueAt = new Date(Date.parse(link.dueAt) + pausedMs).toISOString();
  const dueAt = d.dueAt === null ? null : instant(d.dueAt, where, 'dueAt');
  if (dueAt !== link.dueAt)
    throw new ReplayError(`${where}: data.dueAt is ${String(d.dueAt)}, the events make it ${link.dueAt}`);
  if (status !== link.status) {
    link.status = status;
    link.statusReason = str(d.note, where, 'note');
    link.resolvedAt = decidedAt;
  }
  openObjectionOf.delete(link);
  return link;
}

/** A ministry's link, created pending by its batch (with the listing evidence the ministry sent, if any). */
function createdByBatch(linkId: string, e: EventBody, where: string): PackageLink {
  const d = e.data ?? {};
  return {
    id: linkId,
    batchId: str(d.batchId, where, 'batchId'),
    marketplaceId: str(d.marketplaceId, where, 'marketplaceId'),
    url: str(d.url, where, 'url'),
    canonicalUrl: str(d.canonicalUrl, where, 'canonicalUrl'),
    listingKey: str(d.listingKey, where, 'listingKey'),
    note: d.note === undefined ? null : str(d.note, where, 'note'),
    keywords: d.keywords === undefined ? [] : strings(d.keywords, where, 'keywords'),
    createdAt: instant(e.at, where, 'at'),
    dueAt: instant(d.dueAt, where, 'dueAt'),
    status: str(d.status, where, 'status'),
    statusReason: null,
    resolvedAt: null,
    listing: null,
    sellerRef: null,
    relisted: d.relisted === true,
    priorLinkIds: d.priorLinkIds === undefined ? [] : strings(d.priorLinkIds, where, 'priorLinkIds'),
    ...urgency(d.priority, where),
  };
}

/** A takedown's statement of reasons, as its event carries it. */
function statementOf(decision: unknown, where: string): Record<string, unknown> {
  if (typeof decision !== 'object' || decision === null || Array.isArray(decision))
    throw new ReplayError(`${where}: data.decision is not an object`);
  return decision as Record<string, unknown>;
}

/** A link.created event says `priority` only when urgent: anything else there is not an event the exchange writes. */
function urgency(priority: unknown, where: string): { priority?: 'urgent' } {
  if (priority === undefined) return {};
  if (priority !== 'urgent') throw new ReplayError(`${where}: data.priority is ${JSON.stringify(priority)}`);
  return { priority };
}

/**
 * A link a marketplace reported it had taken down on its own initiative: created final, with a report and listing
 * evidence, no batch and no due date. Anything else in the marketplace form is not a reported takedown.
 */
function reportedLink(linkId: string, e: EventBody, where: string): PackageLink {
  const d = e.data ?? {};
  if (d.source !== 'marketplace') throw new ReplayError(`${where}: data.source is ${String(d.source)}`);
  if (d.batchId !== null)
    throw new ReplayError(`${where}: a reported link has batchId ${JSON.stringify(d.batchId)}`);
  if (d.dueAt !== undefined) throw new ReplayError(`${where}: a reported link has a dueAt`);
  if (d.status !== 'taken_down')
    throw new ReplayError(`${where}: a reported link is created ${String(d.status)}, not taken_down`);
  if (d.listing === undefined) throw new ReplayError(`${where}: a reported link has no listing`);
  return {
    id: linkId,
    batchId: null,
    marketplaceId: str(d.marketplaceId, where, 'marketplaceId'),
    url: str(d.url, where, 'url'),
    canonicalUrl: str(d.canonicalUrl, where, 'canonicalUrl'),
    listingKey: str(d.listingKey, where, 'listingKey'),
    note: null,
    keywords: [],
    createdAt: instant(e.at, where, 'at'),
    dueAt: null,
    status: 'taken_down',
    statusReason: d.reason === undefined ? null : str(d.reason, where, 'reason'),
    resolvedAt: instant(d.at, where, 'at'),
    listing: null,
    sellerRef: null,
    relisted: d.relisted === true,
    priorLinkIds: d.priorLinkIds === undefined ? [] : strings(d.priorLinkIds, where, 'priorLinkIds'),
    source: 'marketplace',
    reportId: str(d.reportId, where, 'reportId'),
    ...(d.decision !== undefined ? { decision: statementOf(d.decision, where) } : {}),
  };
}

function setListing(link: PackageLink, listing: unknown, where: string): void {
  if (typeof listing !== 'object' || listing === null || Array.isArray(listing))
    throw new ReplayError(`${where}: data.listing is not an object`);
  link.listing = listing as Record<string, unknown>;
  const sellerRef = link.listing.sellerRef;
  if (sellerRef !== undefined) link.sellerRef = str(sellerRef, where, 'listing.sellerRef');
}

/** The seq of the last event applied to each replayed link, kept beside it so the line stays exactly the contract's. */
const lastSeqOf = new WeakMap<PackageLink, number>();

function str(v: unknown, where: string, field: string): string {
  if (typeof v !== 'string') throw new ReplayError(`${where}: data.${field} is not a string`);
  return v;
}

function strings(v: unknown, where: string, field: string): string[] {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
    throw new ReplayError(`${where}: data.${field} is not a list of strings`);
  return v as string[];
}

function instant(v: unknown, where: string, field: string): string {
  const ms = typeof v === 'string' ? Date.parse(v) : NaN;
  if (Number.isNaN(ms)) throw new ReplayError(`${where}: ${field} is not a timestamp`);
  return new Date(ms).toISOString();
}

/** An evidence request as its own events make it: what was filed, and how each addressed marketplace answered. */
export interface RequestStory {
  request: {
    id: string;
    caseNumber: string;
    legalBasis: string;
    purpose: string;
    policeAgencyId: string;
    createdAt: string;
  };
  status: string;
  /** Per addressed marketplace, in filing order: its links in scope (count and digest) and its answer. */
  parts: {
    marketplaceId: string;
    links: number;
    linksSha256: string | null;
    decision: 'fulfil' | 'decline' | null;
    sellerRecordsSha256: string | null;
  }[];
}

export function replayRequest(requestId: string, events: EventBody[]): RequestStory {
  let story: RequestStory | null = null;
  for (const e of events) {
    const where = `request ${requestId}, event seq ${e.seq}`;
    if (e.entity?.type !== 'evidence_request' || e.entity.id !== requestId)
      throw new ReplayError(`${where}: the event belongs to ${e.entity?.type} ${e.entity?.id}`);
    const d = e.data ?? {};
    if (e.action === 'evidence_request.filed') {
      if (story) throw new ReplayError(`${where}: a second evidence_request.filed`);
      const parts = Array.isArray(d.marketplaces) ? (d.marketplaces as Record<string, unknown>[]) : [];
      story = {
        request: {
          id: requestId,
          caseNumber: str(d.caseNumber, where, 'caseNumber'),
          legalBasis: str(d.legalBasis, where, 'legalBasis'),
          purpose: str(d.purpose, where, 'purpose'),
          policeAgencyId: str(e.actor?.agencyId, where, 'actor.agencyId'),
          createdAt: instant(e.at, where, 'at'),
        },
        status: 'submitted',
        parts: parts.map((p) => ({
          marketplaceId: str(p.marketplaceId, where, 'marketplaces[].marketplaceId'),
          links: typeof p.links === 'number' ? p.links : NaN,
          linksSha256: typeof p.linksSha256 === 'string' ? p.linksSha256 : null,
          decision: null,
          sellerRecordsSha256: null,
        })),
      };
      continue;
    }
    if (!story) throw new ReplayError(`${where}: ${e.action} before evidence_request.filed`);
    if (e.action === 'evidence_request.answered') {
      const part = story.parts.find((p) => p.marketplaceId === d.marketplaceId);
      if (!part)
        throw new ReplayError(`${where}: an answer from ${String(d.marketplaceId)}, which was not addressed`);
      if (part.decision !== null) throw new ReplayError(`${where}: ${part.marketplaceId} answered twice`);
      if (d.decision !== 'fulfil' && d.decision !== 'decline')
        throw new ReplayError(`${where}: decision is ${String(d.decision)}`);
      part.decision = d.decision;
      part.sellerRecordsSha256 = typeof d.sellerRecordsSha256 === 'string' ? d.sellerRecordsSha256 : null;
      story.status = str(d.status, where, 'status');
    } else if (e.action === 'evidence_request.closed') {
      story.status = 'closed';
    } else if (e.action !== 'evidence_request.exported') {
      throw new ReplayError(`${where}: ${e.action} is not an event the replay knows`);
    }
  }
  if (!story) throw new ReplayError(`request ${requestId} has no evidence_request.filed event`);
  return story;
}

/** One line of links.jsonl. */
export function linkLine(link: PackageLink): string {
  return JSON.stringify(link) + '\n';
}

/**
 * Opens every CSV the exchange writes: a spreadsheet that sees it reads the file as UTF-8, where without it Excel
 * takes its locale's code page and garbles every non-ASCII seller name and title.
 */
export const UTF8_BOM = '\ufeff';

export const CSV_HEADER =
  UTF8_BOM +
  'id,batchId,marketplaceId,url,canonicalUrl,listingKey,status,statusReason,createdAt,dueAt,resolvedAt,relisted,sellerRef,sellerName,title,source,reportId\n';

/** One row of links.csv, computed from the link's links.jsonl line by the rule in README.txt. */
export function csvRow(link: PackageLink): string {
  const listing = link.listing ?? {};
  return (
    [
      link.id,
      link.batchId ?? '',
      link.marketplaceId,
      link.url,
      link.canonicalUrl,
      link.listingKey,
      link.status,
      link.statusReason ?? '',
      link.createdAt,
      link.dueAt ?? '',
      link.resolvedAt ?? '',
      String(link.relisted),
      link.sellerRef ?? '',
      typeof listing.sellerName === 'string' ? listing.sellerName : '',
      typeof listing.title === 'string' ? listing.title : '',
      link.source ?? 'ministry',
      link.reportId ?? '',
    ]
      .map(csvCell)
      .join(',') + '\n'
  );
}

const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * A cell a spreadsheet shows as text: OWASP's CSV-injection rule (a leading =, +, -, @, tab or CR gets an apostrophe),
 * bidirectional controls written visibly as <U+XXXX>, then RFC 4180 quoting.
 */
export function csvCell(value: string): string {
  let v = value.replace(BIDI, (c) => `<U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}>`);
  if (/^[=+\-@\t\r]/.test(v)) v = `'${v}`;
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/**
 * The commitment an answer event carries to the seller records it was given: SHA-256 of the RFC 8785 text of
 * {salt, sellerRecords}, salted with 32 random bytes (hex) so a reader of the event cannot confirm a guessed name.
 */
export function sellerRecordsCommitment(salt: string, sellerRecords: unknown[]): string {
  const text = canonicalJson({ salt, sellerRecords });
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The filing event's commitment to one marketplace's links in scope: SHA-256 of their ids, sorted, one per line. */
export function linkSetDigest(linkIds: string[]): string {
  return createHash('sha256')
    .update([...linkIds].sort().join('\n'), 'utf8')
    .digest('hex');
}
