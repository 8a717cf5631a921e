import * as crypto from 'node:crypto';
import type { AuditAction } from './audit-events';
import { entryHash } from './canonical';

/**
 * One audit_events row as verification reads it (see ENTRY_COLUMNS). Reading the log is most of verification's
 * cost and grows with the fields and bytes read, so the columns of fixed form travel as one text and prev_hash
 * only when PostgreSQL found it to differ from the entry hash of the row before.
 */
export interface StoredEntry {
  seq: number;
  canonical: string;
  /** Hex; null when it equals the entry hash of the row before in seq order (compared by PostgreSQL). */
  prev_hash: string | null;
  /** Hex. */
  entry_hash: string;
  /** occurred_at (UTC, microseconds), actor_client_id, actor_agency_id, entity_id, party_agency_id; '|' between, '' for null. */
  ids: string;
  actor_role: string;
  action: string;
  entity_type: string;
  request_id: string | null;
}

/**
 * The select list that reads StoredEntry from audit_events as `e`, with `lag_hash` the entry hash of the row before.
 * seq comes as float8 so that it arrives as a number (exact up to 2^53, as every seq in JavaScript).
 * Neither a timestamp in that form nor a uuid can hold a '|', and a uuid is never empty, so the ids text parts
 * unambiguously.
 */
export const ENTRY_COLUMNS = `e.seq::float8 AS seq, e.canonical,
  CASE WHEN e.prev_hash = e.lag_hash THEN NULL ELSE encode(e.prev_hash, 'hex') END AS prev_hash,
  encode(e.entry_hash, 'hex') AS entry_hash,
  concat_ws('|', to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    coalesce(e.actor_client_id::text, ''), coalesce(e.actor_agency_id::text, ''), e.entity_id::text,
    coalesce(e.party_agency_id::text, '')) AS ids,
  e.actor_role, e.action, e.entity_type, e.request_id`;

/** The audit_events columns ENTRY_COLUMNS reads, for a subquery that adds lag_hash (and no wider, for its sort). */
export const ENTRY_SOURCE_COLUMNS = `seq, canonical, prev_hash, entry_hash, occurred_at, actor_client_id, actor_agency_id,
  actor_role, action, entity_type, entity_id, party_agency_id, request_id`;

/** The canonical text as parsed; anything may be missing or of the wrong type in a forged one. */
export interface ParsedEntry {
  action?: unknown;
  actor?: { clientId?: unknown; agencyId?: unknown; role?: unknown };
  at?: unknown;
  data?: Record<string, unknown>;
  entity?: { type?: unknown; id?: unknown };
  prev?: unknown;
  requestId?: unknown;
  seq?: unknown;
}

/** SHA-256(0x00 ‖ canonical) in hex, as entryHash, in one call where Node has crypto.hash (a third of the cost). */
const recomputeEntryHash: (canonical: string) => string =
  typeof crypto.hash === 'function'
    ? (canonical) => crypto.hash('sha256', `\u0000${canonical}`, 'hex')
    : (canonical) => entryHash(canonical).toString('hex');

/**
 * What is wrong with one row, as a sentence naming its seq, or null when the row holds: its place in the chain (after
 * the entry hash `expectedPrev`, hex), its entry hash, and every searchable column against the canonical text the
 * hash covers (the columns are what queries filter on, so a column moved behind the triggers would hide an event
 * from its agency or show it to another).
 */
export function checkEntry(row: StoredEntry, seq: number, expectedPrev: string): string | null {
  const problem = (what: string) => `seq ${seq}: ${what}`;
  if (row.prev_hash !== null && row.prev_hash !== expectedPrev)
    return problem(
      seq === 1
        ? 'prev_hash is not the zero hash'
        : `prev_hash does not match the entry hash of seq ${seq - 1}`,
    );
  if (recomputeEntryHash(row.canonical) !== row.entry_hash)
    return problem('entry_hash is not the SHA-256 of the canonical text');
  let entry: ParsedEntry;
  try {
    entry = JSON.parse(row.canonical) as ParsedEntry;
  } catch {
    return problem('the canonical text is not JSON');
  }
  if (entry === null || typeof entry !== 'object') return problem('the canonical text is not a JSON object');
  if (entry.seq !== seq) return problem('the canonical text names another seq');
  if (entry.prev !== expectedPrev)
    return problem(`the canonical text's prev is not the entry hash of seq ${seq - 1}`);
  const column = columnDiffering(row, entry);
  return column === null ? null : problem(`${column} column differs from the canonical text`);
}

/** The first column that differs from the text; the ids text is walked in place, it is read for every event. */
function columnDiffering(row: StoredEntry, entry: ParsedEntry): string | null {
  const ids = row.ids;
  // The app writes milliseconds (toISOString); the column keeps microseconds, which must then be zero.
  const at = entry.at;
  if (
    typeof at !== 'string' ||
    at.length !== 24 ||
    !ids.startsWith(at.slice(0, 23)) ||
    !ids.startsWith('000Z|', 23)
  )
    return 'occurred_at';
  let pos = 28;
  pos = idAt(ids, pos, entry.actor?.clientId);
  if (pos < 0) return 'actor_client_id';
  pos = idAt(ids, pos, entry.actor?.agencyId);
  if (pos < 0) return 'actor_agency_id';
  pos = idAt(ids, pos, entry.entity?.id);
  if (pos < 0) return 'entity_id';
  const party = impliedParty(entry);
  if (party !== undefined && idAt(ids, pos, party) !== ids.length + 1) return 'party_agency_id';
  if (row.actor_role !== entry.actor?.role) return 'actor_role';
  if (row.action !== entry.action) return 'action';
  if (row.entity_type !== entry.entity?.type) return 'entity_type';
  if (row.request_id !== entry.requestId) return 'request_id';
  return null;
}

/**
 * Where the next part of `ids` starts if the part at `pos` is the uuid `value` of the text (in its column's form:
 * lower-case, whatever case was hashed; empty for null), else -1.
 */
function idAt(ids: string, pos: number, value: unknown): number {
  const text = value === null ? '' : typeof value === 'string' ? value.toLowerCase() : undefined;
  if (text === undefined || !ids.startsWith(text, pos)) return -1;
  const end = pos + text.length;
  return end === ids.length || ids.charCodeAt(end) === PIPE ? end + 1 : -1;
}

const PIPE = 0x7c;

/**
 * The agency that may read the event (party_agency_id), where the canonical text alone says which it is: the column
 * is not hashed, so this is the only check it gets. Where the text does not say, it cannot be checked, and
 * undefined is returned:
 * - link.created: the link's marketplace's agency; the text names the marketplace, not its agency;
 * - link.withdrawn: the marketplace's agency when a batch is cancelled, the withdrawing ministry otherwise (and the
 *   marketplace's before that rule changed), so the form alone does not decide;
 * - marketplace.updated: the text holds only the changes;
 * - link.objection_decided: the marketplace's agency, but a ministry decides and the text does not name the agency;
 * - evidence_request.answered: the police agency that filed the request, which the answer does not repeat;
 * - any action not listed here.
 * The log is append-only, so a rule here must hold for every event ever written with that action: a service that
 * moves an action's party to another agency needs a new action name, or this table an older form beside the new.
 */
export function impliedParty(entry: ParsedEntry): unknown {
  const rule = typeof entry.action === 'string' ? PARTY_RULES.get(entry.action) : undefined;
  return rule === undefined ? undefined : rule(entry);
}

type PartyRule = (entry: ParsedEntry) => unknown;

const theEntity: PartyRule = (entry) => entry.entity?.id;
const theDataAgency: PartyRule = (entry) => entry.data?.agencyId;
const nobody: PartyRule = () => null;
const theActingAgency: PartyRule = (entry) => entry.actor?.agencyId;
// A marketplace acknowledges only its own links: the party is the acting agency.
const theReportingMarketplace: PartyRule = (entry) =>
  entry.actor?.role === 'marketplace' ? entry.actor.agencyId : undefined;

/** Keyed by the catalogue's actions, so a misspelt one does not compile; read by any string the log holds. */
const PARTY_RULE_TABLE: { readonly [A in AuditAction]?: PartyRule } = {
  'agency.created': theEntity,
  'agency.updated': theEntity,
  'agency.suspended': theEntity,
  'agency.reactivated': theEntity,
  'api_client.created': theDataAgency,
  'api_client.revoked': theDataAgency,
  'marketplace.created': theDataAgency,
  'keyword.added': nobody,
  'keyword.retired': nobody,
  'link_batch.created': nobody,
  'link_batch.cancelled': nobody,
  'evidence_request.filed': theActingAgency,
  'evidence_request.closed': theActingAgency,
  'evidence_request.exported': theActingAgency,
  'link.acknowledged': theReportingMarketplace,
  'link.taken_down': theReportingMarketplace,
  'link.not_found': theReportingMarketplace,
  'link.rejected': theReportingMarketplace,
  'link.objected': theReportingMarketplace,
  'takedown_report.filed': theReportingMarketplace,
  // A ministry may observe any link: then the text does not name the marketplace's agency.
  'link.observed': theReportingMarketplace,
  // Relisting groups are the ministry's and the association's to read, whoever's request formed them.
  'relisting_group.linked': nobody,
  'relisting_group.member_dismissed': nobody,
};

const PARTY_RULES = new Map<string, PartyRule>(Object.entries(PARTY_RULE_TABLE));
