import { Client } from 'pg';
import { Party, TestApp } from './support/app';
import { createAppRoleApp } from './support/app-role';
import { Campaign, setUpCampaign, shopeeUrl, tokopediaUrl } from './support/campaign';
import { downloadPackage, fulfilledRequest, openPackage } from './support/evidence';
import { expectProblem } from './support/problem';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

describe('observations: does the takedown stay down', () => {
  let t: TestApp;
  let c: Campaign;
  let owner: Client;
  // As the least-privilege role the API runs as in production: what it may write is what scripts/sql/app-role.sql grants.
  beforeAll(async () => {
    ({ t, owner } = await createAppRoleApp());
    c = await setUpCampaign(t);
  });
  afterAll(async () => {
    await owner.end();
    await t.close();
  });

  let seller = 0;
  /** A link of the marketplace taken down `takenDownAgo` ms ago (a takedown report), with listing evidence. */
  const takenDown = async (
    takenDownAgo = 2 * HOUR,
    party: Party = c.shopee,
    listing: Record<string, unknown> = {
      title: 'Bal pakaian bekas impor',
      sellerRef: `toko-obs-${++seller}`,
    },
  ): Promise<string> => {
    const url = party === c.shopee ? shopeeUrl() : tokopediaUrl(`toko${++seller}`);
    const res = await t.http
      .post('/v1/takedown-reports')
      .set(party.auth)
      .send({ items: [{ url, takenDownAt: ago(takenDownAgo), listing }] })
      .expect(200);
    expect(res.body.results[0]).toEqual(expect.objectContaining({ ok: true }));
    return res.body.results[0].linkId as string;
  };
  const observe = (items: unknown[], party: Party = c.ministry) =>
    t.http.post('/v1/observations').set(party.auth).send({ items });
  const linkOf = async (id: string, party: Party = c.ministry) =>
    (await t.http.get(`/v1/links/${id}`).set(party.auth).expect(200)).body;
  const counts = async () => {
    await t.matched();
    const [row] = await t.db.query<{ observations: number; changed: string }[]>(
      `SELECT (SELECT count(*)::int FROM observations) AS observations,
              (SELECT max(updated_at)::text FROM links) AS changed`,
    );
    return { ...row, events: await t.auditCount() };
  };

  it('flags a taken-down link seen online, clears it when seen offline later, and keeps every look', async () => {
    const linkId = await takenDown(3 * DAY);
    const online = await observe([
      {
        linkId,
        observedAt: ago(2 * DAY),
        result: 'online',
        listing: { title: 'Karung preloved impor', sellerRef: 'toko-baru' },
      },
    ]).expect(200);
    expect(online.body).toEqual({
      results: [{ index: 0, linkId, ok: true, observationId: expect.stringMatching(UUID), reappeared: true }],
    });
    let link = await linkOf(linkId);
    expect(link).toEqual(
      expect.objectContaining({
        status: 'taken_down',
        reappeared: true,
        lastObservation: {
          id: online.body.results[0].observationId,
          observedAt: expect.any(String),
          result: 'online',
        },
      }),
    );
    expect(link.history.map((e: { action: string }) => e.action)).toContain('link.observed');

    // An older look is kept but does not move the link; the latest offline one clears the flag.
    const older = await observe([{ linkId, observedAt: ago(2.5 * DAY), result: 'offline' }]).expect(200);
    expect(older.body.results[0]).toEqual(expect.objectContaining({ ok: true, reappeared: true }));
    expect((await linkOf(linkId)).lastObservation.id).toBe(online.body.results[0].observationId);
    const offline = await observe([{ linkId, observedAt: ago(DAY), result: 'offline' }]).expect(200);
    expect(offline.body.results[0]).toEqual(expect.objectContaining({ ok: true, reappeared: false }));
    link = await linkOf(linkId);
    expect(link).toEqual(
      expect.objectContaining({
        reappeared: false,
        lastObservation: expect.objectContaining({
          result: 'offline',
          id: offline.body.results[0].observationId,
        }),
      }),
    );
    const rows = await t.db.query<{ result: string }[]>(
      'SELECT result FROM observations WHERE link_id = $1 ORDER BY observed_at',
      [linkId],
    );
    expect(rows.map((r) => r.result)).toEqual(['offline', 'online', 'offline']);
    const events = await t.db.query<{ canonical: string; party_agency_id: string }[]>(
      `SELECT canonical, party_agency_id FROM audit_events WHERE entity_id = $1 AND action = 'link.observed' ORDER BY seq`,
      [linkId],
    );
    expect(events).toHaveLength(3);
    // The marketplace reads the events about its link, whoever observed it.
    expect(new Set(events.map((e) => e.party_agency_id))).toEqual(new Set([c.shopee.agencyId]));
    expect(JSON.parse(events[0].canonical).data).toEqual(
      expect.objectContaining({ result: 'online', reappeared: true, listing: expect.any(Object) }),
    );
  });

  it('lets a marketplace observe only its own links, and a redirected look keeps its final URL', async () => {
    const theirs = await takenDown(2 * HOUR, c.tokopedia);
    const ours = await takenDown(2 * HOUR, c.shopee);
    const before = await counts();
    const refused = await observe(
      [{ linkId: theirs, observedAt: ago(HOUR), result: 'online' }],
      c.shopee,
    ).expect(200);
    expect(refused.body.results).toEqual([{ index: 0, linkId: theirs, ok: false, error: 'not_found' }]);
    expect(await counts()).toEqual(before);
    expect((await linkOf(theirs)).reappeared).toBe(false);

    const redirected = await observe(
      [
        {
          linkId: ours,
          observedAt: ago(HOUR),
          result: 'redirected',
          finalUrl: 'https://shopee.co.id/shop/99',
        },
      ],
      c.shopee,
    ).expect(200);
    expect(redirected.body.results[0]).toEqual(expect.objectContaining({ ok: true, reappeared: false }));
    expect((await linkOf(ours, c.shopee)).lastObservation).toEqual(
      expect.objectContaining({ result: 'redirected', finalUrl: 'https://shopee.co.id/shop/99' }),
    );
  });

  it('refuses bad items one by one and changes nothing for them', async () => {
    const linkId = await takenDown(2 * HOUR);
    const looked = ago(HOUR);
    await observe([{ linkId, observedAt: looked, result: 'offline' }]).expect(200);
    const before = await counts();
    const res = await observe([
      { linkId, observedAt: looked, result: 'offline' },
      { linkId, observedAt: ago(-HOUR), result: 'offline' },
      { linkId, observedAt: ago(3 * HOUR), result: 'offline' },
      { linkId, observedAt: ago(HOUR / 2), result: 'gone' },
      { linkId, observedAt: ago(HOUR / 2), result: 'redirected', finalUrl: 'javascript:alert(1)' },
      {
        linkId,
        observedAt: ago(HOUR / 2),
        result: 'online',
        listing: { imageHashes: [{ algorithm: 'phash', hash: 'xyz' }] },
      },
      { linkId, observedAt: ago(HOUR / 2), result: 'online', extra: 1 },
      { linkId: 'not-a-uuid', observedAt: ago(HOUR / 2), result: 'online' },
      { linkId: '00000000-0000-4000-8000-000000000000', observedAt: ago(HOUR / 2), result: 'online' },
      'not an object',
    ]).expect(200);
    expect(res.body.results.map((r: { ok: boolean; error: string }) => [r.ok, r.error])).toEqual([
      [false, 'already_observed'],
      [false, 'observedAt must not be in the future'],
      [false, 'observedAt must not be before the link was created (or a reported takedown made)'],
      [false, 'result must be one of online, offline, not_found, redirected'],
      [false, 'finalUrl must be an http(s) URL of at most 8192 characters'],
      [false, expect.stringMatching(/^listing\.imageHashes\[0\]/)],
      [false, 'property extra is not allowed'],
      [false, 'linkId must be a UUID'],
      [false, 'not_found'],
      [false, 'item must be an object'],
    ]);
    expect(res.body.results[7].linkId).toBe('not-a-uuid');
    expect(await counts()).toEqual(before);

    // The same look twice in one request: the second is already_observed.
    const again = ago(HOUR / 4);
    const twice = await observe([
      { linkId, observedAt: again, result: 'online' },
      { linkId, observedAt: again, result: 'online' },
    ]).expect(200);
    expect(twice.body.results.map((r: { ok: boolean; error?: string }) => r.error ?? 'ok')).toEqual([
      'ok',
      'already_observed',
    ]);

    expectProblem(await observe([]), 400);
    expectProblem(await t.http.post('/v1/observations').set(c.police.auth).send({ items: [] }), 403);
    expectProblem(await observe([{ linkId, observedAt: ago(HOUR), result: 'offline' }], c.association), 403);
  });

  it('keeps observations append-only: the application’s role may not edit them, nor may the owner', async () => {
    const linkId = await takenDown(2 * HOUR);
    await observe([{ linkId, observedAt: ago(HOUR), result: 'online' }]).expect(200);
    const edit = `UPDATE observations SET result = 'offline' WHERE link_id = '${linkId}'`;
    const remove = `DELETE FROM observations WHERE link_id = '${linkId}'`;
    await expect(t.db.query(edit)).rejects.toThrow(/permission denied/);
    await expect(t.db.query(remove)).rejects.toThrow(/permission denied/);
    await expect(owner.query(edit)).rejects.toThrow(/append-only/);
    await expect(owner.query(remove)).rejects.toThrow(/append-only/);
    await expect(owner.query('TRUNCATE observations CASCADE')).rejects.toThrow(/append-only/);
  });

  it('lists taken-down links due for a re-check by the schedule (1, 7 and 30 days)', async () => {
    const fresh = await takenDown(2 * HOUR, c.tokopedia); // no point passed yet
    const dayOld = await takenDown(2 * DAY, c.tokopedia); // the 1-day point passed, never observed: due
    const weekOld = await takenDown(8 * DAY, c.tokopedia); // observed after the 1-day point, not the 7-day: due
    const checked = await takenDown(8 * DAY, c.tokopedia); // observed after the 7-day point: not due
    await observe([
      { linkId: weekOld, observedAt: ago(5 * DAY), result: 'offline' },
      { linkId: checked, observedAt: ago(12 * HOUR), result: 'offline' },
    ]).expect(200);
    const due = async (value: 'true' | 'false') => {
      const res = await t.http
        .get(`/v1/links?recheckDue=${value}&marketplaceId=${c.tokopedia.marketplaceId}&limit=1000`)
        .set(c.tokopedia.auth)
        .expect(200);
      return new Set((res.body.items as { id: string }[]).map((l) => l.id));
    };
    const dueNow = await due('true');
    expect([fresh, dayOld, weekOld, checked].filter((id) => dueNow.has(id))).toEqual([dayOld, weekOld]);
    const notDue = await due('false');
    expect([fresh, dayOld, weekOld, checked].filter((id) => notDue.has(id))).toEqual([fresh, checked]);
    expectProblem(await t.http.get('/v1/links?recheckDue=yes').set(c.ministry.auth), 400);

    // Observing it takes the link off the queue.
    await observe([{ linkId: dayOld, observedAt: ago(HOUR), result: 'not_found' }], c.tokopedia).expect(200);
    expect((await due('true')).has(dayOld)).toBe(false);
  });

  it('counts the stay-down rate and the reappeared links per marketplace', async () => {
    const from = new Date().toISOString();
    const stays = await takenDown(2 * HOUR);
    const back = await takenDown(2 * HOUR);
    await takenDown(2 * HOUR); // never observed
    await observe([
      { linkId: stays, observedAt: ago(HOUR), result: 'offline' },
      { linkId: back, observedAt: ago(HOUR), result: 'online' },
    ]).expect(200);
    const res = await t.http.get(`/v1/stats/takedowns?from=${from}`).set(c.ministry.auth).expect(200);
    const shopee = res.body.marketplaces.find((m: { code: string }) => m.code === 'shopee');
    expect(shopee).toEqual(
      expect.objectContaining({ observed: 2, stayedDown: 1, stayDownRate: 0.5, reappeared: 1 }),
    );
    const tokopedia = res.body.marketplaces.find((m: { code: string }) => m.code === 'tokopedia');
    expect(tokopedia).toEqual(
      expect.objectContaining({ observed: 0, stayedDown: 0, stayDownRate: null, reappeared: 0 }),
    );
    const reappeared = await t.http
      .get('/v1/links?reappeared=true&limit=1000')
      .set(c.shopee.auth)
      .expect(200);
    expect(reappeared.body.items.map((l: { id: string }) => l.id)).toContain(back);
    expect(reappeared.body.items.map((l: { id: string }) => l.id)).not.toContain(stays);
  });

  it('matches the listing a reappeared link shows, adding to its signals', async () => {
    // A listing taken down on Tokopedia; the Shopee link comes back online under the same seller's name.
    const earlier = await takenDown(DAY, c.tokopedia, {
      title: 'Jaket kulit vintage grade A',
      sellerRef: 'toko-vintage',
      sellerName: 'Vintage Corner',
    });
    const linkId = await takenDown(DAY, c.shopee, { title: 'Sepatu olahraga', sellerRef: 'toko-sepatu' });
    // What the patrol sees at the link's URL: the Tokopedia listing's title and seller name, its own shop.
    const seenAgain = {
      title: 'Jaket kulit vintage grade A',
      sellerRef: 'toko-sepatu',
      sellerName: 'Vintage Corner',
    };
    await t.matched();
    expect((await linkOf(linkId)).relistingSignals).toEqual([]);
    await observe([
      {
        linkId,
        observedAt: ago(HOUR),
        result: 'online',
        listing: seenAgain,
      },
    ]).expect(200);
    await t.matched();
    const signals = (await linkOf(linkId)).relistingSignals as { linkId: string; signal: string }[];
    expect(
      signals
        .filter((s) => s.linkId === earlier)
        .map((s) => s.signal)
        .sort(),
    ).toEqual(['seller', 'title']);
    // A marketplace sees another marketplace's match only as its signal, never the link.
    const own = (await linkOf(linkId, c.shopee)).relistingSignals as Record<string, unknown>[];
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((s) => s.linkId === undefined)).toBe(true);
    // Seen online again with the same listing: nothing is added twice.
    await observe([
      {
        linkId,
        observedAt: ago(HOUR / 2),
        result: 'online',
        listing: seenAgain,
      },
    ]).expect(200);
    await t.matched();
    expect((await linkOf(linkId)).relistingSignals).toHaveLength(signals.length);
  });

  it('puts the flag in an evidence package that verifies, and refuses to export a flag edited behind the API', async () => {
    const url = shopeeUrl();
    const res = await t.http
      .post('/v1/takedown-reports')
      .set(c.shopee.auth)
      .send({ items: [{ url, takenDownAt: ago(DAY), listing: { title: 'Bal', sellerRef: 'toko-pkg' } }] })
      .expect(200);
    const linkId = res.body.results[0].linkId as string;
    await observe([{ linkId, observedAt: ago(2 * HOUR), result: 'online' }]).expect(200);
    const requestId = await fulfilledRequest(
      t,
      c,
      [url],
      [{ sellerRef: 'toko-pkg', registeredName: 'CV P', contact: 'x', address: 'y' }],
    );
    const download = () => downloadPackage(t, c, requestId);
    const { links, verified } = await openPackage(t, c, (await download().expect(200)).body as Buffer);
    expect(verified.lines.filter((l) => l.startsWith('✘'))).toEqual([]);
    expect(verified.ok).toBe(true);
    expect(links).toEqual([expect.objectContaining({ id: linkId, status: 'taken_down', reappeared: true })]);

    // With the application's grants, the flag is cleared behind the API: the export refuses while it stands.
    await t.db.query('UPDATE links SET reappeared = false WHERE id = $1', [linkId]);
    try {
      const problem = expectProblem(await download(), 409);
      expect(problem.type).toMatch(/evidence-integrity$/);
      expect(problem.detail).toMatch(/reappeared/);
    } finally {
      await t.db.query('UPDATE links SET reappeared = true WHERE id = $1', [linkId]);
    }
  });
});
