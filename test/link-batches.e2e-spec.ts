import request from 'supertest';
import { createTestApp, TestApp } from './support/app';
import { batch, Campaign, setUpCampaign, shopeeUrl, submitBatch, tokopediaUrl } from './support/campaign';
import { expectProblem } from './support/problem';

describe('link batches', () => {
  let t: TestApp;
  let c: Campaign;
  beforeAll(async () => {
    t = await createTestApp();
    c = await setUpCampaign(t);
  });
  afterAll(() => t.close());

  const submit = (body: object) => t.http.post('/v1/link-batches').set(c.ministry.auth).send(body);
  const countRows = async (table: string) =>
    (await t.db.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n as number;

  it('routes links to their marketplaces and reports every reason per item', async () => {
    const a = shopeeUrl();
    const body = batch([
      a,
      tokopediaUrl(),
      'not a url',
      'ftp://shopee.co.id/x',
      `https://shopee.co.id/${'x'.repeat(2100)}`,
      'https://unknown-market.example/p/1',
      a.replace('https://', 'https://WWW.') + '?utm_source=wa#top',
    ]);
    const before = await t.auditCount();
    const res = await submit(body).expect(201);
    expect(res.body).toEqual(
      expect.objectContaining({
        id: expect.any(String),
        reference: body.reference,
        status: 'open',
        counts: { accepted: 2, duplicate: 0, rejected: 5, relisted: 0, coNotified: 0 },
        duplicates: [],
        relisted: [],
      }),
    );
    expect(res.body.rejected).toEqual([
      { index: 2, url: 'not a url', reason: 'invalid_url' },
      { index: 3, url: 'ftp://shopee.co.id/x', reason: 'unsupported_scheme' },
      { index: 4, url: body.links[4].url, reason: 'url_too_long' },
      { index: 5, url: 'https://unknown-market.example/p/1', reason: 'unknown_marketplace' },
      { index: 6, url: body.links[6].url, reason: 'duplicate_in_batch' },
    ]);
    expect(res.body.byMarketplace).toEqual([
      { marketplaceId: c.shopee.marketplaceId, code: 'shopee', accepted: 1 },
      { marketplaceId: c.tokopedia.marketplaceId, code: 'tokopedia', accepted: 1 },
    ]);
    // One event for the batch and one per accepted link.
    expect(await t.auditCount()).toBe(before + 3);
  });

  it('sets each link due by its marketplace SLA unless the batch names a due date', async () => {
    const { links } = await submitBatch(t, c, [shopeeUrl(), tokopediaUrl()]);
    const hours = (l: { dueAt: string; createdAt: string }) =>
      (Date.parse(l.dueAt) - Date.parse(l.createdAt)) / 3_600_000;
    expect(
      links
        .map((l: { marketplaceId: string }) =>
          l.marketplaceId === c.shopee.marketplaceId ? 'shopee' : 'tokopedia',
        )
        .sort(),
    ).toEqual(['shopee', 'tokopedia']);
    for (const l of links) expect(hours(l)).toBe(l.marketplaceId === c.shopee.marketplaceId ? 48 : 24);
    const due = new Date(Date.now() + 5 * 86_400_000).toISOString();
    const {
      links: [link],
    } = await submitBatch(t, c, [shopeeUrl()], { dueAt: due });
    expect(link.dueAt).toBe(due);
    expectProblem(await submit(batch([shopeeUrl()], { dueAt: '2020-01-01T00:00:00Z' })), 400);
  });

  it('takes a CSV batch with notes and keywords', async () => {
    const url = shopeeUrl();
    const csv = `url,note,keywords\n${url},"seen 3 times, relisted",bal;pre-optimized\n${tokopediaUrl()},,\nnot-a-url,,\n`;
    const res = await t.http
      .post('/v1/link-batches')
      .query({ reference: 'CSV/1', legalBasis: 'Permendag 40/2022' })
      .set(c.ministry.auth)
      .set('Content-Type', 'text/csv')
      .send(csv)
      .expect(201);
    expect(res.body.counts).toEqual({ accepted: 2, duplicate: 0, rejected: 1, relisted: 0, coNotified: 0 });
    const links = (await t.http.get(`/v1/links?batchId=${res.body.id}`).set(c.ministry.auth)).body.items;
    const first = links.find((l: { url: string }) => l.url === url);
    expect(first).toEqual(
      expect.objectContaining({ note: 'seen 3 times, relisted', keywords: ['bal', 'pre-optimized'] }),
    );
  });

  it.each([
    ['broken quoting', 'url,note\n"https://shopee.co.id/a-i.1.2,oops\n'],
    ['no url column', 'link\nhttps://shopee.co.id/a-i.1.2\n'],
    ['url twice', 'url;URL\nhttps://shopee.co.id/a-i.1.2;https://shopee.co.id/a-i.1.3\n'],
    ['a header only', 'url\n'],
    ['a ragged row', 'url,note\nhttps://shopee.co.id/a-i.1.2,a,b\n'],
  ])('refuses a CSV with %s with 400 and writes nothing', async (_name, csv) => {
    const before = await t.auditCount();
    const res = await t.http
      .post('/v1/link-batches')
      .query({ reference: 'CSV/2', legalBasis: 'x' })
      .set(c.ministry.auth)
      .set('Content-Type', 'text/csv')
      .send(csv);
    expectProblem(res, 400);
    expect(await t.auditCount()).toBe(before);
  });

  it('takes a semicolon-separated Excel export with a column of its own, and names the column it ignored', async () => {
    const [a, b] = [shopeeUrl(), tokopediaUrl()];
    const csv = `\ufeffURL;Note;Keywords;Penjual\r\n${a};"dilihat; dua kali";bal;tokothrift\r\n${b};;;\r\n`;
    const res = await t.http
      .post('/v1/link-batches')
      .query({ reference: 'CSV/ID', legalBasis: 'Permendag 40/2022' })
      .set(c.ministry.auth)
      .set('Content-Type', 'text/csv; charset=utf-8')
      .send(csv)
      .expect(201);
    expect(res.body).toEqual(
      expect.objectContaining({
        counts: { accepted: 2, duplicate: 0, rejected: 0, relisted: 0, coNotified: 0 },
        ignoredColumns: ['Penjual'],
      }),
    );
    const links = (await t.http.get(`/v1/links?batchId=${res.body.id}`).set(c.ministry.auth)).body.items;
    expect(links.find((l: { url: string }) => l.url === a)).toEqual(
      expect.objectContaining({ note: 'dilihat; dua kali', keywords: ['bal'] }),
    );
  });

  it('answers a JSON batch with no ignored columns', async () => {
    expect((await submit(batch([shopeeUrl()])).expect(201)).body.ignoredColumns).toEqual([]);
  });

  it('refuses a CSV batch without reference and legalBasis, saying they go in the query string', async () => {
    const res = await t.http
      .post('/v1/link-batches')
      .set(c.ministry.auth)
      .set('Content-Type', 'text/csv')
      .send(`url\n${shopeeUrl()}\n`);
    const problem = expectProblem(res, 400);
    expect(problem.errors).toEqual([
      { path: 'reference', message: 'reference is required' },
      { path: 'legalBasis', message: 'legalBasis is required' },
    ]);
    expect(problem.detail).toBe(
      'A text/csv batch carries its fields as query parameters, ?reference=…&legalBasis=… (and optionally category, note, dueAt, priority): reference: reference is required; legalBasis: legalBasis is required',
    );
  });

  it.each([
    [{ reference: 'x', legalBasis: 'y', links: [] }, 'links'],
    [{ reference: 'x', legalBasis: 'y', links: [{ url: 1 }] }, 'links[0].url'],
    [
      { reference: 'x', legalBasis: 'y', links: [{ url: 'https://shopee.co.id/a-i.1.2', id: 'x' }] },
      'links[0].id',
    ],
    [{ reference: 'x', legalBasis: 'y', links: ['https://shopee.co.id/a-i.1.2'] }, 'links[0]'],
    [
      { reference: 'x', legalBasis: 'y', links: [{ url: 'https://shopee.co.id/a-i.1.2', keywords: 'bal' }] },
      'links[0].keywords',
    ],
    [{ legalBasis: 'y', links: [{ url: 'https://shopee.co.id/a-i.1.2' }] }, 'reference'],
    [
      {
        reference: 'x',
        legalBasis: 'y',
        status: 'completed',
        links: [{ url: 'https://shopee.co.id/a-i.1.2' }],
      },
      'status',
    ],
  ])('refuses a malformed JSON batch %j naming %s', async (body, path) => {
    const before = await t.auditCount();
    expect(expectProblem(await submit(body), 400).errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ path })]),
    );
    expect(await t.auditCount()).toBe(before);
  });

  it('answers 422 with per-item reasons when no link is accepted, and creates no batch', async () => {
    const batches = await countRows('link_batches');
    const open = shopeeUrl();
    await submit(batch([open])).expect(201);
    const res = await submit(batch(['nope', open]));
    const problem = expectProblem(res, 422);
    expect(problem.errors).toEqual([
      { path: 'links[0]', message: 'invalid_url' },
      { path: 'links[1]', message: expect.stringMatching(/^duplicate of open link [0-9a-f-]{36}$/) },
    ]);
    expect(await countRows('link_batches')).toBe(batches + 1);
  });

  it('keeps the listing evidence a JSON batch sends with a link, in the link and in its created event', async () => {
    const url = shopeeUrl();
    const listing = {
      title: 'Bal pakaian bekas',
      sellerRef: 'toko-bal-9',
      imageHashes: [{ algorithm: 'phash', hash: '8f373714acfcf4d0' }],
    };
    const res = await submit({ ...batch([]), links: [{ url, listing }] }).expect(201);
    expect(res.body.counts.accepted).toBe(1);
    const [link] = (await t.http.get(`/v1/links?batchId=${res.body.id}`).set(c.ministry.auth).expect(200))
      .body.items;
    expect(link.listing).toEqual(listing);
    const [row] = await t.db.query(`SELECT seller_ref FROM links WHERE id = $1`, [link.id]);
    expect(row.seller_ref).toBe('toko-bal-9');
    const history = (await t.http.get(`/v1/links/${link.id}`).set(c.ministry.auth).expect(200)).body.history;
    expect(history[0].data.listing).toEqual(listing);
  });

  it('rejects a link whose listing is malformed, saying why, and accepts the others', async () => {
    const before = await t.auditCount();
    const bad = shopeeUrl();
    const res = await submit({
      ...batch([]),
      links: [
        { url: bad, listing: { imageHashes: [{ algorithm: 'phash', hash: 'XYZ' }] } },
        { url: shopeeUrl() },
      ],
    }).expect(201);
    expect(res.body.rejected).toEqual([
      {
        index: 0,
        url: bad,
        reason: 'invalid_listing',
        detail: 'listing.imageHashes[0].hash must be 16 lower-case hex characters for phash',
      },
    ]);
    expect(res.body.counts.accepted).toBe(1);
    expect(await t.auditCount()).toBe(before + 2);
    const links = await countRows('links');
    const only = await submit({ ...batch([]), links: [{ url: shopeeUrl(), listing: 'x' }] });
    expect(expectProblem(only, 422).errors).toEqual([
      { path: 'links[0]', message: 'invalid_listing: listing must be an object' },
    ]);
    expect([await countRows('links'), await t.auditCount()]).toEqual([links, before + 2]);
  });

  it('reports a listing already open in another batch as a duplicate pointing at the open link', async () => {
    const url = tokopediaUrl('dupshop');
    const {
      links: [open],
    } = await submitBatch(t, c, [url]);
    const second = await submit(
      batch([url.toUpperCase().replace('HTTPS://WWW.', 'https://m.'), shopeeUrl()]),
    ).expect(201);
    expect(second.body.duplicates).toEqual([
      { index: 0, url: expect.any(String), existingLinkId: open.id, coNotified: false },
    ]);
    expect(second.body.counts).toEqual({
      accepted: 1,
      duplicate: 1,
      rejected: 0,
      relisted: 0,
      coNotified: 0,
    });
  });

  it('opens each listing once when two batches with the same listings arrive at the same time', async () => {
    const urls = Array.from({ length: 60 }, (_, i) => (i % 2 ? shopeeUrl('Race') : tokopediaUrl('raceshop')));
    const [a, b] = await Promise.all([submit(batch(urls)), submit(batch([...urls].reverse()))]);
    const statuses = [a.status, b.status].sort();
    // Both may be created (splitting the listings) or one may find every listing taken (422).
    expect(statuses.every((s) => s === 201 || s === 422)).toBe(true);
    const accepted = [a, b]
      .filter((r) => r.status === 201)
      .reduce((n, r) => n + (r.body.counts.accepted as number), 0);
    expect(accepted).toBe(60);
    const [{ n }] = await t.db.query(
      `SELECT count(*)::int AS n FROM (SELECT marketplace_id, listing_key FROM links WHERE status IN ('pending','acknowledged')
        GROUP BY 1, 2 HAVING count(*) > 1) d`,
    );
    expect(n).toBe(0);
  });

  it('makes a second open link for a listing impossible in PostgreSQL itself', async () => {
    const res = await submit(batch([shopeeUrl('Unique')])).expect(201);
    await expect(
      t.db.query(
        `INSERT INTO links (id, batch_id, marketplace_id, url, canonical_url, listing_key, status, due_at, created_at, updated_at)
         SELECT gen_random_uuid(), batch_id, marketplace_id, url, canonical_url, listing_key, 'acknowledged', due_at, now(), now()
           FROM links WHERE batch_id = $1`,
        [res.body.id],
      ),
    ).rejects.toThrow(/uq_links_open_listing/);
  });

  it('flags a listing that reappears after its takedown as relisted, pointing at the earlier link', async () => {
    const url = shopeeUrl('Jaket-Bekas');
    const {
      links: [link],
    } = await submitBatch(t, c, [url]);
    await t.http
      .post('/v1/links/acknowledgements')
      .set(c.shopee.auth)
      .send({ items: [{ linkId: link.id, status: 'taken_down' }] })
      .expect(200);
    const renamed = url.replace('Jaket-Bekas', 'Jaket-Preloved-Premium');
    const again = await submit(batch([renamed])).expect(201);
    expect(again.body.relisted).toEqual([
      { index: 0, url: renamed, linkId: expect.any(String), priorLinkIds: [link.id] },
    ]);
    expect(again.body.counts.relisted).toBe(1);
    const detail = (
      await t.http.get(`/v1/links/${again.body.relisted[0].linkId}`).set(c.ministry.auth).expect(200)
    ).body;
    expect(detail).toEqual(expect.objectContaining({ relisted: true, priorLinkIds: [link.id] }));
    const relistedOnly = (await t.http.get('/v1/links?relisted=true').set(c.ministry.auth)).body.items;
    expect(relistedOnly.map((l: { id: string }) => l.id)).toContain(detail.id);
  });

  it('leaves no batch, link or audit event when a batch fails midway', async () => {
    await t.db.query(`CREATE FUNCTION test_explode() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.canonical LIKE '%Explode-Here%' THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$`);
    await t.db.query(
      'CREATE TRIGGER test_explode BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION test_explode()',
    );
    try {
      const [batches, links, events] = [
        await countRows('link_batches'),
        await countRows('links'),
        await t.auditCount(),
      ];
      const urls = [
        ...Array.from({ length: 50 }, () => shopeeUrl()),
        shopeeUrl('Explode-Here'),
        ...Array.from({ length: 50 }, () => tokopediaUrl()),
      ];
      // The injected fault's 500 is outside the contract by definition, so it goes past the contract check.
      const res = await request(t.app.getHttpServer() as Parameters<typeof request>[0])
        .post('/v1/link-batches')
        .set(c.ministry.auth)
        .send(batch(urls));
      expectProblem(res, 500);
      expect([await countRows('link_batches'), await countRows('links'), await t.auditCount()]).toEqual([
        batches,
        links,
        events,
      ]);
    } finally {
      await t.db.query('DROP TRIGGER test_explode ON audit_events');
      await t.db.query('DROP FUNCTION test_explode()');
    }
  });

  it('replays a batch submitted again with the same Idempotency-Key', async () => {
    const body = batch([shopeeUrl(), tokopediaUrl()]);
    const first = await t.http
      .post('/v1/link-batches')
      .set(c.ministry.auth)
      .set('Idempotency-Key', 'batch-1')
      .send(body)
      .expect(201);
    const before = await t.auditCount();
    const again = await t.http
      .post('/v1/link-batches')
      .set(c.ministry.auth)
      .set('Idempotency-Key', 'batch-1')
      .send(body)
      .expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await t.auditCount()).toBe(before);
  });

  it('derives batch status from its links: open, in_progress, completed; and cancels', async () => {
    const { batchId: id, links } = await submitBatch(t, c, [shopeeUrl(), shopeeUrl(), tokopediaUrl()]);
    const shopeeLinks = links.filter((l) => l.marketplaceId === c.shopee.marketplaceId);
    const status = async () =>
      (await t.http.get(`/v1/link-batches/${id}`).set(c.ministry.auth).expect(200)).body;
    expect((await status()).status).toBe('open');
    await t.http
      .post('/v1/links/acknowledgements')
      .set(c.shopee.auth)
      .send({ items: shopeeLinks.map((l) => ({ linkId: l.id, status: 'taken_down' })) })
      .expect(200);
    const mid = await status();
    expect(mid).toEqual(expect.objectContaining({ status: 'in_progress', linkCount: 3, overdue: 0 }));
    expect(mid.statusCounts).toEqual({
      pending: 1,
      acknowledged: 0,
      taken_down: 2,
      not_found: 0,
      rejected: 0,
      withdrawn: 0,
      reinstated: 0,
    });
    // The marketplace sees only its part: its links count and status.
    const shopeeView = (await t.http.get(`/v1/link-batches/${id}`).set(c.shopee.auth).expect(200)).body;
    expect(shopeeView).toEqual(expect.objectContaining({ status: 'completed', linkCount: 2 }));
    expect(shopeeView.byMarketplace).toHaveLength(1);

    const before = await t.auditCount();
    const cancelled = await t.http
      .post(`/v1/link-batches/${id}/cancel`)
      .set(c.ministry.auth)
      .send({ reason: 'sent in error' })
      .expect(200);
    expect(cancelled.body).toEqual(
      expect.objectContaining({ status: 'cancelled', cancelReason: 'sent in error' }),
    );
    expect(cancelled.body.statusCounts).toEqual(
      expect.objectContaining({ taken_down: 2, withdrawn: 1, pending: 0 }),
    );
    expect(await t.auditCount()).toBe(before + 2);
    const again = await t.http
      .post(`/v1/link-batches/${id}/cancel`)
      .set(c.ministry.auth)
      .send({ reason: 'again' });
    expect(expectProblem(again, 409).detail).toMatch(/already cancelled/);
    expect(await t.auditCount()).toBe(before + 2);
  });

  it('counts for a marketplace only its own links of a batch, in the list and in the detail', async () => {
    const id = (await submit(batch([shopeeUrl(), shopeeUrl(), tokopediaUrl()])).expect(201)).body
      .id as string;
    for (const [party, linkCount] of [
      [c.ministry, 3],
      [c.association, 3],
      [c.shopee, 2],
      [c.tokopedia, 1],
    ] as const) {
      const listed = (await t.http.get('/v1/link-batches?limit=1000').set(party.auth).expect(200)).body.items;
      expect(listed.find((b: { id: string }) => b.id === id)).toEqual(expect.objectContaining({ linkCount }));
      const detail = (await t.http.get(`/v1/link-batches/${id}`).set(party.auth).expect(200)).body;
      expect(detail).toEqual(expect.objectContaining({ linkCount }));
    }
  });

  it('lists batches newest first with status and date filters and a cursor', async () => {
    const all = (await t.http.get('/v1/link-batches?limit=1000').set(c.ministry.auth).expect(200)).body.items;
    const pages: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: { id: string }[]; nextCursor: string | null } } = await t.http
        .get('/v1/link-batches')
        .query({ limit: 3, ...(cursor ? { cursor } : {}) })
        .set(c.association.auth)
        .expect(200);
      pages.push(...res.body.items.map((b) => b.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(pages).toEqual(all.map((b: { id: string }) => b.id));
    const cancelled = (await t.http.get('/v1/link-batches?status=cancelled').set(c.ministry.auth)).body.items;
    expect(cancelled.length).toBeGreaterThan(0);
    expect(cancelled.every((b: { status: string }) => b.status === 'cancelled')).toBe(true);
    const future = (
      await t.http
        .get(`/v1/link-batches?createdFrom=${new Date(Date.now() + 60_000).toISOString()}`)
        .set(c.ministry.auth)
    ).body;
    expect(future.items).toEqual([]);
  });
  it('a batch naming a listing whose open link is being taken down that moment duplicates it or is its relisting', async () => {
    // The acknowledgement carries 300 other links so the two transactions overlap.
    for (let round = 0; round < 8; round++) {
      const url = shopeeUrl();
      const { links } = await submitBatch(t, c, [url, ...Array.from({ length: 300 }, () => shopeeUrl())]);
      const items = links.map((l) => ({ linkId: l.id, status: 'taken_down' }));
      const [acked, submitted] = await Promise.all([
        t.http.post('/v1/links/acknowledgements').set(c.shopee.auth).send({ items }),
        t.http
          .post('/v1/link-batches')
          .set(c.ministry.auth)
          .send(batch([url, ...Array.from({ length: 300 }, () => shopeeUrl())])),
      ]);
      expect(acked.status).toBe(200);
      expect(submitted.status).toBe(201);
      const [again] = await t.db.query<{ prior_link_ids: string[] }[]>(
        `SELECT prior_link_ids FROM links WHERE url = $1 AND id <> $2`,
        [url, links[0].id],
      );
      // Either the batch went first and found the link still open, or it went second and knows it was taken down.
      const duplicate = (submitted.body.duplicates as { index: number; existingLinkId: string }[]).find(
        (d) => d.index === 0,
      );
      const seen = again ? again.prior_link_ids : [duplicate?.existingLinkId];
      expect({ round, seen }).toEqual({ round, seen: [links[0].id] });
    }
  });
});
