import { batchBody, BenchContext, generateLinks, LINKS } from '../context';
import { fmt, now, pct, stats } from '../measure';
import { ratioRow, Scenario } from '../scenario';

interface Pages {
  p50: number;
  p99: number;
  pages: number;
  /** The same pages read by the notifying ministry, whose visibility is decided per row (its batches, co-notified). */
  ministryP50: number;
  ministryP99: number;
}

/**
 * Pages of 1,000 pending links over a LINKS-link backlog of one marketplace, read by the marketplace and then by the
 * ministry that sent them; baseline: the keyset SELECT.
 */
export function pollingScenario(): Scenario<Pages, number> {
  let shopeeId = '';
  let token = '';
  let ministryToken = '';
  return {
    name: 'polling',
    async setup(ctx) {
      const t = await ctx.tokens();
      token = t.shopee;
      ministryToken = t.kemendag;
      shopeeId = ctx.marketplaces.find((m) => m.code === 'shopee')!.id;
      const body = batchBody('BENCH/poll', generateLinks(LINKS, ['shopee']));
      const poll = await ctx.call(t.kemendag, 'POST', '/v1/link-batches', body);
      if (poll.counts.accepted !== LINKS) throw new Error('poll batch not accepted whole');
    },
    async run(ctx) {
      const pages = await pagesAs(ctx, token, '');
      const ministry = await pagesAs(ctx, ministryToken, `&marketplaceId=${shopeeId}`);
      return {
        p50: pct(pages, 50),
        p99: pct(pages, 99),
        pages: pages.length,
        ministryP50: pct(ministry, 50),
        ministryP99: pct(ministry, 99),
      };
    },
    baseline: (ctx) => baselinePages(ctx, shopeeId),
    describe: (run, api, base) =>
      `polling run ${run + 1}: ${api.pages} pages, API p50 ${fmt(api.p50, 1)} ms p99 ${fmt(api.p99, 1)} ms (as the ministry p50 ${fmt(api.ministryP50, 1)} ms p99 ${fmt(api.ministryP99, 1)} ms); SQL baseline p50 ${fmt(base, 1)} ms`,
    result(api, base) {
      const s = {
        apiP50: stats(api.map((r) => r.p50)),
        apiP99: stats(api.map((r) => r.p99)),
        baselineP50: stats(base),
        ministryP50: stats(api.map((r) => r.ministryP50)),
        ministryP99: stats(api.map((r) => r.ministryP99)),
      };
      return {
        summary: s,
        rows: [
          ratioRow('polling page of 1,000 (p50)', s.apiP50, s.baselineP50, 'ms', ''),
          { label: '  polling page p99', text: `${fmt(s.apiP99.median, 1).padStart(9)} ms` },
          ratioRow('  the same page as the ministry (p50)', s.ministryP50, s.baselineP50, 'ms', ''),
          { label: '  … as the ministry p99', text: `${fmt(s.ministryP99.median, 1).padStart(9)} ms` },
        ],
      };
    },
  };
}

/** Every page of pending links `query` selects, read by the holder of `token`; the time of each page. */
async function pagesAs(ctx: BenchContext, token: string, query: string): Promise<number[]> {
  const pages: number[] = [];
  let cursor: string | null = null;
  let seen = 0;
  do {
    const t0 = now();
    const page: { items: unknown[]; nextCursor: string | null } = await ctx.call(
      token,
      'GET',
      `/v1/links?status=pending&limit=1000${query}${cursor ? `&cursor=${cursor}` : ''}`,
    );
    pages.push(now() - t0);
    seen += page.items.length;
    cursor = page.nextCursor;
  } while (cursor);
  if (seen < LINKS) throw new Error(`polling saw ${seen} links`);
  return pages;
}

/** The API's page query by hand: keyset SELECTs of 1,001 rows, each serialised as the API would. */
async function baselinePages(ctx: BenchContext, shopeeId: string): Promise<number> {
  const basePages: number[] = [];
  let last = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const t0 = now();
    const rows = (
      await ctx.pg.query(
        `SELECT * FROM links WHERE marketplace_id = $1 AND status = 'pending' AND id > $2 ORDER BY id LIMIT 1001`,
        [shopeeId, last],
      )
    ).rows;
    const body = JSON.stringify(rows.slice(0, 1000));
    basePages.push(now() - t0);
    if (rows.length <= 1000 || body.length === 0) break;
    last = rows[999].id;
  }
  return pct(basePages, 50);
}
