import { Client } from 'pg';
import { createTestApp, TestApp } from './support/app';
import { APP_ROLE, asAppRole } from './support/app-role';
import { Campaign, setUpCampaign, shopeeUrl, submitBatch, tokopediaUrl } from './support/campaign';
import { COUNT_MATCHING_JOBS, untilMatchingJobsDone } from './support/tooling';

/** Matching on arrival runs after the request's commit, from the matching_jobs queue (src/matching/matching-worker.service.ts). */
describe('matching on arrival, from its queue', () => {
  let t: TestApp;
  let c: Campaign;
  let ownerUrl: string;
  // No poll: a job is done when its own request kicks the worker, or when a test drains the queue.
  beforeAll(async () => {
    t = await createTestApp({ MATCHING_POLL_MS: '0' }, { connectAs: asAppRole((url) => (ownerUrl = url)) });
    c = await setUpCampaign(t);
  });
  afterAll(() => t.close());

  const asOwner = async (text: string, params: unknown[] = []) => {
    const owner = new Client({ connectionString: ownerUrl });
    await owner.connect();
    try {
      return (await owner.query(text, params)).rows as Record<string, unknown>[];
    } finally {
      await owner.end();
    }
  };
  const takeDown = (party: Campaign['shopee'], linkId: string, title: string, hash: string) =>
    t.http
      .post('/v1/links/acknowledgements')
      .set(party.auth)
      .send({
        items: [
          { linkId, status: 'taken_down', listing: { title, imageHashes: [{ algorithm: 'phash', hash }] } },
        ],
      })
      .expect(200);
  const signalsOf = async (id: string) =>
    (await t.http.get(`/v1/links/${id}`).set(c.ministry.auth).expect(200)).body.relistingSignals as {
      signal: string;
      linkId?: string;
    }[];
  /** What the link's detail says of matching: true until its job is done. */
  const pending = async (id: string) =>
    (await t.http.get(`/v1/links/${id}`).set(c.ministry.auth).expect(200)).body.matchingPending as boolean;
  const jobs = () =>
    t.db.query<{ attempts: number; last_error: string | null }[]>('SELECT * FROM matching_jobs');

  it('matches listings taken down at the same moment against each other: one job after the other', async () => {
    // Twenty requests at once, each taking down a copy of one photo. Matched inside their own transactions, none
    // could see the others' uncommitted fingerprints; one worker, one job at a time, sees every earlier one.
    const { links } = await submitBatch(
      t,
      c,
      Array.from({ length: 20 }, () => shopeeUrl()),
    );
    await Promise.all(
      links.map((l, i) => takeDown(c.shopee, l.id, `Karung baju bekas no ${i}`, 'e1e1e1e1e1e1e1e1')),
    );
    await t.matched();
    const groups = await t.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM relisting_group_members WHERE link_id = ANY($1::uuid[]) GROUP BY group_id`,
      [links.map((l) => l.id)],
    );
    expect(groups).toEqual([{ n: 20 }]);
    // Every link but the first one matched points at an earlier one.
    const pointing = await Promise.all(links.map(async (l) => (await signalsOf(l.id)).length > 0));
    expect(pointing.filter(Boolean)).toHaveLength(19);
    expect(await jobs()).toEqual([]);
  });

  it('keeps a job that fails, and does it once the fault is gone: nothing is lost', async () => {
    const [
      {
        links: [original],
      },
      {
        links: [relisted],
      },
    ] = [await submitBatch(t, c, [shopeeUrl()]), await submitBatch(t, c, [tokopediaUrl()])];
    await takeDown(c.shopee, original.id, 'Jaket kulit bekas Italia', '3c3c3c3c3c3c3c3c');
    await t.matched();
    const events = await t.auditCount();

    // The worker cannot write signals: the acknowledgement still commits, its job stays, with the error.
    await asOwner(`REVOKE INSERT ON relisting_signals FROM ${APP_ROLE}`);
    try {
      await takeDown(c.tokopedia, relisted.id, 'Jaket kulit preloved Italia', '3c3c3c3c3c3c3c3d');
      await t.matched();
      expect(await jobs()).toEqual([
        expect.objectContaining({ attempts: 1, last_error: expect.stringContaining('permission denied') }),
      ]);
      expect(await signalsOf(relisted.id)).toEqual([]);
      expect(await pending(relisted.id)).toBe(true);
      expect(await pending(original.id)).toBe(false);
      // 100 readers at once, while the job waits: every one answered, every one told it is pending.
      const many = await Promise.all(
        Array.from({ length: 100 }, () => t.http.get(`/v1/links/${relisted.id}`).set(c.ministry.auth)),
      );
      expect(many.map((r) => [r.status, r.body.matchingPending])).toEqual(many.map(() => [200, true]));
      // Only the acknowledgement's event: the failed job's events rolled back with it.
      expect(await t.auditCount()).toBe(events + 1);
    } finally {
      await asOwner(`GRANT INSERT ON relisting_signals TO ${APP_ROLE}`);
    }

    // Its retry is due later (1 s, then doubling); bring it forward rather than wait.
    await asOwner('UPDATE matching_jobs SET not_before = now()');
    await t.matched();
    expect(await jobs()).toEqual([]);
    expect(await pending(relisted.id)).toBe(false);
    expect(await signalsOf(relisted.id)).toContainEqual(
      expect.objectContaining({ signal: 'image', linkId: original.id }),
    );
    expect(await t.auditCount()).toBe(events + 2);
  });
});

describe('matching on arrival, polling for jobs it was not told of', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ MATCHING_POLL_MS: '50' });
  });
  afterAll(() => t.close());

  it('does a job another instance queued (or one left by a crash) at its next poll', async () => {
    const c = await setUpCampaign(t);
    const { links } = await submitBatch(t, c, [shopeeUrl(), shopeeUrl()]);
    const listing = {
      title: 'Kemeja flanel bekas',
      imageHashes: [{ algorithm: 'phash', hash: '0123456789abcdef' }],
    };
    await t.http
      .post('/v1/links/acknowledgements')
      .set(c.shopee.auth)
      .send({ items: [{ linkId: links[0].id, status: 'taken_down', listing }] })
      .expect(200);
    await t.matched();
    // As another instance's acknowledgement would leave it: the link changed and its job queued, no kick here.
    await t.db.query(`UPDATE links SET listing = $2::jsonb WHERE id = $1`, [
      links[1].id,
      JSON.stringify(listing),
    ]);
    await t.db.query(
      `INSERT INTO matching_jobs (arrived, kept, enqueued_at, not_before) VALUES (uuid_send($1::uuid), '', now(), now())`,
      [links[1].id],
    );
    // Done by the poll alone: nothing here drains the queue (the helper throws after 10 s).
    const remaining = async () => (await t.db.query<{ n: number }[]>(COUNT_MATCHING_JOBS))[0].n;
    await untilMatchingJobsDone(remaining);
    expect(await remaining()).toBe(0);
    const [{ n }] = await t.db.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM relisting_signals WHERE link_id = $1 AND matched_link_id = $2`,
      [links[1].id, links[0].id],
    );
    expect(n).toBeGreaterThan(0);
  });
});
