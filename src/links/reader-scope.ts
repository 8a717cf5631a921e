import type { Actor } from '../auth/actor';
import { raw, sql, Sql } from '../database/sql';
import type { MarketplaceDirectory } from '../marketplaces/marketplace-directory';
import type { LinkScope } from './links.repository';

/** A ministry's view of cases: the links it notified, first or as a co-notifier, and those marketplaces reported. */
export interface NotifierScope {
  notifier: string;
}

/**
 * Which links a caller reads and acts on: a marketplace its own marketplaces' (the ids), a ministry what it notified,
 * the association, the police and the operator every link (null).
 */
export type ReaderScope = LinkScope | NotifierScope;

export async function readerScopeOf(actor: Actor, directory: MarketplaceDirectory): Promise<ReaderScope> {
  if (actor.role === 'marketplace') return directory.ownedBy(actor);
  if (actor.role === 'ministry') return { notifier: actor.agencyId as string };
  return null;
}

/** The marketplaces a scope is limited to, or null when it sees every marketplace's links. */
export function marketplacesIn(scope: ReaderScope): LinkScope {
  return Array.isArray(scope) ? scope : null;
}

/** The links under `alias` that the scope may see; nothing to add for a caller who sees them all. */
export function linkVisibleTo(scope: ReaderScope, alias = 'l'): Sql | false {
  if (scope === null) return false;
  const l = raw(alias);
  if (Array.isArray(scope)) return ofMarketplaces(scope, l);
  return sql`(${l}.source = 'marketplace'
    OR EXISTS (SELECT 1 FROM link_batches vb WHERE vb.id = ${l}.batch_id AND vb.submitted_by_agency_id = ${scope.notifier})
    OR EXISTS (SELECT 1 FROM link_notifiers vn WHERE vn.link_id = ${l}.id AND vn.agency_id = ${scope.notifier}))`;
}

/**
 * The links under `alias` of a batch: those it opened and those it co-notified (an ARRAY, so both sides of the OR are
 * index scans).
 */
export function linksOfBatch(batch: Sql, alias = 'l'): Sql {
  const l = raw(alias);
  return sql`(${l}.batch_id = ${batch}
    OR ${l}.id = ANY(ARRAY(SELECT n.link_id FROM link_notifiers n WHERE n.batch_id = ${batch})))`;
}

/**
 * `marketplace_id` among `ids`. One marketplace (nearly every marketplace agency runs one) is written as an equality:
 * PostgreSQL 15 reads `= ANY` of a one-element array as a filter, so a page of a marketplace's links in id order walked
 * the primary key through every marketplace's links, where the equality walks (marketplace_id, status, id) in order.
 */
function ofMarketplaces(ids: string[], l: Sql): Sql {
  return ids.length === 1
    ? sql`${l}.marketplace_id = ${ids[0]}::uuid`
    : sql`${l}.marketplace_id = ANY(${ids}::uuid[])`;
}
