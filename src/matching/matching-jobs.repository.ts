import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { sql } from '../database/sql';
import type { ListingEvidence } from '../links/link.entity';

/** Listings to match (they arrived with a request) and to keep (their links are taken down with evidence). */
export interface MatchingWork {
  arrived: string[];
  takenDown: string[];
}

export interface MatchingJob extends MatchingWork {
  id: string;
  attempts: number;
}

/** A link as matching reads it when its job runs. */
export interface ListingRow {
  id: string;
  marketplace_id: string;
  status: string;
  listing: ListingEvidence | null;
  resolved_at: Date | null;
}

/** Only one worker of all the instances runs at a time: each job sees every earlier job's fingerprints. */
const WORKER_LOCK = 0x6d61746368; // "match"

@Injectable()
export class MatchingJobsRepository {
  async enqueue(m: EntityManager, work: MatchingWork, at: Date): Promise<void> {
    await m.query(
      ...sql`INSERT INTO matching_jobs (arrived, taken_down, enqueued_at, not_before)
             VALUES (${work.arrived}::uuid[], ${work.takenDown}::uuid[], ${at}, ${at})`,
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
    const [row] = await m.query<MatchingJob[]>(
      ...sql`SELECT id::text AS id, arrived, taken_down AS "takenDown", attempts FROM matching_jobs
              WHERE not_before <= ${now} ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED`,
    );
    return row ?? null;
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

  /** Whether a job not yet done names the link (the queue is short: jobs are deleted when done). */
  async pendingFor(m: EntityManager, linkId: string): Promise<boolean> {
    const [{ pending }] = await m.query<{ pending: boolean }[]>(
      ...sql`SELECT EXISTS (SELECT 1 FROM matching_jobs
                             WHERE ${linkId}::uuid = ANY(arrived) OR ${linkId}::uuid = ANY(taken_down)) AS pending`,
    );
    return pending;
  }

  /** The links' listings as they stand now. */
  listings(m: EntityManager, ids: string[]): Promise<ListingRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return m.query<ListingRow[]>(
      ...sql`SELECT id, marketplace_id, status, listing, resolved_at FROM links WHERE id = ANY(${ids}::uuid[])`,
    );
  }
}
