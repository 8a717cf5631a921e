import { createTestApp, Party, TestApp } from './support/app';
import { Campaign, setUpCampaign, shopeeUrl, submitBatch, tokopediaUrl } from './support/campaign';
import { downloadPackage, fulfilledRequest, openPackage } from './support/evidence';
import { expectProblem } from './support/problem';

const STATEMENT = {
  visibility: 'removed',
  account: 'suspended',
  ground: 'illegal',
  legalGround: 'Permendag 40/2022 Pasal 2 ayat (3)',
  automatedDetection: true,
  automatedDecision: 'partial',
  sellerNotifiedAt: '2026-12-01T08:00:00.000Z',
};

describe('statements of reasons: each takedown may say what was done and why (DSA art. 17)', () => {
  let t: TestApp;
  let c: Campaign;
  beforeAll(async () => {
    t = await createTestApp();
    c = await setUpCampaign(t);
  });
  afterAll(() => t.close());

  const takeDown = (party: Party, items: Record<string, unknown>[]) =>
    t.http.post('/v1/links/acknowledgements').set(party.auth).send({ items }).expect(200);
  const linkOf = async (id: string) =>
    (await t.http.get(`/v1/links/${id}`).set(c.ministry.auth).expect(200)).body as Record<string, unknown>;
  const requireStatements = (marketplaceId: string, on: boolean) =>
    t.http
      .patch(`/v1/marketplaces/${marketplaceId}`)
      .set(t.operator.auth)
      .send({ requireStatementOfReasons: on })
      .expect(200);

  it('keeps the statement on the link and in its audited takedown; a bad one is an item error that changes nothing', async () => {
    const { links } = await submitBatch(t, c, [shopeeUrl(), shopeeUrl()]);
    const [good, bad] = links;
    const res = await takeDown(c.shopee, [
      { linkId: good.id, status: 'taken_down', decision: STATEMENT },
      { linkId: bad.id, status: 'taken_down', decision: { ...STATEMENT, account: 'banned' } },
      { linkId: bad.id, status: 'acknowledged', decision: STATEMENT },
    ]);
    expect(res.body.results).toEqual([
      expect.objectContaining({ ok: true, status: 'taken_down' }),
      expect.objectContaining({
        ok: false,
        error: 'decision.account must be one of none, warned, suspended, terminated',
      }),
      expect.objectContaining({ ok: false, error: 'decision is given with status taken_down only' }),
    ]);
    expect((await linkOf(good.id)).decision).toEqual(STATEMENT);
    expect(await linkOf(bad.id)).toEqual(expect.objectContaining({ status: 'pending', decision: null }));
    const events = (
      await t.http.get(`/v1/audit-events?entityType=link&entityId=${good.id}`).set(c.shopee.auth).expect(200)
    ).body.items as { action: string; data: Record<string, unknown> }[];
    expect(events.find((e) => e.action === 'link.taken_down')!.data.decision).toEqual(STATEMENT);
    const badEvents = (
      await t.http.get(`/v1/audit-events?entityType=link&entityId=${bad.id}`).set(c.shopee.auth).expect(200)
    ).body.items as { action: string }[];
    expect(badEvents.map((e) => e.action)).toEqual(['link.created']);
  });

  it('requires a statement with each takedown once the marketplace is set to, and audits the setting', async () => {
    const set = await requireStatements(c.tokopedia.marketplaceId, true);
    expect(set.body.requireStatementOfReasons).toBe(true);
    try {
      const { links } = await submitBatch(t, c, [tokopediaUrl(), tokopediaUrl(), tokopediaUrl()]);
      const res = await takeDown(c.tokopedia, [
        { linkId: links[0].id, status: 'taken_down' },
        { linkId: links[1].id, status: 'taken_down', decision: { ...STATEMENT, account: 'none' } },
        { linkId: links[2].id, status: 'acknowledged' },
      ]);
      expect(res.body.results.map((r: { ok: boolean; error?: string }) => [r.ok, r.error])).toEqual([
        [false, 'decision is required: the marketplace gives a statement of reasons with each takedown'],
        [true, undefined],
        [true, undefined],
      ]);
      expect((await linkOf(links[0].id)).status).toBe('pending');
      // Shopee does not require one: a takedown without a statement is accepted there.
      const shopee = (await submitBatch(t, c, [shopeeUrl()])).links[0];
      expect(
        (await takeDown(c.shopee, [{ linkId: shopee.id, status: 'taken_down' }])).body.results[0].ok,
      ).toBe(true);
      const events = (
        await t.http
          .get(`/v1/audit-events?entityType=marketplace&entityId=${c.tokopedia.marketplaceId}`)
          .set(t.operator.auth)
          .expect(200)
      ).body.items as { action: string; data: Record<string, unknown> }[];
      expect(events.at(-1)).toEqual(
        expect.objectContaining({
          action: 'marketplace.updated',
          data: { requireStatementOfReasons: { from: false, to: true } },
        }),
      );
    } finally {
      await requireStatements(c.tokopedia.marketplaceId, false);
    }
    expectProblem(
      await t.http
        .patch(`/v1/marketplaces/${c.tokopedia.marketplaceId}`)
        .set(t.operator.auth)
        .send({ requireStatementOfReasons: 'yes' }),
      400,
    );
  });

  it('counts account actions per marketplace in the statistics', async () => {
    const before = async () =>
      (
        (await t.http.get('/v1/stats/takedowns').set(c.association.auth).expect(200)).body.marketplaces as {
          marketplaceId: string;
          accountActions: Record<string, number>;
        }[]
      ).find((m) => m.marketplaceId === c.shopee.marketplaceId)!.accountActions;
    const start = await before();
    const { links } = await submitBatch(t, c, [shopeeUrl(), shopeeUrl(), shopeeUrl()]);
    await takeDown(c.shopee, [
      { linkId: links[0].id, status: 'taken_down', decision: { ...STATEMENT, account: 'warned' } },
      { linkId: links[1].id, status: 'taken_down', decision: { ...STATEMENT, account: 'terminated' } },
      { linkId: links[2].id, status: 'taken_down', decision: { ...STATEMENT, account: 'terminated' } },
    ]);
    expect(await before()).toEqual({
      ...start,
      warned: start.warned + 1,
      terminated: start.terminated + 2,
    });
  });

  it('puts the statement in an evidence package that verifies; a statement edited behind the API is refused', async () => {
    const url = shopeeUrl();
    const link = (await submitBatch(t, c, [url])).links[0];
    await takeDown(c.shopee, [{ linkId: link.id, status: 'taken_down', decision: STATEMENT }]);
    const requestId = await fulfilledRequest(t, c, [url]);
    const { links, verified } = await openPackage(
      t,
      c,
      (await downloadPackage(t, c, requestId).expect(200)).body as Buffer,
    );
    expect(verified.lines.filter((l) => l.startsWith('✘'))).toEqual([]);
    expect(verified.ok).toBe(true);
    expect(links).toEqual([expect.objectContaining({ id: link.id, decision: STATEMENT })]);

    await t.db.query(`UPDATE links SET decision = jsonb_set(decision, '{account}', '"none"') WHERE id = $1`, [
      link.id,
    ]);
    try {
      const problem = expectProblem(await downloadPackage(t, c, requestId), 409);
      expect(problem.type).toMatch(/evidence-integrity$/);
      expect(problem.detail).toMatch(/decision/);
    } finally {
      await t.db.query(`UPDATE links SET decision = $2::jsonb WHERE id = $1`, [
        link.id,
        JSON.stringify(STATEMENT),
      ]);
    }
  });
  it('takes a statement with a marketplace’s own takedown report, requires one once set, and replays it into a package', async () => {
    const report = (party: Party, items: Record<string, unknown>[]) =>
      t.http.post('/v1/takedown-reports').set(party.auth).send({ items }).expect(200);
    const reported = (url: string, extra: Record<string, unknown> = {}) => ({
      url,
      takenDownAt: new Date(Date.now() - 3_600_000).toISOString(),
      listing: { title: 'Karung pakaian preloved', sellerRef: 'toko-karung' },
      ...extra,
    });
    const [withStatement, malformed] = [shopeeUrl(), shopeeUrl()];
    const res = await report(c.shopee, [
      reported(withStatement, { decision: STATEMENT }),
      reported(malformed, { decision: { ...STATEMENT, ground: 'rumour' } }),
    ]);
    expect(res.body.results.map((r: { ok: boolean; error?: string }) => [r.ok, r.error])).toEqual([
      [true, undefined],
      [false, 'decision.ground must be one of illegal, terms_of_service'],
    ]);
    const linkId = res.body.results[0].linkId as string;
    expect((await linkOf(linkId)).decision).toEqual(STATEMENT);
    const created = (
      await t.http.get(`/v1/audit-events?entityType=link&entityId=${linkId}`).set(c.shopee.auth).expect(200)
    ).body.items as { action: string; data: Record<string, unknown> }[];
    expect(created.map((e) => [e.action, e.data.decision])).toEqual([['link.created', STATEMENT]]);

    await requireStatements(c.shopee.marketplaceId, true);
    try {
      const strict = await report(c.shopee, [
        reported(shopeeUrl()),
        reported(shopeeUrl(), { decision: STATEMENT }),
      ]);
      expect(strict.body.results.map((r: { ok: boolean; error?: string }) => [r.ok, r.error])).toEqual([
        [false, 'decision is required: the marketplace gives a statement of reasons with each takedown'],
        [true, undefined],
      ]);
    } finally {
      await requireStatements(c.shopee.marketplaceId, false);
    }

    const requestId = await fulfilledRequest(t, c, [withStatement]);
    const { links, verified } = await openPackage(
      t,
      c,
      (await downloadPackage(t, c, requestId).expect(200)).body as Buffer,
    );
    expect(verified.ok).toBe(true);
    expect(links).toEqual([
      expect.objectContaining({ id: linkId, source: 'marketplace', decision: STATEMENT }),
    ]);
    // With the application's grants: a statement removed behind the API is not what the report's event says.
    await t.db.query('UPDATE links SET decision = NULL WHERE id = $1', [linkId]);
    expect(expectProblem(await downloadPackage(t, c, requestId), 409).detail).toMatch(/decision/);
  });
});
