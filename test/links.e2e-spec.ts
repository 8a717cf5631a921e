import { createTestApp, TestApp } from './support/app';
import { Campaign, setUpCampaign, shopeeUrl, submitBatch } from './support/campaign';
import { expectProblem } from './support/problem';

describe('links and acknowledgements', () => {
  let t: TestApp;
  let c: Campaign;
  beforeAll(async () => {
    t = await createTestApp();
    c = await setUpCampaign(t);
  });
  afterAll(() => t.close());

  /** n fresh pending Shopee links. */
  const newLinks = async (n: number, slug = 'Kemeja'): Promise<string[]> => {
    const { links } = await submitBatch(
      t,
      c,
      Array.from({ length: n }, () => shopeeUrl(slug)),
    );
    return links.map((l) => l.id);
  };
  const ack = (items: object[], party = c.shopee) =>
    t.http.post('/v1/links/acknowledgements').set(party.auth).send({ items });
  const statusOf = async (id: string) =>
    (await t.http.get(`/v1/links/${id}`).set(c.ministry.auth).expect(200)).body.status as string;
  const moveTo = async (id: string, path: string[]) => {
    for (const status of path)
      await ack([
        { linkId: id, status, ...(status === 'rejected' ? { reason: 'not infringing' } : {}) },
      ]).expect(200);
  };

  it.each([
    [[], 'acknowledged'],
    [[], 'taken_down'],
    [[], 'not_found'],
    [[], 'rejected'],
    [['acknowledged'], 'taken_down'],
    [['acknowledged'], 'not_found'],
    [['acknowledged'], 'rejected'],
  ])('after %j a marketplace may report %s, writing one event', async (path, to) => {
    const [id] = await newLinks(1);
    await moveTo(id, path);
    const before = await t.auditCount();
    const res = await ack([
      { linkId: id, status: to, ...(to === 'rejected' ? { reason: 'listing is new stock' } : {}) },
    ]).expect(200);
    expect(res.body.results).toEqual([{ linkId: id, ok: true, status: to }]);
    expect(await statusOf(id)).toBe(to);
    expect(await t.auditCount()).toBe(before + 1);
  });

  it.each([
    [['acknowledged'], 'acknowledged', true],
    [['taken_down'], 'taken_down', true],
    [['taken_down'], 'acknowledged', false],
    [['taken_down'], 'not_found', false],
    [['not_found'], 'taken_down', false],
    [['rejected'], 'acknowledged', false],
    [['acknowledged', 'taken_down'], 'rejected', false],
  ])('after %j reporting %s is ok=%s and writes nothing', async (path, to, ok) => {
    const [id] = await newLinks(1);
    await moveTo(id, path);
    const before = await t.auditCount();
    const res = await ack([{ linkId: id, status: to, ...(to === 'rejected' ? { reason: 'x' } : {}) }]).expect(
      200,
    );
    const current = path[path.length - 1];
    expect(res.body.results).toEqual([
      ok
        ? { linkId: id, ok: true, status: current }
        : { linkId: id, ok: false, status: current, error: 'invalid_transition' },
    ]);
    expect(await statusOf(id)).toBe(current);
    expect(await t.auditCount()).toBe(before);
  });

  it('refuses a withdrawn link any further report', async () => {
    const [id] = await newLinks(1);
    await t.http
      .post(`/v1/links/${id}/withdraw`)
      .set(c.ministry.auth)
      .send({ reason: 'duplicate report' })
      .expect(200);
    const res = await ack([{ linkId: id, status: 'taken_down' }]).expect(200);
    expect(res.body.results[0]).toEqual({
      linkId: id,
      ok: false,
      status: 'withdrawn',
      error: 'invalid_transition',
    });
  });

  it('judges items one by one and writes one event per link changed', async () => {
    const [a, b, cLink, d] = await newLinks(4);
    const before = await t.auditCount();
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const res = await ack([
      {
        linkId: a,
        status: 'taken_down',
        listing: { title: 'Kemeja flanel bekas', sellerRef: 'seller-77', price: 45000, currency: 'IDR' },
      },
      { linkId: b, status: 'rejected' },
      { linkId: cLink, status: 'acknowledged', at: future },
      { linkId: d, status: 'acknowledged', at: '2001-01-01T00:00:00Z' },
      { linkId: '6f9619ff-8b86-4011-b42d-00cf4fc964ff', status: 'acknowledged' },
      { linkId: 'not-a-uuid', status: 'acknowledged' },
      { linkId: cLink, status: 'deleted' },
      { linkId: cLink, status: 'acknowledged', extra: 1 },
      { linkId: d, status: 'acknowledged' },
      { linkId: d, status: 'taken_down' },
    ]).expect(200);
    expect(res.body.results).toEqual([
      { linkId: a, ok: true, status: 'taken_down' },
      { linkId: b, ok: false, status: null, error: 'reason is required when status is rejected' },
      { linkId: cLink, ok: false, status: 'pending', error: 'at must not be in the future' },
      { linkId: d, ok: false, status: 'pending', error: 'at must not be before the link was created' },
      { linkId: '6f9619ff-8b86-4011-b42d-00cf4fc964ff', ok: false, status: null, error: 'not_found' },
      { linkId: 'not-a-uuid', ok: false, status: null, error: 'linkId must be a UUID' },
      { linkId: cLink, ok: false, status: null, error: expect.stringMatching(/^status must be one of/) },
      { linkId: cLink, ok: false, status: null, error: 'property extra is not allowed' },
      { linkId: d, ok: true, status: 'acknowledged' },
      { linkId: d, ok: true, status: 'taken_down' },
    ]);
    expect(await t.auditCount()).toBe(before + 3);
    const detail = (await t.http.get(`/v1/links/${a}`).set(c.ministry.auth).expect(200)).body;
    expect(detail.listing).toEqual({
      title: 'Kemeja flanel bekas',
      sellerRef: 'seller-77',
      price: 45000,
      currency: 'IDR',
    });
    expect(detail.history.map((e: { action: string }) => e.action)).toEqual([
      'link.created',
      'link.taken_down',
    ]);
    expect(detail.resolvedAt).toEqual(expect.any(String));
  });

  it('records the reported time of action as the time of takedown', async () => {
    const [id] = await newLinks(1);
    await new Promise((r) => setTimeout(r, 20));
    const at = new Date(Date.now() - 5).toISOString();
    await ack([{ linkId: id, status: 'taken_down', at }]).expect(200);
    expect((await t.http.get(`/v1/links/${id}`).set(c.ministry.auth)).body.resolvedAt).toBe(at);
  });

  it("judges an item with text PostgreSQL cannot hold as that item's error, and the other items normally", async () => {
    const ids = await newLinks(1000, 'Nul');
    const bad: [object, string][] = [
      [{ status: 'rejected', reason: 'not\u0000ours' }, 'reason must not contain the NUL character (U+0000)'],
      [
        { status: 'taken_down', listing: { title: 'Kemeja\u0000' } },
        'listing.title must not contain the NUL character (U+0000)',
      ],
      [
        { status: 'taken_down', listing: { sellerRef: '\u0000' } },
        'listing.sellerRef must not contain the NUL character (U+0000)',
      ],
      [
        { status: 'acknowledged', listing: { sellerName: 'Toko \u0000' } },
        'listing.sellerName must not contain the NUL character (U+0000)',
      ],
      [
        { status: 'taken_down', listing: { title: 'half a pair \ud800' } },
        'listing.title must be well-formed Unicode (a lone surrogate is not)',
      ],
      [
        { status: 'rejected', reason: '\udc00 alone' },
        'reason must be well-formed Unicode (a lone surrogate is not)',
      ],
    ];
    const at = (i: number) => i * 97;
    const items: object[] = ids.map((linkId) => ({ linkId, status: 'acknowledged' }));
    bad.forEach(([item], i) => (items[at(i)] = { linkId: ids[at(i)], ...item }));
    const before = await t.auditCount();
    const res = await ack(items).expect(200);
    const expected: object[] = ids.map((linkId) => ({ linkId, ok: true, status: 'acknowledged' }));
    bad.forEach(([, error], i) => (expected[at(i)] = { linkId: ids[at(i)], ok: false, status: null, error }));
    expect(res.body.results).toEqual(expected);
    expect(await t.auditCount()).toBe(before + ids.length - bad.length);
    expect(await statusOf(ids[at(0)])).toBe('pending');
    expect(await statusOf(ids[1])).toBe('acknowledged');
  });

  it('refuses an envelope that is not an object of 1 to 5,000 items with 400', async () => {
    expectProblem(
      await t.http.post('/v1/links/acknowledgements').set(c.shopee.auth).send({ items: [] }),
      400,
    );
    for (const body of [{ items: 'x' }, { items: null }, {}, [{ linkId: c.shopee.marketplaceId }]])
      expectProblem(await t.http.post('/v1/links/acknowledgements').set(c.shopee.auth).send(body), 400);
    const tooMany = Array.from({ length: 5001 }, () => ({
      linkId: '6f9619ff-8b86-4011-b42d-00cf4fc964ff',
      status: 'acknowledged',
    }));
    expectProblem(
      await t.http.post('/v1/links/acknowledgements').set(c.shopee.auth).send({ items: tooMany }),
      400,
    );
  });

  it('withdraws pending and acknowledged links, once; a final link answers 409 with its status', async () => {
    const [p, a, done] = await newLinks(3);
    await moveTo(a, ['acknowledged']);
    await moveTo(done, ['taken_down']);
    const before = await t.auditCount();
    for (const id of [p, a]) {
      const res = await t.http
        .post(`/v1/links/${id}/withdraw`)
        .set(c.ministry.auth)
        .send({ reason: 'complaint withdrawn' })
        .expect(200);
      expect(res.body).toEqual(
        expect.objectContaining({ status: 'withdrawn', statusReason: 'complaint withdrawn' }),
      );
    }
    await t.http.post(`/v1/links/${p}/withdraw`).set(c.ministry.auth).send({ reason: 'again' }).expect(200);
    expect(await t.auditCount()).toBe(before + 2);
    const refused = await t.http
      .post(`/v1/links/${done}/withdraw`)
      .set(c.ministry.auth)
      .send({ reason: 'too late' });
    expect(expectProblem(refused, 409).detail).toMatch(/taken_down/);
    expectProblem(await t.http.post(`/v1/links/${p}/withdraw`).set(c.ministry.auth).send({}), 400);
    expectProblem(
      await t.http
        .post('/v1/links/6f9619ff-8b86-4011-b42d-00cf4fc964ff/withdraw')
        .set(c.ministry.auth)
        .send({ reason: 'x' }),
      404,
    );
  });

  it.each([
    [
      'withdrawn',
      (id: string) =>
        t.http.post(`/v1/links/${id}/withdraw`).set(c.ministry.auth).send({ reason: 'complaint withdrawn' }),
    ],
    [
      'withdrawn by cancelling its batch',
      async (id: string) => {
        const { batchId } = (await t.http.get(`/v1/links/${id}`).set(c.ministry.auth).expect(200)).body;
        return t.http
          .post(`/v1/link-batches/${batchId}/cancel`)
          .set(c.ministry.auth)
          .send({ reason: 'error' });
      },
    ],
  ])('shows the marketplace its own link %s, in its history and in the audit events', async (_, withdraw) => {
    const [id] = await newLinks(1);
    expect((await withdraw(id)).status).toBe(200);
    const history = (await t.http.get(`/v1/links/${id}`).set(c.shopee.auth).expect(200)).body.history;
    expect(history.map((e: { action: string }) => e.action)).toEqual(['link.created', 'link.withdrawn']);
    const events = (await t.http.get(`/v1/audit-events?entityId=${id}`).set(c.shopee.auth).expect(200)).body;
    expect(events.items.map((e: { action: string }) => e.action)).toEqual(['link.created', 'link.withdrawn']);
    const other = (await t.http.get(`/v1/audit-events?entityId=${id}`).set(c.tokopedia.auth).expect(200))
      .body;
    expect(other.items).toEqual([]);
  });

  it('shows a repeat seller to the ministry, association and police roles but computes nothing for marketplaces', async () => {
    const [first, second, third] = await newLinks(3, 'Repeat');
    await ack([
      { linkId: first, status: 'taken_down', listing: { sellerRef: 'toko-bal-99' } },
      { linkId: second, status: 'taken_down', listing: { sellerRef: 'toko-bal-99' } },
      { linkId: third, status: 'acknowledged', listing: { sellerRef: 'toko-bal-99' } },
    ]).expect(200);
    const seen = (await t.http.get(`/v1/links/${third}`).set(c.ministry.auth)).body;
    expect(seen.repeatSeller).toEqual({ sellerRef: 'toko-bal-99', priorTakedowns: 2 });
    expect((await t.http.get(`/v1/links/${third}`).set(c.association.auth)).body.repeatSeller).toEqual({
      sellerRef: 'toko-bal-99',
      priorTakedowns: 2,
    });
    expect((await t.http.get(`/v1/links/${third}`).set(c.shopee.auth)).body.repeatSeller).toBeUndefined();
  });

  it('filters links by status, overdue and updatedSince, and pages them', async () => {
    const ids = await newLinks(5, 'Filter');
    const since = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    await ack([{ linkId: ids[0], status: 'acknowledged' }]).expect(200);
    const changed = (await t.http.get(`/v1/links?updatedSince=${since}`).set(c.shopee.auth).expect(200)).body
      .items;
    expect(changed.map((l: { id: string }) => l.id)).toEqual([ids[0]]);
    const acked = (await t.http.get('/v1/links?status=acknowledged&limit=1000').set(c.ministry.auth)).body
      .items;
    expect(acked.every((l: { status: string }) => l.status === 'acknowledged')).toBe(true);
    await t.db.query(`UPDATE links SET due_at = now() - interval '1 hour' WHERE id = $1`, [ids[1]]);
    const overdue = (await t.http.get('/v1/links?overdue=true&limit=1000').set(c.ministry.auth)).body.items;
    expect(overdue.map((l: { id: string }) => l.id)).toEqual([ids[1]]);
    expect(overdue[0].overdue).toBe(true);
    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const res: { body: { items: { id: string }[]; nextCursor: string | null } } = await t.http
        .get('/v1/links')
        .query({ limit: 4, marketplaceId: c.shopee.marketplaceId, ...(cursor ? { cursor } : {}) })
        .set(c.ministry.auth)
        .expect(200);
      for (const l of res.body.items) seen.add(l.id);
      cursor = res.body.nextCursor;
    } while (cursor);
    const [{ n }] = await t.db.query('SELECT count(*)::int AS n FROM links WHERE marketplace_id = $1', [
      c.shopee.marketplaceId,
    ]);
    expect(seen.size).toBe(n);
    expectProblem(await t.http.get('/v1/links?status=gone').set(c.ministry.auth), 400);
    expectProblem(await t.http.get('/v1/links?overdue=yes').set(c.ministry.auth), 400);
  });
});
