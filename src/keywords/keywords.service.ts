import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Actor } from '../auth/actor';
import { AuditWriter } from '../audit/audit.writer';
import { keywordAdded, keywordRetired } from '../audit/audit-events';
import { AppError } from '../errors/app-error';
import { TransactionService } from '../database/transaction.service';
import { MarketplaceDirectory } from '../marketplaces/marketplace-directory';
import {
  AddKeywordDto,
  Interval,
  KeywordHitsQueryDto,
  KeywordSuggestionsQueryDto,
  KeywordsQueryDto,
} from './dto/keyword.dto';
import {
  KeywordHitsResponseDto,
  KeywordListResponseDto,
  KeywordResponseDto,
  KeywordSuggestionsResponseDto,
} from './dto/keyword-response.dto';
import { KeywordRow, KeywordsRepository } from './keywords.repository';
import { WatchlistRepository } from './watchlist.repository';

/** A series has at most this many periods. */
const MAX_PERIODS = 1000;
const DAY_MS = 86_400_000;
/** Approximate lengths, to bound a series before asking the database for it. */
const INTERVAL_DAYS: Record<Interval, number> = { day: 1, week: 7, month: 30 };
const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

export const normalizeTerm = (term: string) => term.trim().replace(/\s+/g, ' ').toLowerCase();

@Injectable()
export class KeywordsService {
  constructor(
    private readonly tx: TransactionService,
    private readonly audit: AuditWriter,
    private readonly keywords: KeywordsRepository,
    private readonly watchlist: WatchlistRepository,
    private readonly directory: MarketplaceDirectory,
  ) {}

  /** The whole watchlist, or with sinceVersion only what changed after it (retired terms included, to sync deletions). */
  async list(_actor: Actor, q: KeywordsQueryDto): Promise<KeywordListResponseDto> {
    const m = this.tx.dataSource.manager;
    const rows = await this.keywords.listSince(m, q.sinceVersion ?? null);
    const version = await this.keywords.currentVersion(m);
    return { version, items: rows.map(toView) };
  }

  async add(actor: Actor, dto: AddKeywordDto): Promise<KeywordResponseDto> {
    const term = dto.term.trim().replace(/\s+/g, ' ');
    if (term === '') throw AppError.validation([{ path: 'term', message: 'term must not be blank' }]);
    const variants = [...new Set((dto.variants ?? []).map((v) => v.trim().replace(/\s+/g, ' ')))];
    const blank = variants.findIndex((v) => v === '');
    if (blank >= 0)
      throw AppError.validation([{ path: `variants.${blank}`, message: 'a variant must not be blank' }]);
    const matchType = dto.matchType ?? 'token';
    return this.tx.answer(async (m) => {
      const now = new Date();
      const row = await this.keywords.insert(m, {
        id: randomUUID(),
        term,
        normalizedTerm: normalizeTerm(term),
        note: dto.note ?? null,
        variants,
        matchType,
        addedAt: now,
      });
      await this.audit.record(
        m,
        actor,
        keywordAdded(row.id, term, dto.note ?? null, { variants, matchType }),
        now,
      );
      return toView(row);
    });
  }

  /**
   * How often the term (or a variant) was in titles that reached the exchange: in total, per marketplace, per period.
   * A marketplace counts only its own marketplaces' titles.
   */
  async hits(actor: Actor, id: string, q: KeywordHitsQueryDto): Promise<KeywordHitsResponseDto> {
    const to = q.to ? new Date(q.to) : new Date();
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - 30 * DAY_MS);
    const interval = q.interval ?? 'day';
    if (from.getTime() >= to.getTime())
      throw AppError.validation([{ path: 'from', message: 'from must be before to' }]);
    if ((to.getTime() - from.getTime()) / (INTERVAL_DAYS[interval] * DAY_MS) > MAX_PERIODS)
      throw AppError.validation([
        {
          path: 'interval',
          message: `the series would have more than ${MAX_PERIODS} periods: a longer interval, or a shorter range`,
        },
      ]);
    const m = this.tx.dataSource.manager;
    const keyword = await this.keywords.find(m, id);
    if (!keyword) throw AppError.notFound('Keyword');
    const scope = actor.role === 'marketplace' ? await this.directory.ownedBy(actor) : null;
    const { byMarketplace, series } = await this.keywords.hits(m, id, scope, { from, to, interval });
    return {
      id,
      term: keyword.term,
      from: from.toISOString(),
      to: to.toISOString(),
      interval,
      total: byMarketplace.reduce((n, r) => n + r.count, 0),
      byMarketplace: byMarketplace.map((r) => ({
        marketplaceId: r.marketplace_id,
        count: r.count,
        firstSeenAt: r.first_seen_at.toISOString(),
        lastSeenAt: r.last_seen_at.toISOString(),
      })),
      series: series.map((p) => ({ period: p.period.toISOString(), count: p.count })),
    };
  }

  /**
   * Words rising in taken-down titles that the watchlist does not hold: their share of the period's titles against
   * their share of the periods before. Counted from taken_down_tokens, which matching keeps as it keeps fingerprints.
   */
  async suggestions(q: KeywordSuggestionsQueryDto): Promise<KeywordSuggestionsResponseDto> {
    const interval = q.interval ?? 'week';
    const days = INTERVAL_DAYS[interval];
    const periods = q.periods ?? 4;
    const minCount = q.minCount ?? 3;
    const today = new Date().toISOString().slice(0, 10);
    const m = this.tx.dataSource.manager;
    const [rows, terms] = await Promise.all([
      this.keywords.tokenCounts(m, today, days, periods),
      this.watchlist.activeTerms(m),
    ]);
    const listed = new Set(terms.flatMap((t) => t.forms.filter((f) => f.length === 1).map((f) => f[0])));
    const totals = rows.find((r) => r.token === '') ?? { current: 0, previous: 0 };
    const items = rows
      .filter((r) => r.token !== '' && !listed.has(r.token) && r.current >= minCount)
      .map((r) => ({
        token: r.token,
        count: r.current,
        share: r.current / totals.current,
        previousCount: r.previous,
        previousShare: totals.previous === 0 ? 0 : r.previous / totals.previous,
      }))
      .filter((r) => r.share >= 2 * r.previousShare)
      .map((r) => ({ ...r, growth: r.previousShare === 0 ? null : r.share / r.previousShare }))
      // New words first, the most frequent first; then risen ones by how many times their share grew.
      .sort(
        (a, b) =>
          (a.growth === null ? 0 : 1) - (b.growth === null ? 0 : 1) ||
          (a.growth === null || b.growth === null ? b.count - a.count : b.growth - a.growth) ||
          (a.token < b.token ? -1 : 1),
      )
      .slice(0, q.limit ?? 20)
      .map((r) => ({
        ...r,
        share: round4(r.share),
        previousShare: round4(r.previousShare),
        growth: r.growth === null ? null : Math.round(r.growth * 100) / 100,
      }));
    const first = new Date(Date.parse(today) - (days - 1) * DAY_MS).toISOString().slice(0, 10);
    return {
      interval,
      from: first,
      to: today,
      titles: totals.current,
      previousTitles: totals.previous,
      items,
    };
  }

  /** Retiring keeps the term (status retired); retiring it again changes nothing. */
  async retire(actor: Actor, id: string): Promise<KeywordResponseDto> {
    return this.tx.answer(async (m) => {
      const now = new Date();
      const row = await this.keywords.retire(m, id, now);
      if (row) {
        await this.audit.record(m, actor, keywordRetired(id, row.term), now);
        return toView(row);
      }
      const existing = await this.keywords.find(m, id);
      if (!existing) throw AppError.notFound('Keyword');
      return toView(existing);
    });
  }
}

function toView(r: KeywordRow): KeywordResponseDto {
  return {
    id: r.id,
    term: r.term,
    note: r.note,
    variants: r.variants,
    matchType: r.match_type,
    status: r.status,
    version: Number(r.version),
    addedAt: r.added_at.toISOString(),
    retiredAt: r.retired_at?.toISOString() ?? null,
  };
}
