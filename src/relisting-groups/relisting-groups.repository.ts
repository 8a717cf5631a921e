import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { raw, sql, where } from '../database/sql';
import type { LinkStatus } from '../links/link.entity';
import type { LinkScope } from '../links/links.repository';
import type { RelistingSignalKind } from './relisting.entity';

/** What matching found for a link, as stored. */
export interface SignalRow {
  linkId: string;
  matchedLinkId: string | null;
  signal: RelistingSignalKind;
  algorithm: 'phash' | 'pdq' | null;
  distance: number | null;
  similarity: number | null;
  term: string | null;
}

/** A stored signal with what visibility needs of the matched link. */
export interface StoredSignal {
  link_id: string;
  matched_link_id: string | null;
  matched_marketplace_id: string | null;
  batch_reference: string | null;
  signal: RelistingSignalKind;
  algorithm: 'phash' | 'pdq' | null;
  distance: number | null;
  similarity: number | null;
  term: string | null;
}

export interface GroupRow {
  id: string;
  created_at: Date;
  updated_at: Date;
}

export interface MemberRow {
  group_id: string;
  link_id: string;
  marketplace_id: string;
  seller_ref: string | null;
  status: LinkStatus;
  created_at: Date;
  batch_reference: string | null;
}

/** One lock for every change to groups: merges of concurrent arrivals never cross, and it is taken just before the audit head's. */
const GROUPS_LOCK = 0x72656c69; // "reli"

/** Groups the scope may see: those with at least one of its marketplaces' links. */
function groupVisibleTo(scope: LinkScope) {
  return (
    scope !== null &&
    sql`EXISTS (SELECT 1 FROM relisting_group_members vm JOIN links vl ON vl.id = vm.link_id
                 WHERE vm.group_id = g.id AND vl.marketplace_id = ANY(${scope}::uuid[]))`
  );
}

@Injectable()
export class RelistingGroupsRepository {
  /** Replaces what matching found for these links with `rows`. */
  async replaceSignals(m: EntityManager, linkIds: string[], rows: SignalRow[], at: Date): Promise<void> {
    await m.query(...sql`DELETE FROM relisting_signals WHERE link_id = ANY(${linkIds}::uuid[])`);
    if (rows.length === 0) return;
    await m.query(
      ...sql`INSERT INTO relisting_signals (link_id, matched_link_id, signal, algorithm, distance, similarity, term, found_at)
             SELECT u.*, ${at}::timestamptz FROM unnest(${rows.map((r) => r.linkId)}::uuid[],
                    ${rows.map((r) => r.matchedLinkId)}::uuid[], ${rows.map((r) => r.signal)}::text[],
                    ${rows.map((r) => r.algorithm)}::text[], ${rows.map((r) => r.distance)}::int2[],
                    ${rows.map((r) => r.similarity)}::real[], ${rows.map((r) => r.term)}::text[])
               AS u(link_id, matched_link_id, signal, algorithm, distance, similarity, term)`,
    );
  }

  /** Adds signals, leaving out any the link already has (the same link, signal and term). */
  async addSignals(m: EntityManager, rows: SignalRow[], at: Date): Promise<void> {
    if (rows.length === 0) return;
    await m.query(
      ...sql`INSERT INTO relisting_signals (link_id, matched_link_id, signal, algorithm, distance, similarity, term, found_at)
             SELECT DISTINCT ON (u.link_id, u.matched_link_id, u.signal, u.term) u.*, ${at}::timestamptz
               FROM unnest(${rows.map((r) => r.linkId)}::uuid[],
                    ${rows.map((r) => r.matchedLinkId)}::uuid[], ${rows.map((r) => r.signal)}::text[],
                    ${rows.map((r) => r.algorithm)}::text[], ${rows.map((r) => r.distance)}::int2[],
                    ${rows.map((r) => r.similarity)}::real[], ${rows.map((r) => r.term)}::text[])
                 AS u(link_id, matched_link_id, signal, algorithm, distance, similarity, term)
              WHERE NOT EXISTS (SELECT 1 FROM relisting_signals s
                                 WHERE s.link_id = u.link_id AND s.signal = u.signal
                                   AND s.matched_link_id IS NOT DISTINCT FROM u.matched_link_id
                                   AND s.term IS NOT DISTINCT FROM u.term)`,
    );
  }

  /** The signals of these links, with the matched link's marketplace and batch reference. */
  signalsOf(m: EntityManager, linkIds: string[]): Promise<StoredSignal[]> {
    if (linkIds.length === 0) return Promise.resolve([]);
    return m.query<StoredSignal[]>(
      ...sql`SELECT s.link_id, s.matched_link_id, ml.marketplace_id AS matched_marketplace_id, b.reference AS batch_reference,
                    s.signal, s.algorithm, s.distance, s.similarity, s.term
               FROM relisting_signals s
               LEFT JOIN links ml ON ml.id = s.matched_link_id
               LEFT JOIN link_batches b ON b.id = ml.batch_id
              WHERE s.link_id = ANY(${linkIds}::uuid[])
              ORDER BY s.link_id, s.signal, s.distance NULLS LAST, s.similarity DESC NULLS LAST, s.id`,
    );
  }

  /** Pairs among `pairs` the ministry dismissed, as "a b" with a < b. */
  async dismissed(m: EntityManager, pairs: [string, string][]): Promise<Set<string>> {
    if (pairs.length === 0) return new Set();
    const ordered = pairs.map(([a, b]) => (a < b ? [a, b] : [b, a]));
    const rows = await m.query<{ link_id: string; other_link_id: string }[]>(
      ...sql`SELECT d.link_id, d.other_link_id FROM relisting_dismissals d
               JOIN unnest(${ordered.map((p) => p[0])}::uuid[], ${ordered.map((p) => p[1])}::uuid[]) AS u(a, b)
                 ON d.link_id = u.a AND d.other_link_id = u.b`,
    );
    return new Set(rows.map((r) => `${r.link_id} ${r.other_link_id}`));
  }

  async lockGroups(m: EntityManager): Promise<void> {
    await m.query(...sql`SELECT pg_advisory_xact_lock(${GROUPS_LOCK})`);
  }

  /** The groups these links are in, oldest first. */
  membership(
    m: EntityManager,
    linkIds: string[],
  ): Promise<{ link_id: string; group_id: string; created_at: Date }[]> {
    return m.query(
      ...sql`SELECT gm.link_id, gm.group_id, g.created_at FROM relisting_group_members gm
               JOIN relisting_groups g ON g.id = gm.group_id
              WHERE gm.link_id = ANY(${linkIds}::uuid[]) ORDER BY g.created_at, g.id`,
    );
  }

  async createGroup(m: EntityManager, id: string, at: Date): Promise<void> {
    await m.query(
      ...sql`INSERT INTO relisting_groups (id, created_at, updated_at) VALUES (${id}, ${at}, ${at})`,
    );
  }

  /** Moves every member of `from` into `into` and removes the emptied groups. */
  async merge(m: EntityManager, from: string[], into: string): Promise<void> {
    if (from.length === 0) return;
    await m.query(
      ...sql`UPDATE relisting_group_members SET group_id = ${into} WHERE group_id = ANY(${from}::uuid[])`,
    );
    await m.query(...sql`DELETE FROM relisting_groups WHERE id = ANY(${from}::uuid[])`);
  }

  async addMembers(m: EntityManager, group: string, linkIds: string[], at: Date): Promise<void> {
    if (linkIds.length === 0) return;
    await m.query(
      ...sql`INSERT INTO relisting_group_members (link_id, group_id, added_at)
             SELECT u, ${group}::uuid, ${at}::timestamptz FROM unnest(${linkIds}::uuid[]) AS u`,
    );
  }

  async touch(m: EntityManager, group: string, at: Date): Promise<void> {
    await m.query(...sql`UPDATE relisting_groups SET updated_at = ${at} WHERE id = ${group}`);
  }

  /** A page of the groups the scope sees, most recently changed first; limit + 1 rows. */
  list(
    m: EntityManager,
    scope: LinkScope,
    filter: { marketplaceId?: string },
    page: { limit: number; after: string[] | null },
  ): Promise<GroupRow[]> {
    return m.query<GroupRow[]>(
      ...sql`SELECT g.id, g.created_at, g.updated_at FROM relisting_groups g
        ${where([
          groupVisibleTo(scope),
          !!filter.marketplaceId &&
            sql`EXISTS (SELECT 1 FROM relisting_group_members fm JOIN links fl ON fl.id = fm.link_id
                         WHERE fm.group_id = g.id AND fl.marketplace_id = ${filter.marketplaceId})`,
          !!page.after &&
            sql`(g.updated_at, g.id) < (${page.after?.[0]}::timestamptz, ${page.after?.[1]}::uuid)`,
        ])}
        ORDER BY g.updated_at DESC, g.id DESC LIMIT ${page.limit + 1}`,
    );
  }

  async find(m: EntityManager, scope: LinkScope, id: string, lock = false): Promise<GroupRow | undefined> {
    const [row] = await m.query<GroupRow[]>(
      ...sql`SELECT g.id, g.created_at, g.updated_at FROM relisting_groups g
        ${where([sql`g.id = ${id}`, groupVisibleTo(scope)])} ${raw(lock ? 'FOR UPDATE' : '')}`,
    );
    return row;
  }

  /** The members of these groups, first seen first. */
  members(m: EntityManager, groupIds: string[]): Promise<MemberRow[]> {
    if (groupIds.length === 0) return Promise.resolve([]);
    return m.query<MemberRow[]>(
      ...sql`SELECT gm.group_id, l.id AS link_id, l.marketplace_id, l.seller_ref, l.status, l.created_at,
                    b.reference AS batch_reference
               FROM relisting_group_members gm JOIN links l ON l.id = gm.link_id
               LEFT JOIN link_batches b ON b.id = l.batch_id
              WHERE gm.group_id = ANY(${groupIds}::uuid[]) ORDER BY l.created_at, l.id`,
    );
  }

  /**
   * Takes `linkId` out of its group and records it as not a relisting of each of `others`, in both directions: the
   * pairs' signals go, and matching never ties them again.
   */
  async dismiss(
    m: EntityManager,
    linkId: string,
    others: string[],
    agencyId: string | null,
    at: Date,
  ): Promise<void> {
    await m.query(...sql`DELETE FROM relisting_group_members WHERE link_id = ${linkId}`);
    if (others.length === 0) return;
    const pairs = others.map((o) => (linkId < o ? [linkId, o] : [o, linkId]));
    await m.query(
      ...sql`INSERT INTO relisting_dismissals (link_id, other_link_id, dismissed_at, dismissed_by_agency_id)
             SELECT u.a, u.b, ${at}::timestamptz, ${agencyId}::uuid
               FROM unnest(${pairs.map((p) => p[0])}::uuid[], ${pairs.map((p) => p[1])}::uuid[]) AS u(a, b)
             ON CONFLICT DO NOTHING`,
    );
    await m.query(
      ...sql`DELETE FROM relisting_signals WHERE (link_id = ${linkId} AND matched_link_id = ANY(${others}::uuid[]))
                OR (matched_link_id = ${linkId} AND link_id = ANY(${others}::uuid[]))`,
    );
  }

  /** Removes a group left with fewer than two members. */
  async dissolve(m: EntityManager, group: string): Promise<void> {
    await m.query(...sql`DELETE FROM relisting_group_members WHERE group_id = ${group}`);
    await m.query(...sql`DELETE FROM relisting_groups WHERE id = ${group}`);
  }
}
