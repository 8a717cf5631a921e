import { Role } from '../src/auth/actor';
import { createTestApp, Party, TestApp } from './support/app';
import {
  batch,
  Campaign,
  setUpCampaign,
  shopeeUrl,
  SubmittedLink,
  submitBatch,
  tokopediaUrl,
} from './support/campaign';
import { expectProblem } from './support/problem';

describe('isolation between parties', () => {
  let t: TestApp;
  let c: Campaign;
  let batchId: string;
  let shopeeLink: string;
  let tokopediaLink: string;
  let keywordId: string;
  let parties: Record<Role, Party>;

  beforeAll(async () => {
    t = await createTestApp();
    c = await setUpCampaign(t);
    let links: SubmittedLink[];
    ({ batchId, links } = await submitBatch(t, c, [shopeeUrl(), tokopediaUrl()]));
    shopeeLink = links.find((l) => l.marketplaceId === c.shopee.marketplaceId)!.id;
    tokopediaLink = links.find((l) => l.marketplaceId === c.tokopedia.marketplaceId)!.id;
    keywordId = (await t.http.post('/v1/keywords').set(c.ministry.auth).send({ term: 'bal' }).expect(201))
      .body.id;
    parties = {
      operator: t.operator,
      ministry: c.ministry,
      marketplace: c.shopee,
      association: c.association,
      police: c.police,
    };
  });
  afterAll(() => t.close());

  type Row = { name: string; call: (p: Party) => Promise<{ status: number }>; expect: Record<Role, number> };
  const rows = (): Row[] => [
    {
      name: 'GET /v1/marketplaces',
      call: (p) => t.http.get('/v1/marketplaces').set(p.auth),
      expect: { operator: 200, ministry: 200, marketplace: 200, association: 200, police: 403 },
    },
    {
      name: 'GET /v1/marketplaces/{id}',
      call: (p) => t.http.get(`/v1/marketplaces/${c.tokopedia.marketplaceId}`).set(p.auth),
      expect: { operator: 200, ministry: 200, marketplace: 200, association: 200, police: 403 },
    },
    {
      name: 'POST /v1/marketplaces',
      call: (p) =>
        t.http
          .post('/v1/marketplaces')
          .set(p.auth)
          .send({ agencyId: c.tokopedia.agencyId, code: 'extra-market', name: 'x', domains: ['x.example'] }),
      expect: { operator: 201, ministry: 403, marketplace: 403, association: 403, police: 403 },
    },
    {
      name: 'PATCH /v1/marketplaces/{id}',
      call: (p) =>
        t.http
          .patch(`/v1/marketplaces/${c.tokopedia.marketplaceId}`)
          .set(p.auth)
          .send({ takedownSlaHours: 24 }),
      expect: { operator: 200, ministry: 403, marketplace: 403, association: 403, police: 403 },
    },
    {
      name: 'POST /v1/link-batches',
      call: (p) =>
        t.http
          .post('/v1/link-batches')
          .set(p.auth)
          .send(batch([shopeeUrl()])),
      expect: { operator: 403, ministry: 201, marketplace: 403, association: 403, police: 403 },
    },
    {
      name: 'GET /v1/link-batches',
      call: (p) => t.http.get('/v1/link-batches').set(p.auth),
      expect: { operator: 200, ministry: 200, marketplace: 200, association: 200, police: 403 },
    },
    {
      name: 'GET /v1/link-batches/{id}',
      call: (p) => t.http.get(`/v1/link-batches/${batchId}`).set(p.auth),
      expect: { operator: 200, ministry: 200, marketplace: 200, association: 200, police: 403 },
    },
    {
      name: 'POST /v1/link-batches/{id}/cancel (unknown id)',
      call: (p) =>
        t.http
          .post('/v1/link-batches/6f9619ff-8b86-4011-b42d-00cf4fc964ff/cancel')
          .set(p.auth)
          .send({ reason: 'x' }),
      expect: { operator: 403, ministry: 404, marketplace: 403, association: 403, police: 403 },
    },
    {
      name: 'GET /v1/links',
      call: (p) => t.http.get('/v1/links').set(p.auth),
      expect: { operator: 200, ministry: 200, marketplace: 200, association: 200, police: 403 },
    },
    {
      name: 'GET /v1/links/{own or any}',
      call: (p) => t.http.get(`/v1/links/${shopeeLink}`).set(p.auth),
      expect: { operator: 200, ministry: 200, marketplace: 200, association: 200, police: 403 },
    },
    {
      name: "GET /v1/links/{another marketplace's}",
      call: (p) => t.http.get(`/v1/links/${tokopediaLink}`).set(p.auth),
      expect: { operator: 200, ministry: 200, marketplace: 404, association: 200, police: 403 },
    },
    {
      name: 'POST /v1/links/acknowledgements',
      call: (p) =>
        t.http
          .post('/v1/links/acknowledgements')
          .set(p.auth)
          .send({ items: [{ linkId: shopeeLink, status: 'acknowledged' }] }),
      expect: { operator: 403, ministry: 403, marketplace: 200, association: 403, police: 403 },
    },
    {
      name: 'POST /v1/links/{id}/withdraw (unknown id)',
      call: (p) =>
        t.http
          .post('/v1/links/6f9619ff-8b86-4011-b42d-00cf4fc964ff/withdraw')
          .set(p.auth)
          .send({ reason: 'x' }),
      expect: { operator: 403, ministry: 404, marketplace: 403, association: 403, police: 403 },
    },
    {
      name: 'GET /v1/keywords',
      call: (p) => t.http.get('/v1/keywords').set(p.auth),
      expect: { operator: 200, ministry: 200, marketplace: 200, association: 200, police: 403 },
    },
    {
      name: 'POST /v1/keywords',
      call: (p) =>
        t.http
          .post('/v1/keywords')
          .set(p.auth)
          .send({ term: `term-${p.role}` }),
      expect: { operator: 403, ministry: 201, marketplace: 403, association: 403, police: 403 },
    },
    {
      name: 'DELETE /v1/keywords/{id}',
      call: (p) => t.http.delete(`/v1/keywords/${keywordId}`).set(p.auth),
      expect: { operator: 403, ministry: 200, marketplace: 403, association: 403, police: 403 },
    },
    {
      name: 'GET /v1/stats/takedowns',
      call: (p) => t.http.get('/v1/stats/takedowns').set(p.auth),
      expect: { operator: 200, ministry: 200, marketplace: 200, association: 200, police: 403 },
    },
  ];

  it('answers every route for every role as the contract says', async () => {
    for (const row of rows()) {
      const got: Partial<Record<Role, number>> = {};
      for (const role of Object.keys(row.expect) as Role[])
        got[role] = (await row.call(parties[role])).status;
      expect({ route: row.name, got }).toEqual({ route: row.name, got: row.expect });
    }
  });

  it("keeps a marketplace from acknowledging another marketplace's link, changing nothing", async () => {
    const before = await t.auditCount();
    const res = await t.http
      .post('/v1/links/acknowledgements')
      .set(c.shopee.auth)
      .send({ items: [{ linkId: tokopediaLink, status: 'taken_down' }] })
      .expect(200);
    expect(res.body.results).toEqual([
      { linkId: tokopediaLink, ok: false, status: null, error: 'not_found' },
    ]);
    expect((await t.http.get(`/v1/links/${tokopediaLink}`).set(c.ministry.auth)).body.status).toBe('pending');
    expect(await t.auditCount()).toBe(before);
  });

  it('lists, counts and shows a marketplace only its own links', async () => {
    const links = (await t.http.get('/v1/links?limit=1000').set(c.shopee.auth)).body.items;
    expect(links.length).toBeGreaterThan(0);
    expect(links.every((l: { marketplaceId: string }) => l.marketplaceId === c.shopee.marketplaceId)).toBe(
      true,
    );
    const foreign = (
      await t.http.get(`/v1/links?marketplaceId=${c.tokopedia.marketplaceId}`).set(c.shopee.auth)
    ).body.items;
    expect(foreign).toEqual([]);
    const detail = (await t.http.get(`/v1/link-batches/${batchId}`).set(c.shopee.auth)).body;
    expect(detail.byMarketplace.map((m: { code: string }) => m.code)).toEqual(['shopee']);
    expect(detail.linkCount).toBe(1);
    const stats = (await t.http.get('/v1/stats/takedowns').set(c.shopee.auth)).body.marketplaces;
    expect(stats.map((s: { code: string }) => s.code)).toEqual(['shopee']);
    const events = (await t.http.get('/v1/audit-events?entityType=link&limit=1000').set(c.shopee.auth)).body
      .items;
    expect(events.some((e: { entityId: string }) => e.entityId === tokopediaLink)).toBe(false);
    expect(events.some((e: { entityId: string }) => e.entityId === shopeeLink)).toBe(true);
  });

  it("hides a batch holding none of a marketplace's links from it", async () => {
    const only = await t.http
      .post('/v1/link-batches')
      .set(c.ministry.auth)
      .send(batch([tokopediaUrl()]))
      .expect(201);
    expectProblem(await t.http.get(`/v1/link-batches/${only.body.id}`).set(c.shopee.auth), 404);
    const listed = (await t.http.get('/v1/link-batches?limit=1000').set(c.shopee.auth)).body.items;
    expect(listed.some((b: { id: string }) => b.id === only.body.id)).toBe(false);
  });

  it('lets the association read everything and write nothing', async () => {
    const before = await t.auditCount();
    expectProblem(
      await t.http.post(`/v1/links/${shopeeLink}/withdraw`).set(c.association.auth).send({ reason: 'x' }),
      403,
    );
    expectProblem(
      await t.http.post(`/v1/link-batches/${batchId}/cancel`).set(c.association.auth).send({ reason: 'x' }),
      403,
    );
    expect(await t.auditCount()).toBe(before);
    const stats = (await t.http.get('/v1/stats/takedowns').set(c.association.auth)).body.marketplaces;
    expect(stats.length).toBeGreaterThanOrEqual(2);
  });
});

describe('marketplaces, watchlist and statistics', () => {
  let t: TestApp;
  let c: Campaign;
  beforeAll(async () => {
    t = await createTestApp();
    c = await setUpCampaign(t);
  });
  afterAll(() => t.close());

  it('gives a domain to one marketplace only', async () => {
    const other = await t.party('marketplace');
    const before = await t.auditCount();
    const res = await t.http
      .post('/v1/marketplaces')
      .set(t.operator.auth)
      .send({ agencyId: other.agencyId, code: 'copycat', name: 'Copycat', domains: ['shopee.co.id'] });
    expect(expectProblem(res, 409).detail).toMatch(/domain/);
    expect(await t.auditCount()).toBe(before);
  });

  it('refuses a marketplace for an agency that is not a marketplace, or with bad domains', async () => {
    expectProblem(
      await t.http
        .post('/v1/marketplaces')
        .set(t.operator.auth)
        .send({ agencyId: c.ministry.agencyId, code: 'not-market', name: 'x', domains: ['x.example'] }),
      422,
    );
    expectProblem(
      await t.http
        .post('/v1/marketplaces')
        .set(t.operator.auth)
        .send({ agencyId: c.shopee.agencyId, code: 'y', name: 'y', domains: ['HTTP://x'] }),
      400,
    );
    expectProblem(
      await t.http
        .post('/v1/marketplaces')
        .set(t.operator.auth)
        .send({ agencyId: c.shopee.agencyId, code: 'y', name: 'y', domains: [] }),
      400,
    );
  });

  it('updates domains and SLA with one event, and routes by the new domains', async () => {
    const before = await t.auditCount();
    const res = await t.http
      .patch(`/v1/marketplaces/${c.tokopedia.marketplaceId}`)
      .set(t.operator.auth)
      .send({ domains: ['tokopedia.com', 'tokopedia.link'], takedownSlaHours: 12 })
      .expect(200);
    expect(res.body).toEqual(
      expect.objectContaining({ domains: ['tokopedia.com', 'tokopedia.link'], takedownSlaHours: 12 }),
    );
    expect(await t.auditCount()).toBe(before + 1);
    const routed = await t.http
      .post('/v1/link-batches')
      .set(c.ministry.auth)
      .send(batch(['https://tokopedia.link/tokobaju/kemeja-x']))
      .expect(201);
    expect(routed.body.byMarketplace[0].code).toBe('tokopedia');
  });

  it('keeps the watchlist with versions, retiring terms without deleting them', async () => {
    const a = (
      await t.http
        .post('/v1/keywords')
        .set(c.ministry.auth)
        .send({ term: 'pre-optimized', note: 'code word for used' })
        .expect(201)
    ).body;
    expectProblem(
      await t.http.post('/v1/keywords').set(c.ministry.auth).send({ term: '  Pre-Optimized ' }),
      409,
    );
    const b = (await t.http.post('/v1/keywords').set(c.ministry.auth).send({ term: 'bal' }).expect(201)).body;
    const all = (await t.http.get('/v1/keywords').set(c.shopee.auth).expect(200)).body;
    expect(all.items.map((k: { term: string }) => k.term)).toEqual(['pre-optimized', 'bal']);
    const before = await t.auditCount();
    const retired = (await t.http.delete(`/v1/keywords/${a.id}`).set(c.ministry.auth).expect(200)).body;
    expect(retired).toEqual(expect.objectContaining({ status: 'retired', retiredAt: expect.any(String) }));
    await t.http.delete(`/v1/keywords/${a.id}`).set(c.ministry.auth).expect(200);
    expect(await t.auditCount()).toBe(before + 1);
    const since = (await t.http.get(`/v1/keywords?sinceVersion=${b.version}`).set(c.shopee.auth).expect(200))
      .body;
    expect(since.items).toEqual([expect.objectContaining({ id: a.id, status: 'retired' })]);
    expect(since.version).toBe(retired.version);
    expect(
      (await t.http.get('/v1/keywords').set(c.shopee.auth)).body.items.map((k: { term: string }) => k.term),
    ).toEqual(['bal']);
    await t.http.post('/v1/keywords').set(c.ministry.auth).send({ term: 'pre-optimized' }).expect(201);
    expectProblem(
      await t.http.delete('/v1/keywords/6f9619ff-8b86-4011-b42d-00cf4fc964ff').set(c.ministry.auth),
      404,
    );
  });

  it('reports median and p90 hours to takedown per marketplace', async () => {
    const { links } = await submitBatch(
      t,
      c,
      Array.from({ length: 10 }, () => shopeeUrl('Stats')),
    );
    await t.http
      .post('/v1/links/acknowledgements')
      .set(c.shopee.auth)
      .send({ items: links.map((l) => ({ linkId: l.id, status: 'taken_down' })) })
      .expect(200);
    // Put the takedowns 1..10 hours after creation.
    for (const [i, l] of links.entries()) {
      await t.db.query(
        `UPDATE links SET created_at = resolved_at - make_interval(hours => $2) WHERE id = $1`,
        [l.id, i + 1],
      );
    }
    const stats = (await t.http.get('/v1/stats/takedowns').set(c.ministry.auth).expect(200)).body
      .marketplaces;
    const shopee = stats.find((s: { code: string }) => s.code === 'shopee');
    expect(shopee).toEqual(
      expect.objectContaining({
        received: 10,
        medianHoursToTakedown: 5.5,
        p90HoursToTakedown: 9.1,
        overdue: 0,
        relisted: 0,
      }),
    );
    expect(shopee.byStatus).toEqual({
      pending: 0,
      acknowledged: 0,
      taken_down: 10,
      not_found: 0,
      rejected: 0,
      withdrawn: 0,
      reinstated: 0,
    });
    const empty = (
      await t.http
        .get(`/v1/stats/takedowns?from=${new Date(Date.now() + 86_400_000).toISOString()}`)
        .set(c.ministry.auth)
    ).body.marketplaces;
    expect(empty.find((s: { code: string }) => s.code === 'shopee')).toEqual(
      expect.objectContaining({ received: 0, medianHoursToTakedown: null }),
    );
  });
});
