import { createTestApp, Party, TestApp } from './support/app';
import { batch, Campaign, setUpCampaign, shopeeUrl, submitBatch, tokopediaUrl } from './support/campaign';
import { downloadPackage, fulfilledRequest, openPackage } from './support/evidence';
import { expectProblem } from './support/problem';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const HOUR = 3_600_000;
const hoursAgo = (h: number) => new Date(Date.now() - h * HOUR).toISOString();

describe('marketplace takedown reports', () => {
  let t: TestApp;
  let c: Campaign;
  beforeAll(async () => {
    t = await createTestApp();
    c = await setUpCampaign(t);
  });
  afterAll(() => t.close());

  let seller = 0;
  const item = (url: string, extra: Record<string, unknown> = {}) => ({
    url,
    takenDownAt: hoursAgo(2),
    listing: { title: 'Bal pakaian bekas impor', sellerRef: `toko-${++seller}` },
    ...extra,
  });
  const report = (items: unknown[], party: Party = c.shopee) =>
    t.http.post('/v1/takedown-reports').set(party.auth).send({ items });
  /**
   * What a refusal must leave as it was. `ours` counts the report's own events; matching (after the report's commit)
   * may add events of its own when listings look alike, so `events` is compared exactly only for refusals.
   */
  const counts = async () => {
    await t.matched();
    const [row] = await t.db.query<{ links: number; reports: number; ours: number }[]>(
      `SELECT (SELECT count(*)::int FROM links) AS links, (SELECT count(*)::int FROM takedown_reports) AS reports,
              (SELECT count(*)::int FROM audit_events WHERE action IN ('takedown_report.filed', 'link.created')) AS ours`,
    );
    return { ...row, events: await t.auditCount() };
  };
  /** An accepted report adds exactly its links, one report and its events (and perhaps matching's). */
  const expectAdded = async (before: Awaited<ReturnType<typeof counts>>, links: number) => {
    const after = await counts();
    expect({ ...after, events: undefined }).toEqual({
      links: before.links + links,
      reports: before.reports + 1,
      ours: before.ours + links + 1,
      events: undefined,
    });
    expect(after.events - before.events).toBeGreaterThanOrEqual(links + 1);
  };
  const linkOf = async (id: string, party: Party = c.ministry) =>
    (await t.http.get(`/v1/links/${id}`).set(party.auth).expect(200)).body;

  it('makes each accepted item a taken-down link of the marketplace, with its report, audited exactly', async () => {
    const before = await counts();
    const urls = [shopeeUrl(), shopeeUrl()];
    const at = hoursAgo(30);
    const res = await report([
      item(urls[0], {
        takenDownAt: at,
        reason: 'imported used clothing',
        category: 'used-clothing',
        listing: {
          title: 'Karung preloved',
          description: 'isi 100 pcs',
          sellerRef: 'toko-karung',
          sellerName: 'Toko Karung',
          imageHashes: [{ algorithm: 'phash', hash: '8f373714acfcf4d0' }],
        },
      }),
      item(urls[1]),
    ]).expect(200);
    expect(res.body.reportId).toMatch(UUID);
    expect(res.body.results).toEqual([
      { index: 0, ok: true, linkId: expect.stringMatching(UUID) },
      { index: 1, ok: true, linkId: expect.stringMatching(UUID) },
    ]);
    await expectAdded(before, 2);

    const link = await linkOf(res.body.results[0].linkId, c.shopee);
    expect(link).toEqual(
      expect.objectContaining({
        source: 'marketplace',
        batchId: null,
        reportId: res.body.reportId,
        marketplaceId: c.shopee.marketplaceId,
        url: urls[0],
        status: 'taken_down',
        statusReason: 'imported used clothing',
        dueAt: null,
        overdue: false,
        relisted: false,
        keywords: [],
        note: null,
        relistingSignals: [],
        resolvedAt: new Date(at).toISOString(),
        listing: {
          title: 'Karung preloved',
          description: 'isi 100 pcs',
          sellerRef: 'toko-karung',
          sellerName: 'Toko Karung',
          imageHashes: [{ algorithm: 'phash', hash: '8f373714acfcf4d0' }],
        },
      }),
    );
    expect(link.history.map((e: { action: string }) => e.action)).toEqual(['link.created']);
    expect(link.history[0].data).toEqual(
      expect.objectContaining({
        source: 'marketplace',
        reportId: res.body.reportId,
        batchId: null,
        status: 'taken_down',
        at: new Date(at).toISOString(),
        reason: 'imported used clothing',
        category: 'used-clothing',
      }),
    );
    const [row] = await t.db.query(
      `SELECT agency_id, client_id, item_count, link_count FROM takedown_reports WHERE id = $1`,
      [res.body.reportId],
    );
    expect(row).toEqual({
      agency_id: c.shopee.agencyId,
      client_id: c.shopee.clientId,
      item_count: 2,
      link_count: 2,
    });
    const [filed] = await t.db.query(
      `SELECT canonical FROM audit_events WHERE action = 'takedown_report.filed' AND entity_id = $1`,
      [res.body.reportId],
    );
    expect(JSON.parse(filed.canonical).data).toEqual({
      counts: { items: 2, accepted: 2, refused: 0, relisted: 0 },
    });
  });

  it('judges every item on its own: what is refused says why, and only the accepted items are written', async () => {
    const open = (await submitBatch(t, c, [shopeeUrl()])).links[0];
    const earlier = (await submitBatch(t, c, [shopeeUrl()])).links[0];
    await t.http
      .post('/v1/links/acknowledgements')
      .set(c.shopee.auth)
      .send({ items: [{ linkId: earlier.id, status: 'taken_down' }] })
      .expect(200);
    const reported = item(shopeeUrl());
    const first = await report([reported]).expect(200);
    const fresh = shopeeUrl();
    const before = await counts();

    const res = await report([
      item('https://example.org/listing/1'),
      item(tokopediaUrl()),
      item('not a url'),
      item(shopeeUrl(), { listing: { imageHashes: [{ algorithm: 'phash', hash: 'XYZ' }] } }),
      item(shopeeUrl(), { takenDownAt: new Date(Date.now() + HOUR).toISOString() }),
      item(shopeeUrl(), { takenDownAt: '1999-12-31T00:00:00Z' }),
      item(shopeeUrl(), { reason: 'r'.repeat(1001) }),
      item(shopeeUrl(), { listing: { title: 'nul \u0000' } }),
      item(shopeeUrl(), { listing: undefined }),
      item(open.url),
      { ...reported },
      item(fresh),
      item(fresh),
      // Taken down by the marketplace after the ministry's link was: a relisting.
      item(earlier.url, { takenDownAt: new Date().toISOString() }),
    ]).expect(200);
    const results = res.body.results as { index: number; ok: boolean; linkId?: string; error?: string }[];
    expect(results.map((r) => [r.index, r.ok, r.error])).toEqual([
      [0, false, 'unroutable'],
      [1, false, 'not_own_domain'],
      [2, false, 'invalid_url'],
      [3, false, 'listing.imageHashes[0].hash must be 16 lower-case hex characters for phash'],
      [4, false, 'takenDownAt must not be in the future'],
      [5, false, 'takenDownAt must not be before 2000-01-01T00:00:00.000Z'],
      [6, false, 'reason must be a string of 1-1000 characters'],
      [7, false, 'listing.title must not contain the NUL character (U+0000)'],
      [8, false, 'listing is required'],
      [9, false, 'open_link_exists'],
      [10, false, 'already_reported'],
      [11, true, undefined],
      [12, false, 'duplicate_in_report'],
      [13, true, undefined],
    ]);
    expect(results[9].linkId).toBe(open.id);
    expect(results[10].linkId).toBe(first.body.results[0].linkId);
    expect(results[13]).toEqual({
      index: 13,
      ok: true,
      linkId: expect.stringMatching(UUID),
      relisted: true,
      priorLinkIds: [earlier.id],
    });
    await expectAdded(before, 2);
    expect(await linkOf(results[13].linkId!)).toEqual(
      expect.objectContaining({ relisted: true, priorLinkIds: [earlier.id], source: 'marketplace' }),
    );
    expect((await linkOf(open.id)).status).toBe('pending');
  });

  it('writes nothing when no item is accepted, and says so with a null reportId', async () => {
    const reported = item(shopeeUrl());
    await report([reported]).expect(200);
    const before = await counts();
    const res = await report([item(tokopediaUrl()), reported]).expect(200);
    expect(res.body).toEqual({
      reportId: null,
      results: [
        { index: 0, ok: false, error: 'not_own_domain' },
        { index: 1, ok: false, linkId: expect.stringMatching(UUID), error: 'already_reported' },
      ],
    });
    expect(await counts()).toEqual(before);
  });

  it('reports the same listing again when it was taken down again later (a relisting)', async () => {
    const url = shopeeUrl();
    const first = await report([item(url, { takenDownAt: hoursAgo(48) })]).expect(200);
    const again = await report([item(url, { takenDownAt: hoursAgo(1) })]).expect(200);
    expect(again.body.results).toEqual([
      {
        index: 0,
        ok: true,
        linkId: expect.stringMatching(UUID),
        relisted: true,
        priorLinkIds: [first.body.results[0].linkId],
      },
    ]);
  });

  it('names as priors only the takedowns before the reported one, in the order the exchange learnt of them', async () => {
    const url = shopeeUrl();
    const idOf = async (takenDownAt: string) =>
      (await report([item(url, { takenDownAt })]).expect(200)).body.results[0] as {
        linkId: string;
        priorLinkIds?: string[];
      };
    const a = await idOf(hoursAgo(72));
    const b = await idOf(hoursAgo(24));
    // Reported after b, but taken down before it: only a came earlier.
    const c = await idOf(hoursAgo(48));
    expect(c.priorLinkIds).toEqual([a.linkId]);
    const d = await idOf(hoursAgo(1));
    expect(d.priorLinkIds).toEqual([a.linkId, b.linkId, c.linkId]);
  });

  it('writes nothing when every item has an open link, naming each', async () => {
    const [one, two] = (await submitBatch(t, c, [shopeeUrl(), shopeeUrl()])).links;
    const before = await counts();
    const res = await report([item(two.url), item(one.url)]).expect(200);
    expect(res.body).toEqual({
      reportId: null,
      results: [
        { index: 0, ok: false, linkId: two.id, error: 'open_link_exists' },
        { index: 1, ok: false, linkId: one.id, error: 'open_link_exists' },
      ],
    });
    expect(await counts()).toEqual(before);
  });

  it('keeps a marketplace to its own domains and its reported links from the others', async () => {
    const res = await report([item(shopeeUrl())]).expect(200);
    const id = res.body.results[0].linkId as string;
    expectProblem(await t.http.get(`/v1/links/${id}`).set(c.tokopedia.auth), 404);
    const listed = (await t.http.get('/v1/links?limit=1000').set(c.tokopedia.auth).expect(200)).body.items;
    expect(listed.map((l: { id: string }) => l.id)).not.toContain(id);
    expect((await report([item(shopeeUrl())], c.tokopedia).expect(200)).body.results).toEqual([
      { index: 0, ok: false, error: 'not_own_domain' },
    ]);
    // The ministry and the association see it.
    await t.http.get(`/v1/links/${id}`).set(c.association.auth).expect(200);
  });

  it.each([['ministry'], ['police'], ['association']] as const)(
    'refuses the %s (403) and changes nothing',
    async (role) => {
      const before = await counts();
      expectProblem(await report([item(shopeeUrl())], c[role]), 403);
      expect(await counts()).toEqual(before);
    },
  );

  it.each([
    ['no items', { items: [] }],
    ['items not a list', { items: 'x' }],
    ['an unknown envelope field', { items: [{}], batchId: 'x' }],
    ['5,001 items', { items: Array.from({ length: 5001 }, () => ({ url: 'x' })) }],
  ])('refuses %s with a 400 problem and changes nothing', async (_, body) => {
    const before = await counts();
    expectProblem(await t.http.post('/v1/takedown-reports').set(c.shopee.auth).send(body), 400);
    expect(await counts()).toEqual(before);
  });

  it('lists links by source', async () => {
    const res = await report([item(shopeeUrl())]).expect(200);
    const id = res.body.results[0].linkId as string;
    const ministryLink = (await submitBatch(t, c, [shopeeUrl()])).links[0];
    const bySource = async (source: string) =>
      (
        await t.http.get(`/v1/links?source=${source}&limit=1000`).set(c.ministry.auth).expect(200)
      ).body.items.map((l: { id: string; source: string }) => [l.id, l.source]);
    const marketplace = await bySource('marketplace');
    expect(marketplace).toContainEqual([id, 'marketplace']);
    expect(marketplace.every(([, s]: string[]) => s === 'marketplace')).toBe(true);
    const ministry = await bySource('ministry');
    expect(ministry).toContainEqual([ministryLink.id, 'ministry']);
    expect(ministry.every(([, s]: string[]) => s === 'ministry')).toBe(true);
    expectProblem(await t.http.get('/v1/links?source=police').set(c.ministry.auth), 400);
  });

  it('accepts 5,000 items in one report, with one event per link and one for the report', async () => {
    const before = await counts();
    const items = Array.from({ length: 5000 }, () => item(shopeeUrl()));
    const res = await report(items).expect(200);
    expect(res.body.results.filter((r: { ok: boolean }) => r.ok)).toHaveLength(5000);
    await expectAdded(before, 5000);
  });

  it('replays the first answer for the same Idempotency-Key and writes nothing again', async () => {
    const body = { items: [item(shopeeUrl()), item(tokopediaUrl())] };
    const first = await t.http
      .post('/v1/takedown-reports')
      .set(c.shopee.auth)
      .set('Idempotency-Key', 'report-1')
      .send(body)
      .expect(200);
    const before = await counts();
    const second = await t.http
      .post('/v1/takedown-reports')
      .set(c.shopee.auth)
      .set('Idempotency-Key', 'report-1')
      .send(body)
      .expect(200);
    expect(second.text).toBe(first.text);
    expect(await counts()).toEqual(before);
  });

  it('exports a reported link in a police evidence package that the verifier accepts', async () => {
    const url = shopeeUrl();
    const res = await report([
      item(url, { reason: 'banned goods', listing: { sellerRef: 'toko-evidence', title: 'Bal' } }),
    ]).expect(200);
    const linkId = res.body.results[0].linkId as string;
    // Beside it, a ministry's link sent with listing evidence: the package replays that from its creation.
    const ministryUrl = shopeeUrl();
    await t.http
      .post('/v1/link-batches')
      .set(c.ministry.auth)
      .send({
        reference: 'PKTN/EVIDENCE/1',
        legalBasis: 'Permendag 40/2022',
        links: [{ url: ministryUrl, listing: { sellerRef: 'toko-evidence', title: 'Bal lagi' } }],
      })
      .expect(201);
    const requestId = await fulfilledRequest(
      t,
      c,
      [url, ministryUrl],
      [{ sellerRef: 'toko-evidence', registeredName: 'CV Evidence', contact: 'x', address: 'y' }],
    );
    const exported = await downloadPackage(t, c, requestId).expect(200);
    const { entries, links: lines, verified } = await openPackage(t, c, exported.body as Buffer);
    expect(verified.lines.filter((l) => l.startsWith('✘'))).toEqual([]);
    expect(verified).toEqual(expect.objectContaining({ ok: true, links: 2 }));
    const line = lines.find((l) => l.id === linkId);
    const ministryLine = lines.find((l) => l.id !== linkId)!;
    expect(ministryLine).toEqual(
      expect.objectContaining({
        url: ministryUrl,
        listing: { sellerRef: 'toko-evidence', title: 'Bal lagi' },
      }),
    );
    expect(Object.keys(ministryLine)).not.toContain('source');
    expect(line).toEqual(
      expect.objectContaining({
        id: linkId,
        batchId: null,
        dueAt: null,
        status: 'taken_down',
        statusReason: 'banned goods',
        sellerRef: 'toko-evidence',
        source: 'marketplace',
        reportId: res.body.reportId,
      }),
    );
    expect(entries.get('links.csv')!.toString()).toContain(`,marketplace,${res.body.reportId}`);
  });

  it('counts a marketplace’s figures by source; the totals hold both', async () => {
    const ministryLinks = (await submitBatch(t, c, [shopeeUrl(), shopeeUrl()])).links;
    await t.http
      .post('/v1/links/acknowledgements')
      .set(c.shopee.auth)
      .send({ items: [{ linkId: ministryLinks[0].id, status: 'taken_down' }] })
      .expect(200);
    const statsOf = async () =>
      (await t.http.get('/v1/stats/takedowns').set(c.ministry.auth).expect(200)).body.marketplaces.find(
        (m: { marketplaceId: string }) => m.marketplaceId === c.shopee.marketplaceId,
      );
    const before = await statsOf();
    await report([item(shopeeUrl()), item(shopeeUrl())]).expect(200);
    const after = await statsOf();
    expect(after.bySource.marketplace.received).toBe(before.bySource.marketplace.received + 2);
    expect(after.bySource.marketplace.byStatus.taken_down).toBe(
      before.bySource.marketplace.byStatus.taken_down + 2,
    );
    expect(after.bySource.ministry).toEqual(before.bySource.ministry);
    expect(after.received).toBe(before.received + 2);
    expect(after.byStatus.taken_down).toBe(before.byStatus.taken_down + 2);
    expect(after.received).toBe(after.bySource.ministry.received + after.bySource.marketplace.received);
    expect(after.byStatus.pending).toBe(after.bySource.ministry.byStatus.pending);
    expect(Object.keys(after.bySource.marketplace).sort()).toEqual(['byStatus', 'received', 'relisted']);
    // Hours to takedown are the ministry's: the reported takedowns (hours before their creation) move nothing.
    expect(after.medianHoursToTakedown).toBe(before.medianHoursToTakedown);
    expect(after.medianHoursToTakedown).toBeGreaterThanOrEqual(0);
    expect(after.medianHoursToTakedown).toBe(after.bySource.ministry.medianHoursToTakedown);
  });
  it('a report and a batch naming the same listing at once: whichever commits second sees the first', async () => {
    // Each side carries 300 other listings so the two transactions overlap; before the listing lock, a report
    // could take down a listing a batch was opening at the same moment, and neither knew of the other.
    for (let round = 0; round < 8; round++) {
      const url = shopeeUrl();
      const others = (n: number) => Array.from({ length: n }, () => shopeeUrl());
      const [filed, submitted] = await Promise.all([
        report([item(url), ...others(300).map((u) => item(u))]),
        t.http
          .post('/v1/link-batches')
          .set(c.ministry.auth)
          .send(batch([url, ...others(300)])),
      ]);
      expect(filed.status).toBe(200);
      expect(submitted.status).toBe(201);
      const rows = await t.db.query<{ id: string; source: string; prior_link_ids: string[] }[]>(
        `SELECT id, source, prior_link_ids FROM links WHERE url = $1`,
        [url],
      );
      const reported = rows.find((r) => r.source === 'marketplace');
      const opened = rows.find((r) => r.source === 'ministry');
      expect(opened).toBeDefined();
      // Either the report went second and was refused for the open link, or it went first and the link is its relisting.
      const first = filed.body.results[0] as { error?: string; linkId?: string };
      const seen = reported ? opened!.prior_link_ids : [first.error, first.linkId];
      expect({ round, seen }).toEqual({
        round,
        seen: reported ? [reported.id] : ['open_link_exists', opened!.id],
      });
    }
  });
});
