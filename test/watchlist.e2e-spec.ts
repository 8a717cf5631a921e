import { createTestApp, TestApp } from './support/app';
import { asAppRole } from './support/app-role';
import { Campaign, setUpCampaign, shopeeUrl, submitBatch, tokopediaUrl } from './support/campaign';
import { expectProblem } from './support/problem';

const DAY = 86_400_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

describe('the watchlist learns: variants, hits, suggestions', () => {
  let t: TestApp;
  let c: Campaign;
  beforeAll(async () => {
    t = await createTestApp({}, { connectAs: asAppRole() });
    c = await setUpCampaign(t);
  });
  afterAll(() => t.close());

  const addTerm = (body: Record<string, unknown>) =>
    t.http.post('/v1/keywords').set(c.ministry.auth).send(body);
  const hitsOf = async (id: string, query = '', party = c.ministry) =>
    (await t.http.get(`/v1/keywords/${id}/hits${query}`).set(party.auth).expect(200)).body;
  let seller = 0;
  const report = (party: typeof c.shopee, title: string, takenDownAgo = 3_600_000) =>
    t.http
      .post('/v1/takedown-reports')
      .set(party.auth)
      .send({
        items: [
          {
            url: party === c.shopee ? shopeeUrl() : tokopediaUrl(`wl${++seller}`),
            takenDownAt: ago(takenDownAgo),
            listing: { title, sellerRef: `toko-wl-${++seller}` },
          },
        ],
      })
      .expect(200);

  it('seeds no term: the watchlist starts empty outside the demo', async () => {
    const res = await t.http.get('/v1/keywords').set(c.ministry.auth).expect(200);
    expect(res.body.items).toEqual([]);
  });

  it('keeps a term’s variants and match type, and audits them', async () => {
    const res = await addTerm({
      term: 'Karungan',
      variants: ['karung2an', ' krgn '],
      matchType: 'token',
    }).expect(201);
    expect(res.body).toEqual(
      expect.objectContaining({ term: 'Karungan', variants: ['karung2an', 'krgn'], matchType: 'token' }),
    );
    const [event] = await t.db.query<{ canonical: string }[]>(
      `SELECT canonical FROM audit_events WHERE entity_id = $1`,
      [res.body.id],
    );
    expect(JSON.parse(event.canonical).data).toEqual({
      term: 'Karungan',
      note: null,
      variants: ['karung2an', 'krgn'],
    });
    const plain = await addTerm({ term: 'grosir' }).expect(201);
    expect(plain.body).toEqual(expect.objectContaining({ variants: [], matchType: 'token' }));

    const before = await t.auditCount();
    expectProblem(await addTerm({ term: 'x1', variants: 'x' }), 400);
    expectProblem(await addTerm({ term: 'x2', variants: ['ok', ''] }), 400);
    expectProblem(await addTerm({ term: 'x3', variants: ['   '] }), 400);
    expectProblem(
      await addTerm({ term: 'x4', variants: Array.from({ length: 21 }, (_, i) => `v${i}`) }),
      400,
    );
    expectProblem(await addTerm({ term: 'x5', matchType: 'fuzzy' }), 400);
    expect(await t.auditCount()).toBe(before);
  });

  it('counts every title that reaches the exchange: batches, acknowledgements, reports, observations, screenings', async () => {
    const term = (await addTerm({ term: 'preloved', variants: ['pre loved'] }).expect(201)).body;
    const from = ago(60_000);
    // A batch link with a listing title; Shopee acknowledges another with evidence; Tokopedia reports one.
    const batch = await submitBatch(t, c, [
      { url: shopeeUrl(), listing: { title: 'Kemeja PRELOVED impor' } },
      shopeeUrl(),
    ] as never);
    const [withTitle, bare] = batch.links;
    expect(withTitle.status).toBe('pending');
    await t.http
      .post('/v1/links/acknowledgements')
      .set(c.shopee.auth)
      .send({
        items: [
          {
            linkId: bare.id,
            status: 'taken_down',
            listing: { title: 'Jaket pr3l0ved murah', sellerRef: 's-wl' },
          },
        ],
      })
      .expect(200);
    await report(c.tokopedia, 'Celana pre-loved grade A');
    // An observation's listing, and a screening (by the ministry, naming no marketplace).
    const observed = await t.http
      .post('/v1/observations')
      .set(c.ministry.auth)
      .send({
        items: [
          {
            linkId: bare.id,
            observedAt: new Date().toISOString(),
            result: 'online',
            listing: { title: 'Preloved lagi' },
          },
        ],
      })
      .expect(200);
    expect(observed.body.results[0].ok).toBe(true);
    await t.http
      .post('/v1/screenings')
      .set(c.ministry.auth)
      .send({
        items: [
          { ref: 'a', title: 'Sweater preloved' },
          { ref: 'b', title: 'Sweater baru' },
        ],
      })
      .expect(200);
    await t.matched();
    const rows = await t.db.query<{ source: string }[]>(
      'SELECT source FROM keyword_hits WHERE keyword_id = $1 ORDER BY source',
      [term.id],
    );
    expect(rows.map((r) => r.source)).toEqual([
      'acknowledgement',
      'batch',
      'observation',
      'screening',
      'takedown_report',
    ]);

    const hits = await hitsOf(term.id, `?from=${from}`);
    expect(hits).toEqual(
      expect.objectContaining({ id: term.id, term: 'preloved', interval: 'day', total: 5 }),
    );
    const byMarketplace = new Map(
      (hits.byMarketplace as { marketplaceId: string | null; count: number }[]).map((r) => [
        r.marketplaceId,
        r.count,
      ]),
    );
    expect(Object.fromEntries(byMarketplace)).toEqual({
      [c.shopee.marketplaceId]: 3,
      [c.tokopedia.marketplaceId]: 1,
      null: 1,
    });
    expect((hits.series as { count: number }[]).reduce((n, p) => n + p.count, 0)).toBe(5);
    // A marketplace counts only its own titles.
    const shopee = await hitsOf(term.id, `?from=${from}`, c.shopee);
    expect(shopee.total).toBe(3);
    expect(shopee.byMarketplace).toEqual([
      expect.objectContaining({ marketplaceId: c.shopee.marketplaceId, count: 3 }),
    ]);
    // Weekly periods, zeros included, from the week holding `from`.
    const weekly = await hitsOf(term.id, `?from=${ago(21 * DAY)}&interval=week`);
    expect(weekly.series.length).toBeGreaterThanOrEqual(3);
    expect(weekly.series.filter((p: { count: number }) => p.count === 0).length).toBeGreaterThan(0);
  });

  it('matches a token term as whole words only, a phrase term anywhere', async () => {
    const token = (await addTerm({ term: 'bal' }).expect(201)).body;
    const phrase = (await addTerm({ term: 'optimiz', matchType: 'phrase' }).expect(201)).body;
    const from = ago(60_000);
    await t.http
      .post('/v1/screenings')
      .set(c.shopee.auth)
      .send({
        items: [
          { ref: '1', title: 'Balon ulang tahun' },
          { ref: '2', title: 'Bal pakaian' },
          { ref: '3', title: 'Kaos pre-optimized' },
        ],
      })
      .expect(200);
    expect((await hitsOf(token.id, `?from=${from}`)).total).toBe(1);
    expect((await hitsOf(phrase.id, `?from=${from}`)).total).toBe(1);
  });

  it('suggests words rising in taken-down titles that are not on the list', async () => {
    // Before: ordinary titles; this week: "thrifting" in most of them. "grosir" is on the list already.
    for (let i = 0; i < 6; i++) await report(c.shopee, `Kemeja flanel grosir nomor ${i}`, (10 + i) * DAY);
    for (let i = 0; i < 4; i++)
      await report(c.shopee, `Kemeja thrifting grosir nomor ${i}`, (i + 1) * 3_600_000);
    await t.matched();
    const res = await t.http.get('/v1/keywords/suggestions').set(c.ministry.auth).expect(200);
    expect(res.body).toEqual(
      expect.objectContaining({ interval: 'week', from: expect.any(String), to: expect.any(String) }),
    );
    const tokens = (res.body.items as { token: string }[]).map((s) => s.token);
    expect(tokens).toContain('thrifting');
    expect(tokens).not.toContain('grosir');
    expect(tokens).not.toContain('kemeja'); // as common before as now
    const thrifting = res.body.items.find((s: { token: string }) => s.token === 'thrifting');
    expect(thrifting).toEqual(
      expect.objectContaining({ count: 4, previousCount: 0, previousShare: 0, growth: null }),
    );
    // A new word comes before the risen ones.
    expect(tokens[0]).toBe('thrifting');
    expect(thrifting.share).toBeGreaterThan(0);
    expect(res.body.titles).toBeGreaterThanOrEqual(4);
    expect(res.body.previousTitles).toBeGreaterThanOrEqual(6);

    const daily = await t.http
      .get('/v1/keywords/suggestions?interval=day&periods=12&minCount=2&limit=5')
      .set(c.ministry.auth)
      .expect(200);
    expect(daily.body.items.length).toBeLessThanOrEqual(5);
  });

  it('answers bad queries with problems and keeps police out', async () => {
    const term = (await addTerm({ term: 'seken murah' }).expect(201)).body;
    expectProblem(
      await t.http.get(`/v1/keywords/${term.id}/hits?from=${ago(0)}&to=${ago(DAY)}`).set(c.ministry.auth),
      400,
    );
    expectProblem(await t.http.get(`/v1/keywords/${term.id}/hits?interval=hour`).set(c.ministry.auth), 400);
    expectProblem(
      await t.http.get(`/v1/keywords/${term.id}/hits?from=2000-01-01T00:00:00Z`).set(c.ministry.auth),
      400,
    );
    expectProblem(await t.http.get(`/v1/keywords/${term.id}/hits?from=yesterday`).set(c.ministry.auth), 400);
    expectProblem(
      await t.http.get('/v1/keywords/00000000-0000-4000-8000-000000000000/hits').set(c.ministry.auth),
      404,
    );
    expectProblem(await t.http.get(`/v1/keywords/${term.id}/hits`).set(c.police.auth), 403);
    expectProblem(await t.http.get('/v1/keywords/suggestions').set(c.police.auth), 403);
    expectProblem(await t.http.get('/v1/keywords/suggestions').set(c.shopee.auth), 403);
    expectProblem(await t.http.get('/v1/keywords/suggestions?periods=13').set(c.ministry.auth), 400);
    expectProblem(await t.http.get('/v1/keywords/suggestions?interval=year').set(c.ministry.auth), 400);
  });
});
