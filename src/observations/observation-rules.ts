import { randomUUID } from 'node:crypto';
import { AuditRecord, linkObserved } from '../audit/audit-events';
import type { LastObservation, LinkStatus } from '../links/link.entity';
import type { ObservationItem } from './observation-items';

/** A link as locked for observation: what judging reads and what an accepted observation changes. */
export interface ObservedLink {
  id: string;
  marketplace_id: string;
  /** The agency that runs the link's marketplace: the party of the link's events. */
  agency_id: string;
  status: LinkStatus;
  created_at: Date;
  /** A reported takedown is resolved before the exchange hears of it (created). */
  resolved_at: Date | null;
  reappeared: boolean;
  last_observed_at: Date | null;
  last_observation: LastObservation | null;
}

/** An accepted observation, as written. */
export interface NewObservation {
  id: string;
  linkId: string;
  observedAt: Date;
  result: ObservationItem['result'];
  finalUrl: string | null;
  listing: ObservationItem['listing'];
  /** A taken-down link seen online with listing evidence: that evidence is matched (the worker decides it again). */
  matched: boolean;
}

export interface ObservationResultItem {
  index: number;
  linkId: string;
  ok: boolean;
  observationId?: string;
  reappeared?: boolean;
  error?: string;
}

export interface ObservationJudgement {
  results: ObservationResultItem[];
  observations: NewObservation[];
  /** The links the observations changed, as they end. */
  changed: ObservedLink[];
  events: AuditRecord[];
}

/** One observer's look at a link at an instant, to refuse the same look twice. */
export const lookKey = (linkId: string, observedAt: Date) => `${linkId} ${observedAt.toISOString()}`;

/**
 * Judges a request's items in order against the locked links (absent: not the caller's to observe) and the looks the
 * observer already reported; each accepted look moves its link as afterLook says.
 */
export function judgeObservations(
  items: (ObservationItem | string)[],
  links: Map<string, ObservedLink>,
  known: Set<string>,
): ObservationJudgement {
  const seen = new Set(known);
  const changed = new Map<string, ObservedLink>();
  const out: ObservationJudgement = { results: [], observations: [], changed: [], events: [] };
  items.forEach((item, index) => {
    if (typeof item === 'string') {
      out.results.push({ index, linkId: '', ok: false, error: item });
      return;
    }
    const refuse = (error: string) => out.results.push({ index, linkId: item.linkId, ok: false, error });
    const link = changed.get(item.linkId) ?? links.get(item.linkId);
    if (!link) return refuse('not_found');
    const since = Math.min(link.created_at.getTime(), link.resolved_at?.getTime() ?? Infinity);
    if (item.observedAt.getTime() < since)
      return refuse('observedAt must not be before the link was created (or a reported takedown made)');
    const key = lookKey(item.linkId, item.observedAt);
    if (seen.has(key)) return refuse('already_observed');
    seen.add(key);
    const id = randomUUID();
    const after = afterLook(link, item, id);
    if (after) changed.set(link.id, after);
    const reappeared = (after ?? link).reappeared;
    out.observations.push({
      id,
      linkId: link.id,
      observedAt: item.observedAt,
      result: item.result,
      finalUrl: item.finalUrl,
      listing: item.listing,
      matched: item.result === 'online' && link.status === 'taken_down' && item.listing !== null,
    });
    out.events.push(
      linkObserved(link.id, link.agency_id, {
        observationId: id,
        observedAt: item.observedAt,
        result: item.result,
        finalUrl: item.finalUrl,
        listing: item.listing,
        reappeared,
      }),
    );
    out.results.push({ index, linkId: link.id, ok: true, observationId: id, reappeared });
  });
  out.changed = [...changed.values()];
  return out;
}

/**
 * The link after a look, when the look is its latest (by observedAt; an older look moves nothing): online on a
 * taken-down link raises `reappeared`, offline or not_found lowers it, redirected leaves it.
 */
function afterLook(link: ObservedLink, item: ObservationItem, id: string): ObservedLink | null {
  if (link.last_observed_at && item.observedAt.getTime() < link.last_observed_at.getTime()) return null;
  let reappeared = link.reappeared;
  if (item.result === 'online' && link.status === 'taken_down') reappeared = true;
  else if (item.result === 'offline' || item.result === 'not_found') reappeared = false;
  return {
    ...link,
    reappeared,
    last_observed_at: item.observedAt,
    last_observation: {
      id,
      observedAt: item.observedAt.toISOString(),
      result: item.result,
      ...(item.finalUrl ? { finalUrl: item.finalUrl } : {}),
    },
  };
}
