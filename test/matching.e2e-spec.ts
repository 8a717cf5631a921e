import { createTestApp, TestApp } from './support/app';
import { Campaign, setUpCampaign, shopeeUrl, submitBatch, tokopediaUrl } from './support/campaign';
import { expectProblem } from './support/problem';

/** A photo's phash, and the same photo recompressed: three bits away. */
const PHOTO = 'c3a1f00f5e2d8b47';
const RECOMPRESSED = 'c3a1f00f5e2d8b40';
const OTHER_PHOTO = '3c5e0ff0a1d274b8';

describe('matching relistings across marketplaces', () => {
  let t: TestApp;
  let c: Campaign;
  beforeAll(async () => {
    t = await createTestApp();
    c = await setUpCampaign(t);
  });
  afterAll(() => t.close());

  /** Acknowledges, then waits for matching on arrival (it runs after the acknowledgement's commit). */
  const ack = async (party: Campaign['shopee'], items: object[]) => {
    const res = await t.http.post('/v1/links/acknowledgements').set(party.auth).send({ items }).expect(200);
    await t.matched();
    return res;
  };
  const linkAs = async (party: { auth: { Authorization: string } }, id: string) =>
    (await t.http.get(`/v1/links/${id}`).set(party.auth).expect(200)).body;
  const groups = async (party: { auth: { Authorization: string } }) =>
    (await t.http.get('/v1/relisting-groups').set(party.auth).expect(200)).body.items as {
      id: string;
      size: number;
      links: { linkId: string | null; marketplaceId: string; sellerRef: string | null }[];
    }[];

  /** A Shopee link taken down with the bale's listing evidence. */
  async function takenDownOnShopee(title: string, hash = PHOTO, seller = 'toko-karung-1') {
    const { links, batchId } = await submitBatch(t, c, [shopeeUrl()]);
    const [{ id }] = links;
    await ack(c.shopee, [
      {
        linkId: id,
        status: 'taken_down',
        listing: {
          title,
          sellerRef: seller,
          sellerName: seller === 'toko-karung-1' ? 'Toko Karung Murah' : `Toko ${seller}`,
          imageHashes: [{ algorithm: 'phash', hash }],
        },
      },
    ]);
    return { id, batchId };
  }

  async function onTokopedia() {
    const { links } = await submitBatch(t, c, [tokopediaUrl()]);
    return links[0].id;
  }

  it('catches the seller back on another marketplace with "preloved" and a recompressed photo, and groups them', async () => {
    const first = await takenDownOnShopee('Karung baju bekas import Korea 100kg');
    const again = await onTokopedia();
    const before = await t.auditCount();
    const res = await ack(c.tokopedia, [
      {
        linkId: again,
        status: 'acknowledged',
        listing: {
          title: 'KARUNG baju PRELOVED impor korea 100kg',
          sellerRef: 'tp-9981',
          sellerName: 'toko karung  murah',
          imageHashes: [{ algorithm: 'phash', hash: RECOMPRESSED }],
        },
      },
    ]);
    expect(res.body.results[0]).toMatchObject({ ok: true, status: 'acknowledged' });
    // The acknowledgement's event and, after its commit, matching's grouping.
    expect(await t.auditCount()).toBe(before + 2);

    const seen = await linkAs(c.ministry, again);
    const signals = (seen.relistingSignals as { signal: string; linkId?: string }[]).filter(
      (s) => s.linkId === first.id,
    );
    expect(signals.map((s) => s.signal).sort()).toEqual(['image', 'seller', 'title']);
    expect(seen.relistingSignals).toContainEqual(
      expect.objectContaining({ signal: 'image', algorithm: 'phash', distance: 3, linkId: first.id }),
    );

    // Tokopedia sees that its listing matches one taken down elsewhere, never which link or whose seller.
    const theirs = await linkAs(c.tokopedia, again);
    for (const s of theirs.relistingSignals as Record<string, unknown>[]) {
      expect(s).not.toHaveProperty('linkId');
      expect(s).not.toHaveProperty('marketplaceId');
      expect(
        Object.keys(s).every((k) =>
          ['signal', 'algorithm', 'distance', 'similarity', 'batchReference', 'term'].includes(k),
        ),
      ).toBe(true);
    }
    expect(theirs.relistingSignals.length).toBeGreaterThanOrEqual(3);

    const all = await groups(c.ministry);
    const group = all.find((g) => g.links.some((l) => l.linkId === again))!;
    expect(group.links.map((l) => l.linkId).sort()).toEqual([first.id, again].sort());
    expect(await groups(c.association)).toContainEqual(expect.objectContaining({ id: group.id }));

    const forTokopedia = (
      await t.http.get(`/v1/relisting-groups/${group.id}`).set(c.tokopedia.auth).expect(200)
    ).body;
    const shopeeMember = forTokopedia.links.find(
      (l: { marketplaceId: string }) => l.marketplaceId === c.shopee.marketplaceId,
    );
    expect(shopeeMember).toMatchObject({ linkId: null, sellerRef: null, status: 'taken_down' });
    const forShopee = (await t.http.get(`/v1/relisting-groups/${group.id}`).set(c.shopee.auth).expect(200))
      .body;
    expect(forShopee.links).toContainEqual(
      expect.objectContaining({ linkId: first.id, sellerRef: 'toko-karung-1' }),
    );
    expect(forShopee.links).toContainEqual(
      expect.objectContaining({ linkId: null, marketplaceId: c.tokopedia.marketplaceId }),
    );
  });

  it('screens new uploads before they go live, showing a marketplace only its own links in full', async () => {
    const taken = await takenDownOnShopee(
      'Bal celana jeans bekas Jepang grade A',
      OTHER_PHOTO,
      'jeans-bal-7',
    );
    const items = [
      { ref: 'upload-1', title: 'b4l celana jeans pre-optimized jepang grade a' },
      { ref: 'upload-2', imageHashes: [{ algorithm: 'phash', hash: OTHER_PHOTO }] },
      { ref: 'upload-3', title: 'Sepatu lari anak baru' },
    ];
    const before = await t.auditCount();
    const own = (await t.http.post('/v1/screenings').set(c.shopee.auth).send({ items }).expect(200)).body;
    expect(own.results.map((r: { ref: string }) => r.ref)).toEqual(['upload-1', 'upload-2', 'upload-3']);
    expect(own.results[0].matches).toContainEqual(
      expect.objectContaining({ signal: 'title', linkId: taken.id }),
    );
    expect(own.results[1].matches).toContainEqual(
      expect.objectContaining({ signal: 'image', distance: 0, linkId: taken.id }),
    );
    expect(own.results[2].matches).toEqual([]);

    const other = (await t.http.post('/v1/screenings').set(c.tokopedia.auth).send({ items }).expect(200))
      .body;
    expect(other.results[1].matches).toContainEqual({
      signal: 'image',
      algorithm: 'phash',
      distance: 0,
      batchReference: expect.any(String),
    });
    expect(JSON.stringify(other)).not.toContain(taken.id);
    expect(JSON.stringify(other)).not.toContain('jeans-bal-7');

    const ministry = (await t.http.post('/v1/screenings').set(c.ministry.auth).send({ items }).expect(200))
      .body;
    expect(ministry.results[1].matches).toContainEqual(expect.objectContaining({ linkId: taken.id }));
    // Screening reads; it writes nothing.
    expect(await t.auditCount()).toBe(before);
  });

  it('flags watchlist terms, also when written as their code-word variants', async () => {
    await t.http.post('/v1/keywords').set(c.ministry.auth).send({ term: 'preloved' }).expect(201);
    const res = (
      await t.http
        .post('/v1/screenings')
        .set(c.shopee.auth)
        .send({ items: [{ ref: 'k', title: 'Kemeja flanel B3K4S murah' }] })
        .expect(200)
    ).body;
    expect(res.results[0].matches).toContainEqual({ signal: 'keyword', term: 'preloved' });
  });

  it.each([
    ['police', (c: Campaign) => c.police],
    ['the association', (c: Campaign) => c.association],
  ])('refuses %s a screening', async (_, who) => {
    expectProblem(
      await t.http
        .post('/v1/screenings')
        .set(who(c).auth)
        .send({ items: [{ ref: 'x', title: 'karung' }] }),
      403,
    );
  });

  it('refuses police the relisting groups', async () => {
    expectProblem(await t.http.get('/v1/relisting-groups').set(c.police.auth), 403);
  });

  it.each([
    ['an item without anything to match', [{ ref: 'a' }], 'items[0]'],
    [
      'a phash one character short',
      [{ ref: 'a', imageHashes: [{ algorithm: 'phash', hash: 'abc' }] }],
      'items[0].imageHashes[0]',
    ],
    [
      'an unknown algorithm',
      [{ ref: 'a', imageHashes: [{ algorithm: 'dhash', hash: PHOTO }] }],
      'items[0].imageHashes[0]',
    ],
    [
      'a repeated ref',
      [
        { ref: 'a', title: 'x' },
        { ref: 'a', title: 'y' },
      ],
      'items[1].ref',
    ],
    ['an unknown property', [{ ref: 'a', title: 'x', price: 1 }], 'items[0].price'],
  ])('refuses a screening with %s, naming it', async (_, items, path) => {
    const res = expectProblem(await t.http.post('/v1/screenings').set(c.shopee.auth).send({ items }), 400);
    expect(res.errors).toContainEqual(expect.objectContaining({ path }));
  });

  it('refuses a screening of more than 1,000 items', async () => {
    const items = Array.from({ length: 1001 }, (_, i) => ({ ref: `r${i}`, title: 'karung' }));
    expectProblem(await t.http.post('/v1/screenings').set(c.shopee.auth).send({ items }), 400);
  });

  it('refuses a malformed image hash as that item’s error, even when the status repeats', async () => {
    const id = await onTokopedia();
    await ack(c.tokopedia, [{ linkId: id, status: 'acknowledged' }]);
    const before = await t.auditCount();
    const res = await ack(c.tokopedia, [
      { linkId: id, status: 'acknowledged', listing: { imageHashes: [{ algorithm: 'phash', hash: 'XYZ' }] } },
    ]);
    expect(res.body.results[0]).toMatchObject({
      ok: false,
      error: expect.stringContaining('imageHashes[0].hash'),
    });
    expect(await t.auditCount()).toBe(before);
  });

  describe('dismissal', () => {
    it('takes a member out, dissolves a pair, and never ties the pair again', async () => {
      const first = await takenDownOnShopee(
        'Jaket kulit preloved original Italia',
        '0f0f0f0f0f0f0f0f',
        'jaket-3',
      );
      const second = await onTokopedia();
      const listing = {
        title: 'Jaket kulit bekas original italia',
        sellerRef: 'tp-jaket',
        imageHashes: [{ algorithm: 'phash', hash: '0f0f0f0f0f0f0f0e' }],
      };
      await ack(c.tokopedia, [{ linkId: second, status: 'acknowledged', listing }]);
      const group = (await groups(c.ministry)).find((g) => g.links.some((l) => l.linkId === second))!;
      expect(group.size).toBe(2);

      // Refusals change nothing.
      const stranger = await onTokopedia();
      const before = await t.auditCount();
      expectProblem(
        await t.http
          .post(`/v1/relisting-groups/${group.id}/members/${second}/dismiss`)
          .set(c.tokopedia.auth)
          .send({}),
        403,
      );
      expectProblem(
        await t.http
          .post(`/v1/relisting-groups/${group.id}/members/${stranger}/dismiss`)
          .set(c.ministry.auth)
          .send({}),
        404,
      );
      expectProblem(
        await t.http
          .post(`/v1/relisting-groups/00000000-0000-4000-8000-000000000000/members/${second}/dismiss`)
          .set(c.ministry.auth)
          .send({}),
        404,
      );
      expectProblem(
        await t.http
          .post(`/v1/relisting-groups/${group.id}/members/${second}/dismiss`)
          .set(c.ministry.auth)
          .send({ reason: '' }),
        400,
      );
      expect(await t.auditCount()).toBe(before);

      const res = await t.http
        .post(`/v1/relisting-groups/${group.id}/members/${second}/dismiss`)
        .set(c.ministry.auth)
        .send({ reason: 'A different jacket: the seller resells genuine stock' })
        .expect(200);
      expect(res.body).toMatchObject({ id: group.id, dissolved: true, size: 1 });
      expect(await t.auditCount()).toBe(before + 1);
      expectProblem(await t.http.get(`/v1/relisting-groups/${group.id}`).set(c.ministry.auth), 404);
      const after = await linkAs(c.ministry, second);
      expect(after.relistingSignals.some((s: { linkId?: string }) => s.linkId === first.id)).toBe(false);

      // The same evidence again: the dismissed pair is not tied again.
      await ack(c.tokopedia, [{ linkId: second, status: 'taken_down', listing }]);
      const again = await linkAs(c.ministry, second);
      expect(again.relistingSignals.some((s: { linkId?: string }) => s.linkId === first.id)).toBe(false);
      expect((await groups(c.ministry)).some((g) => g.links.some((l) => l.linkId === second))).toBe(false);
    });
  });
});
