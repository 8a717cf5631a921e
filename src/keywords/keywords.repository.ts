import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { raw, sql } from '../database/sql';
import type { LinkScope } from '../links/links.repository';
import type { Interval } from './dto/keyword.dto';
import type { KeywordStatus } from './dto/keyword-response.dto';
import type { MatchType } from './watchlist';

export interface KeywordRow {
  id: string;
  term: string;
  note: string | null;
  variants: string[];
  match_type: MatchType;
  status: KeywordStatus;
  version: string;
  added_at: Date;
  retired_at: Date | null;
}

const KEYWORD_COLUMNS = raw('id, term, note, variants, match_type, status, version, added_at, retired_at');

@Injectable()
export class KeywordsRepository {
  /** The active watchlist, or with sinceVersion every term changed after it (retired ones included). */
  listSince(m: EntityManager, sinceVersion: number | null): Promise<KeywordRow[]> {
    return m.query<KeywordRow[]>(
      ...sql`SELECT ${KEYWORD_COLUMNS} FROM keywords
        WHERE (${sinceVersion}::bigint IS NULL AND status = 'active') OR version > ${sinceVersion}::bigint ORDER BY version`,
    );
  }

  async currentVersion(m: EntityManager): Promise<number> {
    const [{ version }] = await m.query<{ version: string }[]>(
      ...sql`SELECT coalesce(max(version), 0) AS version FROM keywords`,
    );
    return Number(version);
  }

  async insert(
    m: EntityManager,
    k: {
      id: string;
      term: string;
      normalizedTerm: string;
      note: string | null;
      variants: string[];
      matchType: MatchType;
      addedAt: Date;
    },
  ): Promise<KeywordRow> {
    const [row] = await m.query<KeywordRow[]>(
      ...sql`INSERT INTO keywords (id, term, normalized_term, note, variants, match_type, status, version, added_at)
         VALUES (${k.id}, ${k.term}, ${k.normalizedTerm}, ${k.note}, ${k.variants}::varchar[], ${k.matchType}, 'active',
                 nextval('keyword_version_seq'), ${k.addedAt})
         RETURNING ${KEYWORD_COLUMNS}`,
    );
    return row;
  }

  /** The keyword as retired now, or undefined when it is not an active one. */
  async retire(m: EntityManager, id: string, at: Date): Promise<KeywordRow | undefined> {
    const [row] = await m.query<KeywordRow[]>(
      ...sql`WITH retired AS (
           UPDATE keywords SET status = 'retired', retired_at = ${at}, version = nextval('keyword_version_seq')
            WHERE id = ${id} AND status = 'active' RETURNING ${KEYWORD_COLUMNS}
         ) SELECT * FROM retired`,
    );
    return row;
  }

  async find(m: EntityManager, id: string): Promise<KeywordRow | undefined> {
    const [row] = await m.query<KeywordRow[]>(
      ...sql`SELECT ${KEYWORD_COLUMNS} FROM keywords WHERE id = ${id}`,
    );
    return row;
  }

  /** The term's hits in [from, to) as the scope may see them: per marketplace, and per period from from's. */
  async hits(
    m: EntityManager,
    id: string,
    scope: LinkScope,
    window: { from: Date; to: Date; interval: Interval },
  ): Promise<{ byMarketplace: MarketplaceHitsRow[]; series: SeriesRow[] }> {
    const visible = sql`h.keyword_id = ${id} AND h.seen_at >= ${window.from} AND h.seen_at < ${window.to}
      AND (${scope}::uuid[] IS NULL OR h.marketplace_id = ANY(${scope}::uuid[]))`;
    const byMarketplace = await m.query<MarketplaceHitsRow[]>(
      ...sql`SELECT h.marketplace_id, count(*)::int AS count, min(h.seen_at) AS first_seen_at, max(h.seen_at) AS last_seen_at
               FROM keyword_hits h WHERE ${visible}
              GROUP BY h.marketplace_id ORDER BY count(*) DESC, h.marketplace_id NULLS LAST`,
    );
    const unit = raw(`'${window.interval}'`);
    const series = await m.query<SeriesRow[]>(
      ...sql`WITH periods AS (
               SELECT p FROM generate_series(date_trunc(${unit}, ${window.from}::timestamptz AT TIME ZONE 'UTC'),
                                             ${window.to}::timestamptz AT TIME ZONE 'UTC', ('1 ' || ${unit})::interval) AS p
                WHERE p < ${window.to}::timestamptz AT TIME ZONE 'UTC'
             ), counted AS (
               SELECT date_trunc(${unit}, h.seen_at AT TIME ZONE 'UTC') AS p, count(*)::int AS n
                 FROM keyword_hits h WHERE ${visible} GROUP BY 1
             )
             SELECT (periods.p AT TIME ZONE 'UTC') AS period, coalesce(counted.n, 0) AS count
               FROM periods LEFT JOIN counted USING (p) ORDER BY periods.p`,
    );
    return { byMarketplace, series };
  }

  /**
   * Token counts of taken-down titles: the `days` days up to `today` against the `days × periods` before, with the
   * titles counted in each ('' is the titles themselves).
   */
  tokenCounts(m: EntityManager, today: string, days: number, periods: number): Promise<TokenCountRow[]> {
    return m.query<TokenCountRow[]>(
      ...sql`SELECT token,
                    coalesce(sum(titles) FILTER (WHERE day > ${today}::date - ${days}::int), 0)::int AS current,
                    coalesce(sum(titles) FILTER (WHERE day <= ${today}::date - ${days}::int), 0)::int AS previous
               FROM taken_down_tokens
              WHERE day > ${today}::date - ${days * (periods + 1)}::int AND day <= ${today}::date
              GROUP BY token`,
    );
  }
}

export interface MarketplaceHitsRow {
  marketplace_id: string | null;
  count: number;
  first_seen_at: Date;
  last_seen_at: Date;
}

export interface SeriesRow {
  period: Date;
  count: number;
}

export interface TokenCountRow {
  token: string;
  current: number;
  previous: number;
}
