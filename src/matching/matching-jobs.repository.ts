import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { sql } from '../database/sql';
import type { ListingEvidence } from '../links/link.entity';

/**
 * What a request leaves matching to do, each link named once: `arrived`, links whose listing evidence came with the
 * request (matched, and their fingerprints kept when they are taken down by the time the job runs); `kept`, links
 * taken down with evidence that arrived earlier (their fingerprints kept, not matched again).
 */
export interface MatchingWork {
  arrived: string[];
  kept: string[];
  /**
   * Observations (their ids) that came with listing evidence: its title is counted against the watchlist, and when the
   * observation saw a taken-down link online, the evidence is matched.
   */
  observed?: string[];
  /** Links whose listing titles are only counted against the watchlist (a batch's links). */
  titled?: string[];
}

export interface MatchingJob extends MatchingWork {
  observed: string[];
  titled: string[];
  /** When the request that queued it committed its work: the time its titles reached the exchange. */
  enqueuedAt: Date;
  id: string;
  attempts: number;
}

/** A link as matching reads it when its job runs. */
export interface ListingRow {
  id: string;
  source: 'ministry' | 'marketplace';
  marketplace_id: string;
  status: string;
  listing: ListingEvidence | null;
  resolved_at: Date | null;
}

export interface ObservedListingRow {
  id: string;
  link_id: string;
  marketplace_id: string;
  listing: ListingEvidence;
  /** Seen online on a taken-down link: a reappearance, whose listing is matched. */
  reappearance: boolean;
}

/** How many links and observations the work names. */
export function workSize(work: MatchingWork): number {
  return work.arrived.length + work.kept.length + (work.observed?.length ?? 0) + (work.titled?.length ?? 0);
}

/** Only one worker of all the instances runs at a time: each job sees every earlier job's fingerprints. */
const WORKER_LOCK = 0x6d61746368; // "match"

/** Ids packed as the job stores them: 16 bytes each, end to end, as bytea's hex input. */
export function packIds(ids: readonly string[]): string {
  let hex = '\\x';
  for (const id of ids) hex += id.replace(/-/g, '');
  return hex;
}

/** The ids of a packed column, in the order they were packed. */
export function unpackIds(packed: Buffer): string[] {
  const hex = packed.toString('hex');
  const ids: string[] = [];
  for (let i = 0; i < hex.length; i += 32) {
    ids.push(
      `${hex.slice(i, i + 8)}-${hex.slice(i + 8, i + 12)}-${hex.slice(i + 12, i + 16)}-${hex.slice(i + 16, i + 20)}-${hex.slice(i + 20, i + 32)}`,
    );
  }
  return ids;
}

@Injectable()
export class MatchingJobsRepository {
  async enqueue(m: EntityManager, work: MatchingWork, at: Date): Promise<void> {
    await m.query(
      ...sql`INSERT INTO matching_jobs (arrived, kept, observed, titled, enqueued_at, not_before)
             VALUES (${packIds(work.arrived)}::bytea, ${packIds(work.kept)}::bytea, ${packIds(work.observed ?? [])}::bytea,
                     ${packIds(work.titled ?? [])}::bytea, ${at}, ${at})`,
    );
  }

  /** Whether this transaction is now the one worker; false at once when another holds the lock. */
  async becomeWorker(m: EntityManager): Promise<boolean> {
    const [{ locked }] = await m.query<{ locked: boolean }[]>(
      ...sql`SELECT pg_try_advisory_xact_lock(${WORKER_LOCK}) AS locked`,
    );
    return locked;
  }

  /** The oldest job due at `now`, locked until the caller's transaction ends. */
  async next(m: EntityManager, now: Date): Promise<MatchingJob | null> {
    const [row] = await m.query<
      {
        id: string;
        arrived: Buffer;
        kept: Buffer;
        observed: Buffer;
        titled: Buffer;
        enqueued_at: Date;
        attempts: number;
      }[]
    >(
      ...sql`SELECT id::text AS id, arrived, kept, observed, titled, enqueued_at, attempts FROM matching_jobs
              WHERE not_before <= ${now} ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED`,
    );
    return row
      ? {
          id: row.id,
          attempts: row.attempts,
          enqueuedAt: row.enqueued_at,
          arrived: unpackIds(row.arrived),
          kept: unpackIds(row.kept),
          observed: unpackIds(row.observed),
          titled: unpackIds(row.titled),
        }
      : null;
  }

  async complete(m: EntityManager, id: string): Promise<void> {
    await m.query(...sql`DELETE FROM matching_jobs WHERE id = ${id}::int8`);
  }

  /** Counts a failed attempt and leaves the job alone until `notBefore`. */
  async postpone(m: EntityManager, id: string, error: string, notBefore: Date): Promise<void> {
    await m.query(
      ...sql`UPDATE matching_jobs SET attempts = attempts + 1, last_error = ${error.slice(0, 2000)},
                    not_before = ${notBefore}
              WHERE id = ${id}::int8`,
    );
  }

  /**
   * Whether a job not yet done names the link (the queue is short: jobs are deleted when done). position() finds the
   * id's bytes; only a 16-byte-aligned occurrence is the id itself.
   */
  async pendingFor(m: EntityManager, linkId: string): Promise<boolean> {
    const id = packIds([linkId]);
    const [{ pending }] = await m.query<{ pending: boolean }[]>(
      ...sql`SELECT EXISTS (
               SELECT 1 FROM matching_jobs j CROSS JOIN LATERAL (SELECT j.arrived || j.kept AS ids) x
                WHERE position(${id}::bytea IN x.ids) > 0
                  AND EXISTS (SELECT 1 FROM generate_series(0, length(x.ids) / 16 - 1) AS i
                               WHERE substring(x.ids FROM i * 16 + 1 FOR 16) = ${id}::bytea)) AS pending`,
    );
    return pending;
  }

  /** The listings the observations saw, each with its link. */
  observedListings(m: EntityManager, ids: string[]): Promise<ObservedListingRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return m.query<ObservedListingRow[]>(
      ...sql`SELECT o.id, o.link_id, l.marketplace_id, o.listing,
                    (o.result = 'online' AND l.status = 'taken_down') AS reappearance
               FROM observations o JOIN links l ON l.id = o.link_id
              WHERE o.id = ANY(${ids}::uuid[]) AND o.listing IS NOT NULL ORDER BY o.observed_at, o.id`,
    );
  }

  /** The links' listings as they stand now. */
  listings(m: EntityManager, ids: string[]): Promise<ListingRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return m.query<ListingRow[]>(
      ...sql`SELECT id, source, marketplace_id, status, listing, resolved_at FROM links WHERE id = ANY(${ids}::uuid[])`,
    );
  }
}
