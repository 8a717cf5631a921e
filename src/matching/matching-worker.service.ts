import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { SYSTEM_ACTOR } from '../auth/actor';
import { AuditWriter } from '../audit/audit.writer';
import { APP_CONFIG, AppConfig } from '../config/config';
import { TransactionService } from '../database/transaction.service';
import { ArrivalMatching, ArrivedListing, TakenDownListing } from './arrival-matching.service';
import { HitSource } from '../keywords/keyword-hit.entity';
import { Sighting, WatchlistRepository } from '../keywords/watchlist.repository';
import {
  ListingRow,
  MatchingJob,
  MatchingJobsRepository,
  MatchingWork,
  workSize,
} from './matching-jobs.repository';

type Step = 'done' | 'idle' | 'busy';

/** A failed job waits 1 s, then 2, 4, … up to 5 minutes before its next attempt; it is never dropped. */
export function retryDelayMs(attempts: number): number {
  return Math.min(1000 * 2 ** attempts, 300_000);
}

/**
 * Matching on arrival, after the request's commit: works through matching_jobs oldest first, one job a transaction,
 * and in that transaction matches the job's listings, writes their signals, groups and fingerprints with the audit
 * events, and deletes the job. One worker of all the instances runs at a time (a transaction-level advisory lock), so
 * every job is matched against the fingerprints of every job before it. This instance's worker is started after each
 * commit that enqueued a job and every MATCHING_POLL_MS (for other instances' jobs and retries).
 */
@Injectable()
export class MatchingWorker implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('MatchingWorker');
  private running: Promise<void> | null = null;
  private again = false;
  private closing = false;
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tx: TransactionService,
    private readonly jobs: MatchingJobsRepository,
    private readonly matching: ArrivalMatching,
    private readonly audit: AuditWriter,
    private readonly watchlist: WatchlistRepository,
  ) {}

  onModuleInit(): void {
    if (this.config.matchingPollMs === 0) return;
    this.timer = setInterval(() => this.kick(), this.config.matchingPollMs);
    this.timer.unref();
  }

  /** A job under way finishes (or rolls back) while the database is still open; none is started after. */
  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /**
   * Queues the matching of listings that arrived in the caller's transaction (nothing when there is none). The caller
   * kick()s after its commit, so the job is picked up at once rather than at the next poll.
   */
  async enqueue(m: EntityManager, work: MatchingWork, at: Date): Promise<void> {
    if (workSize(work) > 0) await this.jobs.enqueue(m, work, at);
  }

  /** Whether matching has yet to do a job that names the link. */
  pendingFor(linkId: string): Promise<boolean> {
    return this.jobs.pendingFor(this.tx.dataSource.manager, linkId);
  }

  /** Works through the due jobs, unless this process already is (then it goes round once more when done). */
  kick(): void {
    if (this.closing) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.work()
      .catch((error: unknown) => this.logger.warn({ err: String(error) }, 'matching jobs failed'))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Returns once no job is due, waiting for another instance's worker if need be (tests wait for matching with it). */
  async drain(): Promise<void> {
    for (;;) {
      await this.running;
      const step = await this.step();
      if (step === 'idle') return;
      if (step === 'busy') await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  private async work(): Promise<void> {
    while (!this.closing && (await this.step()) === 'done');
  }

  /** One job in one transaction; a job that fails is postponed (its attempt counted) and the next one goes on. */
  private async step(): Promise<Step> {
    const claimed: { job: MatchingJob | null } = { job: null };
    try {
      return await this.tx.detached(async (m): Promise<Step> => {
        if (!(await this.jobs.becomeWorker(m))) return 'busy';
        const now = new Date();
        const job = (claimed.job = await this.jobs.next(m, now));
        if (!job) return 'idle';
        await this.match(m, job, now);
        await this.jobs.complete(m, job.id);
        return 'done';
      });
    } catch (error) {
      const job = claimed.job;
      if (!job) throw error;
      this.logger.warn(
        { err: String(error), job: job.id, attempts: job.attempts + 1 },
        'matching job failed',
      );
      const notBefore = new Date(Date.now() + retryDelayMs(job.attempts));
      await this.tx.detached((m) => this.jobs.postpone(m, job.id, String(error), notBefore));
      return 'done';
    }
  }

  /**
   * The job's links as they stand now: a listing that changed again since is matched as it is now, and every link of
   * the job that is taken down by now has its fingerprint kept.
   */
  private async match(m: EntityManager, job: MatchingJob, now: Date): Promise<void> {
    // One row per link: the job names each link once, and the look-up is by id.
    const rows = await this.jobs.listings(m, [...job.arrived, ...job.kept, ...job.titled]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const arrived = job.arrived.flatMap((id) => listingOf(byId.get(id)));
    const takenDown = rows.flatMap((row): TakenDownListing[] => {
      if (row.status !== 'taken_down') return [];
      return listingOf(row).map((l) => ({ ...l, takenDownAt: row.resolved_at ?? now }));
    });
    const seen = await this.jobs.observedListings(m, job.observed);
    const observed = seen
      .filter((o) => o.reappearance)
      .map((o): ArrivedListing => ({
        linkId: o.link_id,
        marketplaceId: o.marketplace_id,
        listing: o.listing,
      }));
    const events = await this.matching.arrive(m, { arrived, takenDown, observed }, now);
    // Every title the job's request brought counts against the watchlist, at the time the request was made.
    const sighting = (linkId: string, marketplaceId: string, title: string | undefined, source: HitSource) =>
      title ? [{ title, marketplaceId, linkId, source, seenAt: job.enqueuedAt }] : [];
    const sightings: Sighting[] = [
      ...arrived.flatMap((a) =>
        sighting(
          a.linkId,
          a.marketplaceId,
          a.listing.title,
          byId.get(a.linkId)?.source === 'marketplace' ? 'takedown_report' : 'acknowledgement',
        ),
      ),
      ...job.titled
        .flatMap((id) => listingOf(byId.get(id)))
        .flatMap((t) => sighting(t.linkId, t.marketplaceId, t.listing.title, 'batch')),
      ...seen.flatMap((o) => sighting(o.link_id, o.marketplace_id, o.listing.title, 'observation')),
    ];
    await this.watchlist.recordHits(m, sightings);
    if (events.length > 0) await this.audit.append(m, SYSTEM_ACTOR, events, now);
  }
}

function listingOf(row: ListingRow | undefined): ArrivedListing[] {
  return row?.listing ? [{ linkId: row.id, marketplaceId: row.marketplace_id, listing: row.listing }] : [];
}
