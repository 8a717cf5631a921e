import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { sql } from '../database/sql';
import type { HitSource } from './keyword-hit.entity';
import { plainTokens } from '../matching/title-normalisation';
import { MatchType, termsInTitle, WatchTerm, watchTerm } from './watchlist';

/** A title as it reached the exchange, for the watchlist to count. */
export interface Sighting {
  title: string;
  marketplaceId: string | null;
  linkId: string | null;
  source: HitSource;
  seenAt: Date;
}

/** Tokens shorter than this, or made of digits only, are not counted for suggestions. */
const MIN_TOKEN = 3;

/** The watchlist as matching reads it, and what it learns: hits, and taken-down titles' words by day. */
@Injectable()
export class WatchlistRepository {
  async activeTerms(m: EntityManager): Promise<WatchTerm[]> {
    const rows = await m.query<{ id: string; term: string; variants: string[]; match_type: MatchType }[]>(
      `SELECT id, term, variants, match_type FROM keywords WHERE status = 'active' ORDER BY id`,
    );
    return rows.map(watchTerm);
  }

  /** A hit for every active term in every title; the terms are read once for all. */
  async recordHits(m: EntityManager, sightings: Sighting[], terms?: WatchTerm[]): Promise<number> {
    const titled = sightings.filter((s) => s.title);
    if (titled.length === 0) return 0;
    const active = terms ?? (await this.activeTerms(m));
    if (active.length === 0) return 0;
    const hits = titled.flatMap((s) => termsInTitle(s.title, active).map((t) => ({ s, t })));
    if (hits.length === 0) return 0;
    await m.query(
      ...sql`INSERT INTO keyword_hits (keyword_id, marketplace_id, link_id, source, seen_at)
             SELECT * FROM unnest(${hits.map((h) => h.t.id)}::uuid[], ${hits.map((h) => h.s.marketplaceId)}::uuid[],
                                  ${hits.map((h) => h.s.linkId)}::uuid[], ${hits.map((h) => h.s.source)}::text[],
                                  ${hits.map((h) => h.s.seenAt)}::timestamptz[])`,
    );
    return hits.length;
  }

  /**
   * Counts each taken-down title's distinct words under the day it was taken down (the token '' counts the titles),
   * for the suggestions. Called once per taken-down link, when its fingerprint is kept.
   */
  async countTakenDown(m: EntityManager, titles: { title: string; takenDownAt: Date }[]): Promise<void> {
    const counts = new Map<string, number>();
    for (const { title, takenDownAt } of titles) {
      const day = takenDownAt.toISOString().slice(0, 10);
      const words = new Set(
        plainTokens(title).filter((w) => w.length >= MIN_TOKEN && w.length <= 100 && !/^\d+$/.test(w)),
      );
      for (const w of ['', ...words]) {
        const key = `${day} ${w}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    if (counts.size === 0) return;
    const keys = [...counts.keys()];
    await m.query(
      ...sql`INSERT INTO taken_down_tokens (day, token, titles)
             SELECT * FROM unnest(${keys.map((k) => k.slice(0, 10))}::date[], ${keys.map((k) => k.slice(11))}::text[],
                                  ${[...counts.values()]}::int[])
             ORDER BY 1, 2
             ON CONFLICT (day, token) DO UPDATE SET titles = taken_down_tokens.titles + EXCLUDED.titles`,
    );
  }
}
