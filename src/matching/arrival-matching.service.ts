import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { AuditRecord } from '../audit/audit-vocabulary';
import { RequestActivity } from '../common/request-activity';
import { APP_CONFIG, AppConfig } from '../config/config';
import type { ListingEvidence } from '../links/link.entity';
import type { SignalRow } from '../relisting-groups/relisting-groups.repository';
import { RelistingGroupsRepository } from '../relisting-groups/relisting-groups.repository';
import { RelistingGroupsService, Tie } from '../relisting-groups/relisting-groups.service';
import { WatchlistRepository } from '../keywords/watchlist.repository';
import { FingerprintsRepository } from './fingerprints.repository';
import { Match, MatchingEngine, MatchQuery } from './matching-engine';
import { normaliseSellerName, normaliseTitle } from './title-normalisation';

/** A link's listing evidence as it arrives (an acknowledgement, a takedown report). */
export interface ArrivedListing {
  linkId: string;
  marketplaceId: string;
  listing: ListingEvidence;
}

/** A link taken down with listing evidence (now or earlier): what is kept to recognise the listing later. */
export interface TakenDownListing extends ArrivedListing {
  takenDownAt: Date;
}

export function matchQueryOf(a: ArrivedListing): MatchQuery {
  const l = a.listing;
  return {
    title: l.title,
    imageHashes: l.imageHashes,
    sellerRef: l.sellerRef,
    sellerName: l.sellerName,
    marketplaceId: a.marketplaceId,
  };
}

/** A link's signals point at no more than this many other links: the closest, image first, then title, then seller. */
export const SIGNALLED_LINKS = 10;

/** The matches against the SIGNALLED_LINKS links matched first (the engine orders each signal closest first). */
function strongest(matches: Match[]): Match[] {
  const links = new Set<string>();
  for (const x of matches) if (x.linkId && links.size < SIGNALLED_LINKS) links.add(x.linkId);
  return matches.filter((x) => !x.linkId || links.has(x.linkId));
}

/**
 * Matching on arrival, inside the matching worker's transaction (MatchingWorker): every arrived listing is matched
 * against the taken-down listings committed before it (its signals replace any earlier ones, and the links it
 * resembles join one group with it), and every taken-down listing's fingerprint is kept. Pairs the ministry dismissed
 * are never tied again. Returns the audit events the worker appends in the same transaction.
 */
@Injectable()
export class ArrivalMatching {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly activity: RequestActivity,
    private readonly engine: MatchingEngine,
    private readonly fingerprints: FingerprintsRepository,
    private readonly signals: RelistingGroupsRepository,
    private readonly groups: RelistingGroupsService,
    private readonly watchlist: WatchlistRepository,
  ) {}

  async arrive(
    m: EntityManager,
    work: { arrived: ArrivedListing[]; takenDown: TakenDownListing[]; observed?: ArrivedListing[] },
    now: Date,
  ): Promise<AuditRecord[]> {
    const events = work.arrived.length > 0 ? await this.match(m, work.arrived, now, 'replace') : [];
    // A listing seen again (an observation) adds what it resembles to the link's signals; the link's own evidence
    // keeps what it found.
    if (work.observed && work.observed.length > 0)
      events.push(...(await this.match(m, work.observed, now, 'add')));
    const kept = await this.fingerprints.insert(
      m,
      work.takenDown.map((t) => ({
        linkId: t.linkId,
        marketplaceId: t.marketplaceId,
        title: t.listing.title ? normaliseTitle(t.listing.title) || null : null,
        sellerRef: t.listing.sellerRef ?? null,
        sellerName: t.listing.sellerName ? normaliseSellerName(t.listing.sellerName) || null : null,
        takenDownAt: t.takenDownAt,
        imageHashes: t.listing.imageHashes ?? [],
      })),
    );
    // Each taken-down title's words are counted once, when its fingerprint is kept: what the suggestions compare.
    await this.watchlist.countTakenDown(
      m,
      work.takenDown.flatMap((t) =>
        kept.has(t.linkId) && t.listing.title ? [{ title: t.listing.title, takenDownAt: t.takenDownAt }] : [],
      ),
    );
    return events;
  }

  private async match(
    m: EntityManager,
    arrived: ArrivedListing[],
    now: Date,
    signals: 'replace' | 'add',
  ): Promise<AuditRecord[]> {
    // Background work: with requests in flight, each slice of the search waits up to MATCHING_BUSY_PAUSE_MS after it.
    const matches = await this.engine.match(m, arrived.map(matchQueryOf), () =>
      this.activity.quietOr(this.config.matchingBusyPauseMs),
    );
    const found = arrived.flatMap((a, i) =>
      strongest(matches[i].filter((x) => x.linkId !== a.linkId)).map((x) => ({ linkId: a.linkId, match: x })),
    );
    const dismissed = await this.signals.dismissed(
      m,
      found.flatMap((f) => (f.match.linkId ? [[f.linkId, f.match.linkId] as [string, string]] : [])),
    );
    const kept = found.filter(({ linkId, match }) => {
      if (!match.linkId) return true;
      const [a, b] = linkId < match.linkId ? [linkId, match.linkId] : [match.linkId, linkId];
      return !dismissed.has(`${a} ${b}`);
    });
    const rows: SignalRow[] = kept.map(({ linkId, match }) => ({
      linkId,
      matchedLinkId: match.linkId,
      signal: match.signal,
      algorithm: match.algorithm ?? null,
      distance: match.distance ?? null,
      similarity: match.similarity ?? null,
      term: match.term ?? null,
    }));
    if (signals === 'replace')
      await this.signals.replaceSignals(
        m,
        arrived.map((a) => a.linkId),
        rows,
        now,
      );
    else await this.signals.addSignals(m, rows, now);
    const ties = new Map<string, Tie>();
    for (const { linkId, match } of kept) {
      if (!match.linkId) continue;
      ties.set(`${linkId} ${match.linkId} ${match.signal}`, {
        linkId,
        matchedLinkId: match.linkId,
        signal: match.signal,
      });
    }
    return this.groups.link(m, [...ties.values()], now);
  }
}
