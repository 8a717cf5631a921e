import { Client } from 'pg';
import { Party, TestApp } from './support/app';
import { createAppRoleApp } from './support/app-role';
import { batch, Campaign, setUpCampaign, shopeeUrl, submitBatch } from './support/campaign';
import { downloadPackage, fulfilledRequest, openPackage } from './support/evidence';
import { expectProblem } from './support/problem';

describe('several notifiers: a second ministry co-notifies an open link, and each ministry sees its own cases', () => {
  let t: TestApp;
  let c: Campaign;
  let owner: Client;
  /** The Ministry of Cooperatives and SMEs, beside c.ministry (Trade). */
  let kemenkop: Party;
  beforeAll(async () => {
    ({ t, owner } = await createAppRoleApp());
    c = await setUpCampaign(t);
    kemenkop = await t.party('ministry');
  });
  afterAll(async () => {
    await owner.end();
    await t.close();
  });

  const send = (party: Party, urls: string[]) =>
    t.http.post('/v1/link-batches').set(party.auth).send(batch(urls));
  const linkAs = (party: Party, id: string) => t.http.get(`/v1/links/${id}`).set(party.auth);
  const state = async () =>
    (
      await owner.query<{ s: string }>(
        `SELECT (SELECT count(*) FROM link_batches) || '/' || (SELECT count(*) FROM link_notifiers) || '/' ||
                (SELECT max(seq) FROM audit_events) AS s`,
      )
    ).rows[0].s;

  it('makes the second ministry a co-notifier of the open link: reported in duplicates, its batch 201', async () => {
    const { batchId: first, links } = await submitBatch(t, c, [shopeeUrl(), shopeeUrl()]);
    const fresh = shopeeUrl();
    const res = await send(kemenkop, [links[0].url, fresh]).expect(201);
    expect(res.body.counts).toEqual({ accepted: 1, duplicate: 1, rejected: 0, relisted: 0, coNotified: 1 });
    expect(res.body.duplicates).toEqual([
      { index: 0, url: links[0].url, existingLinkId: links[0].id, coNotified: true },
    ]);

    // The co-notifier reads and follows the link; the first notifier stays the one who decides.
    const seen = (await linkAs(kemenkop, links[0].id).expect(200)).body;
    expect(seen.notifierAgencyId).toBe(c.ministry.agencyId);
    expect(seen.coNotifierAgencyIds).toEqual([kemenkop.agencyId]);
    expect(seen.batchId).toBe(first);
    expect(seen.history.map((e: { action: string }) => e.action)).toEqual([
      'link.created',
      'link.co_notified',
    ]);
    const mine = (await t.http.get(`/v1/links?batchId=${res.body.id}`).set(kemenkop.auth).expect(200)).body;
    expect(mine.items.map((l: { url: string }) => l.url).sort()).toEqual([links[0].url, fresh].sort());
    const detail = (await t.http.get(`/v1/link-batches/${res.body.id}`).set(kemenkop.auth).expect(200)).body;
    expect(detail).toEqual(expect.objectContaining({ linkCount: 2, status: 'open' }));
    expect(detail.statusCounts.pending).toBe(2);

    // The marketplace sees who notified its link, and the co-notification in its history.
    const marketplaceView = (await linkAs(c.shopee, links[0].id).expect(200)).body;
    expect(marketplaceView.coNotifierAgencyIds).toEqual([kemenkop.agencyId]);
    expect(marketplaceView.history.map((e: { action: string }) => e.action)).toContain('link.co_notified');

    // Taken down, the co-notifier's batch completes with the first notifier's.
    await t.http
      .post('/v1/links/acknowledgements')
      .set(c.shopee.auth)
      .send({ items: [{ linkId: links[0].id, status: 'taken_down' }] })
      .expect(200);
    const after = (await t.http.get(`/v1/link-batches/${res.body.id}`).set(kemenkop.auth).expect(200)).body;
    expect(after.statusCounts).toEqual(expect.objectContaining({ taken_down: 1, pending: 1 }));
    expect(after.status).toBe('in_progress');
  });

  it('takes a batch of only co-notifications with 201; a ministry resending its own link is a plain duplicate', async () => {
    const { links } = await submitBatch(t, c, [shopeeUrl()]);
    const only = await send(kemenkop, [links[0].url]).expect(201);
    expect(only.body.counts).toEqual({ accepted: 0, duplicate: 1, rejected: 0, relisted: 0, coNotified: 1 });
    expect(only.body.byMarketplace).toEqual([]);

    const before = await state();
    for (const party of [kemenkop, c.ministry]) {
      const again = expectProblem(await send(party, [links[0].url]), 422);
      expect(again.errors).toEqual([{ path: 'links[0]', message: `duplicate of open link ${links[0].id}` }]);
    }
    expect(await state()).toBe(before);
    expect((await linkAs(kemenkop, links[0].id).expect(200)).body.coNotifierAgencyIds).toEqual([
      kemenkop.agencyId,
    ]);
  });

  it('shows a ministry only its own batches and the links it notified or co-notified, and reported links', async () => {
    const { batchId, links } = await submitBatch(t, c, [shopeeUrl()]);
    const theirs = (await send(kemenkop, [shopeeUrl()]).expect(201)).body.id as string;
    expectProblem(await linkAs(kemenkop, links[0].id), 404);
    expectProblem(await t.http.get(`/v1/link-batches/${batchId}`).set(kemenkop.auth), 404);
    expectProblem(await t.http.get(`/v1/link-batches/${theirs}`).set(c.ministry.auth), 404);
    const batches = (await t.http.get('/v1/link-batches?limit=1000').set(kemenkop.auth).expect(200)).body;
    expect(batches.items.map((b: { id: string }) => b.id)).toContain(theirs);
    expect(batches.items.map((b: { id: string }) => b.id)).not.toContain(batchId);
    const all = (await t.http.get('/v1/links?limit=1000').set(kemenkop.auth).expect(200)).body.items as {
      id: string;
      notifierAgencyId: string | null;
      coNotifierAgencyIds: string[];
    }[];
    expect(all.map((l) => l.id)).not.toContain(links[0].id);
    for (const l of all)
      expect(
        l.notifierAgencyId === kemenkop.agencyId || l.coNotifierAgencyIds.includes(kemenkop.agencyId),
      ).toBe(true);

    // What a marketplace took down on its own initiative no ministry notified: every ministry reads it.
    const reported = await t.http
      .post('/v1/takedown-reports')
      .set(c.shopee.auth)
      .send({
        items: [
          {
            url: shopeeUrl(),
            takenDownAt: new Date().toISOString(),
            listing: { title: 'Karung preloved', sellerRef: 'S-1', sellerName: 'Toko' },
          },
        ],
      })
      .expect(200);
    const reportedId = reported.body.results[0].linkId as string;
    for (const party of [c.ministry, kemenkop])
      expect((await linkAs(party, reportedId).expect(200)).body.notifierAgencyId).toBeNull();
    // The association still sees every link.
    await linkAs(c.association, links[0].id).expect(200);
  });

  it('leaves withdrawing, cancelling and deciding to the first notifier: a co-notifier is refused, changing nothing', async () => {
    const { batchId, links } = await submitBatch(t, c, [shopeeUrl(), shopeeUrl()]);
    await send(kemenkop, [links[0].url]).expect(201);
    const objection = (
      await t.http
        .post(`/v1/links/${links[0].id}/objections`)
        .set(c.shopee.auth)
        .send({ ground: 'not_illegal', detail: 'New stock with tags' })
        .expect(201)
    ).body;
    const before = await state();
    const withdraw = expectProblem(
      await t.http.post(`/v1/links/${links[0].id}/withdraw`).set(kemenkop.auth).send({ reason: 'x' }),
      403,
    );
    expect(withdraw.detail).toMatch(/first withdraws it/);
    // A link it did not notify at all is not there for it.
    expectProblem(
      await t.http.post(`/v1/links/${links[1].id}/withdraw`).set(kemenkop.auth).send({ reason: 'x' }),
      404,
    );
    expectProblem(
      await t.http.post(`/v1/link-batches/${batchId}/cancel`).set(kemenkop.auth).send({ reason: 'x' }),
      404,
    );
    expectProblem(
      await t.http
        .post(`/v1/objections/${objection.id}/decision`)
        .set(kemenkop.auth)
        .send({ outcome: 'upheld', note: 'x' }),
      403,
    );
    expect(await state()).toBe(before);
    // The co-notifier reads the objection to a link it co-notified; the first notifier decides it.
    await t.http.get(`/v1/objections/${objection.id}`).set(kemenkop.auth).expect(200);
    await t.http
      .post(`/v1/objections/${objection.id}/decision`)
      .set(c.ministry.auth)
      .send({ outcome: 'rejected', note: 'The tags are counterfeit' })
      .expect(200);
    await t.http
      .post(`/v1/links/${links[0].id}/withdraw`)
      .set(c.ministry.auth)
      .send({ reason: 'x' })
      .expect(200);
  });

  it('puts co-notifiers in the evidence package, and refuses a package whose co-notifier rows were edited', async () => {
    const { links } = await submitBatch(t, c, [shopeeUrl(), shopeeUrl()]);
    await send(kemenkop, [links[0].url]).expect(201);
    await t.http
      .post('/v1/links/acknowledgements')
      .set(c.shopee.auth)
      .send({ items: links.map((l) => ({ linkId: l.id, status: 'taken_down' })) })
      .expect(200);
    const requestId = await fulfilledRequest(
      t,
      c,
      links.map((l) => l.url),
    );
    const pkg = await openPackage(t, c, (await downloadPackage(t, c, requestId).expect(200)).body as Buffer);
    expect(pkg.verified.lines.filter((l) => l.startsWith('✘'))).toEqual([]);
    expect(pkg.verified.ok).toBe(true);
    const byId = new Map(pkg.links.map((l) => [l.id, l]));
    expect(byId.get(links[0].id)!.coNotifiers).toEqual([kemenkop.agencyId]);
    expect(byId.get(links[1].id)).not.toHaveProperty('coNotifiers');

    // With the application's grants: a co-notifier added behind the API is not what the events say.
    await t.db.query(
      `INSERT INTO link_notifiers (link_id, agency_id, batch_id, notified_at)
       SELECT $1, $2, batch_id, now() FROM links WHERE id = $1`,
      [links[1].id, kemenkop.agencyId],
    );
    const refused = expectProblem(await downloadPackage(t, c, requestId), 409);
    expect(refused.detail).toMatch(/coNotifiers/);
  });

  it('co-notifies a link once when the same ministry sends it in concurrent batches; the loser changes nothing', async () => {
    const { links } = await submitBatch(t, c, [shopeeUrl()]);
    const ministry = await t.party('ministry');
    const answers = await Promise.all([0, 1, 2].map(() => send(ministry, [links[0].url])));
    const statuses = answers.map((a) => a.status).sort();
    // The first one co-notifies; one that ran beside it is a 409 to resend, one that came after a plain duplicate.
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    for (const a of answers.filter((x) => x.status !== 201)) expectProblem(a, a.status === 409 ? 409 : 422);
    const rows = await owner.query(
      `SELECT n.batch_id, (SELECT count(*) FROM link_batches b WHERE b.submitted_by_agency_id = $2)::int AS batches
         FROM link_notifiers n WHERE n.link_id = $1 AND n.agency_id = $2`,
      [links[0].id, ministry.agencyId],
    );
    expect(rows.rows).toHaveLength(1);
    expect(rows.rows[0].batches).toBe(1);
  });

  it('tells each ministry’s accuracy as a notifier: taken down ÷ decided, objections upheld, median hours', async () => {
    const kemenperin = await t.party('ministry');
    const urls = [shopeeUrl(), shopeeUrl(), shopeeUrl(), shopeeUrl()];
    await send(kemenperin, urls).expect(201);
    const ids = await Promise.all(
      urls.map(async (url) => {
        const page = (await t.http.get('/v1/links?limit=1000').set(kemenperin.auth).expect(200)).body;
        return (page.items as { id: string; url: string }[]).find((l) => l.url === url)!.id;
      }),
    );
    const { links: trade } = await submitBatch(t, c, [shopeeUrl()]);
    await send(kemenperin, [trade[0].url]).expect(201);
    await t.http
      .post('/v1/links/acknowledgements')
      .set(c.shopee.auth)
      .send({
        items: [
          { linkId: ids[0], status: 'taken_down' },
          { linkId: ids[1], status: 'rejected', reason: 'Licensed importer' },
          { linkId: ids[2], status: 'taken_down' },
        ],
      })
      .expect(200);
    const objection = (
      await t.http
        .post(`/v1/links/${ids[2]}/objections`)
        .set(c.shopee.auth)
        .send({ ground: 'seller_authorised', detail: 'Licence attached', onBehalfOfSeller: true })
        .expect(201)
    ).body;
    await t.http
      .post(`/v1/objections/${objection.id}/decision`)
      .set(kemenperin.auth)
      .send({ outcome: 'upheld', note: 'Licence verified' })
      .expect(200);

    for (const party of [c.ministry, c.association, t.operator]) {
      const stats = (await t.http.get('/v1/stats/notifiers').set(party.auth).expect(200)).body;
      expect(stats.notifiers.find((n: { agencyId: string }) => n.agencyId === kemenperin.agencyId)).toEqual({
        agencyId: kemenperin.agencyId,
        code: expect.any(String),
        name: expect.any(String),
        notified: 4,
        coNotified: 1,
        decided: 3,
        takenDown: 1,
        accuracy: 0.3333,
        objections: 1,
        objectionsUpheld: 1,
        medianHoursToTakedown: expect.any(Number),
      });
    }
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const empty = (await t.http.get(`/v1/stats/notifiers?from=${future}`).set(c.ministry.auth).expect(200))
      .body;
    expect(empty.notifiers.find((n: { agencyId: string }) => n.agencyId === kemenperin.agencyId)).toEqual(
      expect.objectContaining({ notified: 0, decided: 0, accuracy: null, medianHoursToTakedown: null }),
    );
    expectProblem(await t.http.get('/v1/stats/notifiers').set(c.shopee.auth), 403);
    expectProblem(await t.http.get('/v1/stats/notifiers').set(c.police.auth), 403);
    expectProblem(await t.http.get('/v1/stats/notifiers?from=yesterday').set(c.ministry.auth), 400);
  });
});
