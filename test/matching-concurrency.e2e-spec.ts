import { createTestApp, TestApp } from './support/app';
import { Campaign, setUpCampaign, shopeeUrl, submitBatch, tokopediaUrl } from './support/campaign';

const N = 100;

describe('matching with many callers at once', () => {
  let t: TestApp;
  let c: Campaign;
  let original: string;
  beforeAll(async () => {
    t = await createTestApp();
    c = await setUpCampaign(t);
    const { links } = await submitBatch(t, c, [shopeeUrl()]);
    original = links[0].id;
    await t.http
      .post('/v1/links/acknowledgements')
      .set(c.shopee.auth)
      .send({
        items: [
          {
            linkId: original,
            status: 'taken_down',
            listing: {
              title: 'Karung pakaian bekas campur Korea 50kg',
              imageHashes: [{ algorithm: 'phash', hash: 'a5a5a5a5a5a5a5a5' }],
            },
          },
        ],
      })
      .expect(200);
    await t.matched();
  });
  afterAll(() => t.close());

  it('100 acknowledgements tying their links to one taken-down listing at once make one group of 101', async () => {
    const { links } = await submitBatch(
      t,
      c,
      Array.from({ length: N }, () => tokopediaUrl()),
    );
    const before = await t.auditCount();
    const answers = await Promise.all(
      links.map((l, i) =>
        t.http
          .post('/v1/links/acknowledgements')
          .set(c.tokopedia.auth)
          .send({
            items: [
              {
                linkId: l.id,
                status: 'acknowledged',
                listing: {
                  title: `Karung pakaian preloved campur Korea 50kg no ${i}`,
                  imageHashes: [{ algorithm: 'phash', hash: 'a5a5a5a5a5a5a5a4' }],
                },
              },
            ],
          }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(links.map(() => 200));
    await t.matched();
    // Each: its acknowledgement and, after its commit, matching's group change.
    expect(await t.auditCount()).toBe(before + 2 * N);
    const groups = await t.db.query<{ group_id: string; n: number }[]>(
      `SELECT group_id, count(*)::int AS n FROM relisting_group_members
        WHERE link_id = ANY($1::uuid[]) GROUP BY group_id`,
      [[original, ...links.map((l) => l.id)]],
    );
    expect(groups).toEqual([{ group_id: expect.any(String), n: N + 1 }]);
  });

  it('100 takedown reports at once each make their link, kept and grouped with the original', async () => {
    const urls = Array.from({ length: N }, () => shopeeUrl());
    const takenDownAt = new Date(Date.now() - 60_000).toISOString();
    const answers = await Promise.all(
      urls.map((url, i) =>
        t.http
          .post('/v1/takedown-reports')
          .set(c.shopee.auth)
          .send({
            items: [
              {
                url,
                takenDownAt,
                listing: {
                  title: `Karung pakaian preloved campur Korea 50kg laporan ${i}`,
                  imageHashes: [{ algorithm: 'phash', hash: 'a5a5a5a5a5a5a5a1' }],
                },
              },
            ],
          }),
      ),
    );
    expect(answers.map((a) => [a.status, a.body.results?.[0]?.ok])).toEqual(urls.map(() => [200, true]));
    const ids = answers.map((a) => a.body.results[0].linkId as string);
    expect(new Set(ids).size).toBe(N);
    await t.matched();
    // Each report's listing is kept, and each is tied (to the original or to a report before it) into its group.
    const [row] = await t.db.query<{ fingerprinted: number; grouped: number; groups: number }[]>(
      `SELECT (SELECT count(*)::int FROM listing_fingerprints WHERE link_id = ANY($1::uuid[])) AS fingerprinted,
              (SELECT count(*)::int FROM relisting_group_members WHERE link_id = ANY($1::uuid[])) AS grouped,
              (SELECT count(DISTINCT group_id)::int FROM relisting_group_members
                WHERE link_id = ANY($1::uuid[]) OR link_id = $2) AS groups`,
      [ids, original],
    );
    expect(row).toEqual({ fingerprinted: N, grouped: N, groups: 1 });
  });

  it('100 screenings at once each get their own answer', async () => {
    const answers = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        t.http
          .post('/v1/screenings')
          .set(i % 2 ? c.shopee.auth : c.ministry.auth)
          .send({
            items: [{ ref: `r${i}`, imageHashes: [{ algorithm: 'phash', hash: 'a5a5a5a5a5a5a5a7' }] }],
          }),
      ),
    );
    answers.forEach((a, i) => {
      expect(a.status).toBe(200);
      expect(a.body.results[0].ref).toBe(`r${i}`);
      expect(a.body.results[0].matches).toContainEqual(
        expect.objectContaining({ signal: 'image', linkId: original }),
      );
    });
  });

  it("requests that change a link do not wait for a key-share lock on it (the worker's foreign-key checks)", async () => {
    const { links } = await submitBatch(t, c, [shopeeUrl(), shopeeUrl()]);
    const [acked, withdrawn] = links.map((l) => l.id);
    const cancelled = await submitBatch(t, c, [shopeeUrl()]);
    /**
     * The request's status, sent while another transaction holds a key-share lock on the link (what the worker's
     * inserts referencing links hold until they commit), or 'waited' if a backend waited for a lock meanwhile.
     */
    const beside = async (
      linkId: string,
      send: () => PromiseLike<{ status: number }>,
    ): Promise<number | 'waited'> => {
      const worker = t.db.createQueryRunner();
      await worker.connect();
      await worker.startTransaction();
      let waited = false;
      try {
        await worker.query('SELECT 1 FROM links WHERE id = $1 FOR KEY SHARE', [linkId]);
        let settled = false;
        const answer = Promise.resolve(send()).finally(() => (settled = true));
        while (!settled && !waited) {
          const [w] = await t.db.query<{ n: number }[]>(
            `SELECT count(*)::int AS n FROM pg_stat_activity
              WHERE wait_event_type = 'Lock' AND datname = current_database()`,
          );
          waited = w.n > 0;
          if (!waited) await new Promise((r) => setTimeout(r, 20));
        }
        // A waiting request goes on once the worker commits.
        if (waited) await worker.commitTransaction();
        const { status } = await answer;
        return waited ? 'waited' : status;
      } finally {
        if (!waited) await worker.commitTransaction();
        await worker.release();
      }
    };
    expect([
      await beside(acked, () =>
        t.http
          .post('/v1/links/acknowledgements')
          .set(c.shopee.auth)
          .send({ items: [{ linkId: acked, status: 'acknowledged' }] }),
      ),
      await beside(original, () =>
        t.http
          .post('/v1/observations')
          .set(c.ministry.auth)
          .send({ items: [{ linkId: original, observedAt: new Date().toISOString(), result: 'offline' }] }),
      ),
      await beside(withdrawn, () =>
        t.http.post(`/v1/links/${withdrawn}/withdraw`).set(c.ministry.auth).send({ reason: 'sent in error' }),
      ),
      await beside(cancelled.links[0].id, () =>
        t.http
          .post(`/v1/link-batches/${cancelled.batchId}/cancel`)
          .set(c.ministry.auth)
          .send({ reason: 'sent in error' }),
      ),
    ]).toEqual([200, 200, 200, 200]);
  });

  it('100 reads of the relisting groups at once agree', async () => {
    const answers = await Promise.all(
      Array.from({ length: N }, () => t.http.get('/v1/relisting-groups?limit=5').set(c.association.auth)),
    );
    const bodies = new Set(
      answers.map((a) => (a.status === 200 ? JSON.stringify(a.body) : `status ${a.status}`)),
    );
    expect(bodies.size).toBe(1);
    expect([...bodies][0]).toContain(original);
  });
});
