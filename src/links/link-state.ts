import { raw, Sql } from '../database/sql';
import type { LinkStatus } from './link.entity';

/** Who may move a link from which status to which. Repeating the current status is not a transition. */
const TRANSITIONS: Record<LinkStatus, { marketplace: LinkStatus[]; ministry: LinkStatus[] }> = {
  pending: { marketplace: ['acknowledged', 'taken_down', 'not_found', 'rejected'], ministry: ['withdrawn'] },
  acknowledged: { marketplace: ['taken_down', 'not_found', 'rejected'], ministry: ['withdrawn'] },
  taken_down: { marketplace: [], ministry: [] },
  not_found: { marketplace: [], ministry: [] },
  rejected: { marketplace: [], ministry: [] },
  withdrawn: { marketplace: [], ministry: [] },
  // Reached only by an upheld objection to a taken-down link (objections.service), never by a transition here.
  reinstated: { marketplace: [], ministry: [] },
};

/** A link in one of these still waits for its marketplace; every other status is final. */
export const OPEN_LINK_STATUSES: readonly LinkStatus[] = ['pending', 'acknowledged'];

export function canTransition(from: LinkStatus, to: LinkStatus, by: 'marketplace' | 'ministry'): boolean {
  return TRANSITIONS[from][by].includes(to);
}

export function isFinal(status: LinkStatus): boolean {
  return !OPEN_LINK_STATUSES.includes(status);
}

/**
 * `status IN ('pending', 'acknowledged')` for the given column. Written out, not a parameter: the partial unique index
 * on open links has this predicate, and PostgreSQL uses it for ON CONFLICT and scans only when the text implies it.
 */
export function openStatusPredicate(column = 'status'): string {
  return `${column} IN (${OPEN_LINK_STATUSES.map((s) => `'${s}'`).join(', ')})`;
}

/** The link under `alias` is open. */
export function linkIsOpen(alias = 'l'): Sql {
  return raw(openStatusPredicate(`${alias}.status`));
}

/** The link under `alias` is open past its due time, and its clock runs (no objection to it waits for a decision). */
export function linkIsOverdue(alias = 'l'): Sql {
  return raw(overdueText(alias));
}

export function overdueText(alias: string): string {
  return `(${openStatusPredicate(`${alias}.status`)} AND ${alias}.due_at < now() AND ${alias}.clock_paused_at IS NULL)`;
}
