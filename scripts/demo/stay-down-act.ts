import type { Json } from '../../test/support/tooling';
import { call, Demo, matchedLink, say, step } from './client';

const DAY = 86_400_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

/**
 * Does the takedown stay down, and which words are sellers using now: Shopee's own takedowns of the last weeks (titles
 * with "bekas") and of this week (with "preloved"); the ministry's re-check finds one of this week's back online; the
 * watchlist's suggestions show "preloved" rising, the ministry adds it, and its hits count the titles that follow.
 */
export async function stayDownAct(d: Demo, n: number): Promise<void> {
  step(n, 'Does the takedown stay down? Which words are sellers using now?');
  const tag = Date.now().toString(36).slice(-5);
  const base = 3100000000 + (Date.now() % 1e7) * 20;
  const goods = ['Kemeja Flanel', 'Jaket Denim', 'Hoodie', 'Sweater Rajut', 'Celana Cargo', 'Kaos Band'];
  const item = (i: number, word: string, takenDownAgo: number) => ({
    url: `https://shopee.co.id/${goods[i % goods.length].replace(/ /g, '-')}-${word}-i.${200000 + (i % 90)}.${base + i}`,
    takenDownAt: ago(takenDownAgo),
    reason: 'Permendag 40/2022: used clothing, import prohibited',
    listing: { title: `${goods[i % goods.length]} ${word} impor grade A`, sellerRef: `stay_${tag}_${i}` },
  });
  const earlier = Array.from({ length: 12 }, (_, i) => item(i, 'Bekas', (8 + (i % 20)) * DAY));
  const thisWeek = Array.from({ length: 6 }, (_, i) => item(100 + i, 'Preloved', (i + 1) * 3_600_000));
  const report = await call(d.t.shopee, 'POST', '/v1/takedown-reports', { items: [...earlier, ...thisWeek] });
  const linkIds = (report.results as Json[]).filter((r) => r.ok).map((r) => r.linkId as string);
  say(
    `  shopee reports ${linkIds.length} of its own takedowns: 12 of the last weeks ("bekas"), 6 of this week ("preloved")`,
  );
  // Their words are counted when matching keeps their fingerprints, just after the commit (behind the acts before).
  await matchedLink(d, linkIds[linkIds.length - 1], 180_000);

  const due = (await call(d.t.kemendag, 'GET', '/v1/links?recheckDue=true&source=marketplace&limit=5'))
    .items as Json[];
  say(
    `  the ministry's re-check queue (GET /v1/links?recheckDue=true): ${due.length} links due, e.g. ${due[0]?.id ?? '-'}`,
  );
  const back = linkIds[linkIds.length - 1];
  const stays = linkIds[linkIds.length - 2];
  const observed = await call(d.t.kemendag, 'POST', '/v1/observations', {
    items: [
      {
        linkId: back,
        observedAt: ago(60_000),
        result: 'online',
        listing: { title: 'Hoodie preloved impor grade A (restock)', sellerRef: `stay_${tag}_105` },
      },
      { linkId: stays, observedAt: ago(60_000), result: 'offline' },
    ],
  });
  const [online] = observed.results as Json[];
  const link = await call(d.t.kemendag, 'GET', `/v1/links/${back}`);
  const last = link.lastObservation as Json;
  say(
    `  the patrol finds link ${back} online again: reappeared ${online.reappeared}, status still ${link.status}, lastObservation ${last.result} at ${last.observedAt}`,
  );
  const stats = await call(d.t.kemendag, 'GET', '/v1/stats/takedowns');
  const shopee = (stats.marketplaces as Json[]).find((m) => m.code === 'shopee')!;
  say(
    `  shopee's stay-down rate: ${shopee.stayedDown} of ${shopee.observed} observed stayed down (${shopee.stayDownRate}), ${shopee.reappeared} reappeared`,
  );

  const suggested = await call(d.t.kemendag, 'GET', '/v1/keywords/suggestions?interval=week&minCount=3');
  const rising = (suggested.items as Json[]).slice(0, 5);
  say(
    `  words rising in this week's taken-down titles (${suggested.titles} titles, ${suggested.previousTitles} in the 4 weeks before): ${rising
      .map((s) =>
        s.growth === null
          ? `${s.token} (new: ${s.count} titles)`
          : `${s.token} (${s.count} titles, ${s.growth}× its share before)`,
      )
      .join(', ')}`,
  );
  const list = await call(d.t.kemendag, 'GET', '/v1/keywords');
  let term = (list.items as Json[]).find((k) => k.term === 'preloved');
  if (!term)
    term = await call(d.t.kemendag, 'POST', '/v1/keywords', {
      term: 'preloved',
      variants: ['pre loved', 'prelove'],
      note: 'rising in taken-down titles',
    });
  await call(d.t.tokopedia, 'POST', '/v1/screenings', {
    items: [{ ref: `upload-${tag}`, title: 'Jaket Pre-Loved Korea' }],
  });
  const hits = await call(d.t.kemendag, 'GET', `/v1/keywords/${term.id}/hits?from=${ago(60_000)}`);
  say(
    `  the ministry adds "preloved" (variants ${(term.variants as string[]).join(', ')}); a Tokopedia screening's title counts at once: ${hits.total} hit${hits.total === 1 ? '' : 's'} in the last minute`,
  );
}
