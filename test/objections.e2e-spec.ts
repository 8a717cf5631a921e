import { Client } from 'pg';
import { Party, TestApp } from './support/app';
import { createAppRoleApp } from './support/app-role';
import { Campaign, setUpCampaign, shopeeUrl, submitBatch, tokopediaUrl } from './support/campaign';
import { downloadPackage, fulfilledRequest, openPackage } from './support/evidence';
import { expectProblem } from './support/problem';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const REPLY_MS = 1500;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('objections: a marketplace objects, the notifying ministry decides, the clock stands still meanwhile', () => {
  let t: TestApp;
  let c: Campaign;
  let owner: Client;
  let otherMinistry: Party;
  // As the least-privilege role the API runs as in production; the ministry's reply time is short so it can run out.
  beforeAll(async () => {
    ({ t, owner } = await createAppRoleApp({
      OBJECTION_REPLY_MS: String(REPLY_MS),
      OBJECTIONS_PER_LINK: '3',
    }));
    c = await setUpCampaign(t);
    otherMinistry = await t.party('ministry');
  });
  afterAll(async () => {
    await owner.end();
    await t.close();
  });

  const newLink = async () => (await submitBatch(t, c, [shopeeUrl()])).links[0];
  const object = (linkId: string, body: unknown = GROUNDS, party: Party = c.shopee) =>
    t.http
      .post(`/v1/links/${linkId}/objections`)
      .set(party.auth)
      .send(body as object);
  const decide = (id: string, body: unknown, party: Party = c.ministry) =>
    t.http
      .post(`/v1/objections/${id}/decision`)
      .set(party.auth)
      .send(body as object);
  const acknowledge = (linkId: string, status: string, party: Party = c.shopee) =>
    t.http
      .post('/v1/links/acknowledgements')
      .set(party.auth)
      .send({ items: [{ linkId, status, ...(status === 'rejected' ? { reason: 'Not illegal' } : {}) }] })
      .expect(200);
  const linkOf = async (id: string, party: Party = c.ministry) =>
    (await t.http.get(`/v1/links/${id}`).set(party.auth).expect(200)).body as Record<string, unknown>;
  /** What a refusal must leave as it was: the objections, the links and the audit trail. */
  const state = async () => {
    const {
      rows: [row],
    } = await owner.query<{ objections: string; links: string }>(
      `SELECT (SELECT coalesce(json_agg(o ORDER BY id), '[]')::text FROM objections o) AS objections,
              (SELECT md5(coalesce(string_agg(l::text, ',' ORDER BY id), '')) FROM links l) AS links`,
    );
    return { ...row, events: await t.auditCount() };
  };

  it('stops an open link’s clock while the objection waits; a rejection moves dueAt on by the time paused', async () => {
    const link = await newLink();
    const filed = await object(link.id, {
      ground: 'not_illegal',
      detail: 'New garments with tags, imported under licence.',
      onBehalfOfSeller: true,
      evidenceSha256: 'a'.repeat(64),
    }).expect(201);
    expect(filed.body).toEqual({
      id: expect.stringMatching(UUID),
      linkId: link.id,
      marketplaceId: c.shopee.marketplaceId,
      notifierAgencyId: c.ministry.agencyId,
      ground: 'not_illegal',
      detail: 'New garments with tags, imported under licence.',
      onBehalfOfSeller: true,
      evidenceSha256: 'a'.repeat(64),
      filedAt: expect.any(String),
      replyDueAt: new Date(Date.parse(filed.body.filedAt) + REPLY_MS).toISOString(),
      overdue: false,
      clockPaused: true,
      status: 'open',
      linkStatus: 'pending',
      note: null,
      decidedAt: null,
      pausedMs: null,
    });
    const paused = await linkOf(link.id);
    expect(paused).toEqual(
      expect.objectContaining({ status: 'pending', dueAt: link.dueAt, clockPausedAt: filed.body.filedAt }),
    );

    await sleep(60);
    const decided = await decide(filed.body.id, {
      outcome: 'rejected',
      note: 'The goods are used clothing.',
    }).expect(200);
    const pausedMs = Date.parse(decided.body.decidedAt) - Date.parse(filed.body.filedAt);
    expect(pausedMs).toBeGreaterThanOrEqual(60);
    expect(decided.body).toEqual({
      ...filed.body,
      status: 'rejected',
      note: 'The goods are used clothing.',
      decidedAt: expect.any(String),
      pausedMs,
      overdue: false,
    });
    const resumed = await linkOf(link.id);
    expect(resumed).toEqual(
      expect.objectContaining({
        status: 'pending',
        dueAt: new Date(Date.parse(link.dueAt) + pausedMs).toISOString(),
        clockPausedAt: null,
        statusReason: null,
      }),
    );

    // Both are events of the link, read by its marketplace.
    const events = (
      await t.http.get(`/v1/audit-events?entityType=link&entityId=${link.id}`).set(c.shopee.auth).expect(200)
    ).body.items as { action: string; data: Record<string, unknown> }[];
    expect(events.map((e) => [e.action, e.data])).toEqual([
      ['link.created', expect.any(Object)],
      [
        'link.objected',
        {
          objectionId: filed.body.id,
          ground: 'not_illegal',
          detail: 'New garments with tags, imported under licence.',
          onBehalfOfSeller: true,
          evidenceSha256: 'a'.repeat(64),
          clockPaused: true,
        },
      ],
      [
        'link.objection_decided',
        {
          objectionId: filed.body.id,
          outcome: 'rejected',
          note: 'The goods are used clothing.',
          from: 'pending',
          status: 'pending',
          pausedMs,
          dueAt: resumed.dueAt,
        },
      ],
    ]);
  });

  it('keeps a paused link out of the overdue lists, and puts it back when the clock runs again', async () => {
    const link = await newLink();
    // The deadline is made to have passed (as the owner: no call moves dueAt back).
    await owner.query(`UPDATE links SET due_at = now() - interval '1 hour' WHERE id = $1`, [link.id]);
    const overdueIds = async () =>
      (
        (await t.http.get(`/v1/links?overdue=true&limit=1000`).set(c.ministry.auth).expect(200)).body
          .items as {
          id: string;
        }[]
      ).map((l) => l.id);
    expect(await overdueIds()).toContain(link.id);
    const filed = await object(link.id).expect(201);
    expect((await linkOf(link.id)).overdue).toBe(false);
    expect(await overdueIds()).not.toContain(link.id);
    await decide(filed.body.id, { outcome: 'rejected', note: 'Take it down.' }).expect(200);
    expect((await linkOf(link.id)).overdue).toBe(true);
    expect(await overdueIds()).toContain(link.id);
  });

  it('upheld: an open link is withdrawn with the note as its reason', async () => {
    const link = await newLink();
    await acknowledge(link.id, 'acknowledged');
    const filed = await object(link.id, {
      ground: 'wrong_marketplace',
      detail: 'This is a Tokopedia shop.',
    }).expect(201);
    const decided = await decide(filed.body.id, {
      outcome: 'upheld',
      note: 'Sent to the wrong marketplace.',
    }).expect(200);
    expect(decided.body).toEqual(expect.objectContaining({ status: 'upheld', linkStatus: 'withdrawn' }));
    expect(await linkOf(link.id)).toEqual(
      expect.objectContaining({
        status: 'withdrawn',
        statusReason: 'Sent to the wrong marketplace.',
        resolvedAt: decided.body.decidedAt,
        clockPausedAt: null,
        dueAt: new Date(Date.parse(link.dueAt) + decided.body.pausedMs).toISOString(),
      }),
    );
  });

  it('upheld: a taken-down link is reinstated, without a paused clock, and no acknowledgement moves it again', async () => {
    const link = await newLink();
    await acknowledge(link.id, 'taken_down');
    const filed = await object(link.id, {
      ground: 'seller_authorised',
      detail: 'The seller is the brand.',
    }).expect(201);
    expect(filed.body).toEqual(expect.objectContaining({ clockPaused: false, linkStatus: 'taken_down' }));
    expect((await linkOf(link.id)).clockPausedAt).toBeNull();
    const decided = await decide(filed.body.id, { outcome: 'upheld', note: 'Authorised reseller.' }).expect(
      200,
    );
    expect(decided.body).toEqual(expect.objectContaining({ pausedMs: 0, linkStatus: 'reinstated' }));
    expect(await linkOf(link.id)).toEqual(
      expect.objectContaining({
        status: 'reinstated',
        statusReason: 'Authorised reseller.',
        dueAt: link.dueAt,
      }),
    );
    for (const status of ['acknowledged', 'taken_down', 'not_found', 'rejected']) {
      const res = await acknowledge(link.id, status);
      expect(res.body.results[0]).toEqual(expect.objectContaining({ ok: false }));
    }
    expectProblem(
      await t.http.post(`/v1/links/${link.id}/withdraw`).set(c.ministry.auth).send({ reason: 'x' }),
      409,
    );
    expect((await linkOf(link.id)).status).toBe('reinstated');
    // A reinstated link is final: no further objection, and the statistics count it apart.
    expect(expectProblem(await object(link.id), 409).type).toMatch(/\/link-final$/);
    const stats = (await t.http.get('/v1/stats/takedowns').set(c.ministry.auth).expect(200)).body
      .marketplaces as {
      marketplaceId: string;
      byStatus: Record<string, number>;
    }[];
    expect(
      stats.find((m) => m.marketplaceId === c.shopee.marketplaceId)!.byStatus.reinstated,
    ).toBeGreaterThan(0);
  });

  it('refuses, changing nothing: another marketplace’s link, the wrong party deciding, bad bodies, a second decision', async () => {
    const link = await newLink();
    const filed = await object(link.id).expect(201);
    const before = await state();
    expectProblem(await object(link.id, GROUNDS, c.tokopedia), 404);
    expectProblem(await object('6f9619ff-8b86-4011-b42d-00cf4fc964ff'), 404);
    expectProblem(await object('not-a-uuid'), 400);
    expect(expectProblem(await object(link.id), 409).type).toMatch(/\/objection-open$/);
    for (const body of [
      {},
      { ground: 'because', detail: 'x' },
      { ground: 'other', detail: '   ' },
      { ground: 'other', detail: 'x'.repeat(4001) },
      { ground: 'other', detail: 'x', evidenceSha256: 'A'.repeat(64) },
      { ground: 'other', detail: 'x', onBehalfOfSeller: 'yes' },
      { ground: 'other', detail: 'x', extra: 1 },
    ])
      expectProblem(await object(link.id, body), 400);
    expectProblem(await object(link.id, GROUNDS, c.ministry), 403);
    expectProblem(await decide(filed.body.id, { outcome: 'upheld', note: 'x' }, otherMinistry), 403);
    expectProblem(await decide(filed.body.id, { outcome: 'upheld', note: 'x' }, c.shopee), 403);
    expectProblem(await decide(filed.body.id, { outcome: 'maybe', note: 'x' }), 400);
    expectProblem(await decide(filed.body.id, { outcome: 'upheld', note: ' ' }), 400);
    expectProblem(
      await decide('6f9619ff-8b86-4011-b42d-00cf4fc964ff', { outcome: 'upheld', note: 'x' }),
      404,
    );
    expect(await state()).toEqual(before);

    await decide(filed.body.id, { outcome: 'rejected', note: 'No.' }).expect(200);
    const decided = await state();
    expect(expectProblem(await decide(filed.body.id, { outcome: 'upheld', note: 'Yes.' }), 409).type).toMatch(
      /\/objection-decided$/,
    );
    expect(await state()).toEqual(decided);
  });

  it('refuses an objection to a final link, or to one its marketplace reported (no ministry to decide)', async () => {
    const link = await newLink();
    await acknowledge(link.id, 'not_found');
    const reported = await t.http
      .post('/v1/takedown-reports')
      .set(c.shopee.auth)
      .send({
        items: [{ url: shopeeUrl(), takenDownAt: new Date().toISOString(), listing: { title: 'Bal' } }],
      })
      .expect(200);
    const before = await state();
    expect(expectProblem(await object(link.id), 409).type).toMatch(/\/link-final$/);
    expect(expectProblem(await object(reported.body.results[0].linkId), 409).type).toMatch(
      /\/objection-no-notifier$/,
    );
    expect(await state()).toEqual(before);
  });

  it('allows at most OBJECTIONS_PER_LINK objections to a link, one open at a time', async () => {
    const link = await newLink();
    for (let i = 0; i < 3; i++) {
      const filed = await object(link.id).expect(201);
      await decide(filed.body.id, { outcome: 'rejected', note: `No, ${i}.` }).expect(200);
    }
    const before = await state();
    expect(expectProblem(await object(link.id), 409).type).toMatch(/\/objection-limit$/);
    expect(await state()).toEqual(before);
  });

  it('100 objections at once to 100 links are each filed; 10 at once to one link: one is filed', async () => {
    const { links } = await submitBatch(
      t,
      c,
      Array.from({ length: 100 }, () => shopeeUrl()),
    );
    const many = await Promise.all(links.map((l) => object(l.id)));
    expect(many.map((r) => r.status)).toEqual(links.map(() => 201));
    const one = await newLink();
    const rivals = await Promise.all(Array.from({ length: 10 }, () => object(one.id)));
    expect(rivals.map((r) => r.status).sort()).toEqual([201, ...Array(9).fill(409)]);
    const decisions = await Promise.all(
      ['upheld', 'rejected'].map((outcome) =>
        decide(rivals.find((r) => r.status === 201)!.body.id, { outcome, note: outcome }),
      ),
    );
    expect(decisions.map((d) => d.status).sort()).toEqual([200, 409]);
    const {
      rows: [{ n }],
    } = await owner.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_events WHERE entity_id = $1 AND action = 'link.objection_decided'`,
      [one.id],
    );
    expect(n).toBe(1);
  });

  it('lists by status, marketplace, link and overdue, a page at a time; a marketplace sees only its own', async () => {
    const own = await newLink();
    const other = (await submitBatch(t, c, [tokopediaUrl()])).links[0];
    const mine = await object(own.id).expect(201);
    const theirs = await object(other.id, GROUNDS, c.tokopedia).expect(201);
    const list = async (query: string, party: Party = c.ministry) =>
      (await t.http.get(`/v1/objections?${query}`).set(party.auth).expect(200)).body as {
        items: { id: string; overdue: boolean }[];
        nextCursor: string | null;
      };
    expect((await list(`linkId=${own.id}`)).items.map((o) => o.id)).toEqual([mine.body.id]);
    const tokopedia = await list(`marketplaceId=${c.tokopedia.marketplaceId}&status=open`);
    expect(tokopedia.items.map((o) => o.id)).toContain(theirs.body.id);
    expect(tokopedia.items.map((o) => o.id)).not.toContain(mine.body.id);
    const shopeeSees = await list('limit=1000', c.shopee);
    expect(shopeeSees.items.map((o) => o.id)).toContain(mine.body.id);
    expect(shopeeSees.items.map((o) => o.id)).not.toContain(theirs.body.id);
    expectProblem(await t.http.get(`/v1/objections/${theirs.body.id}`).set(c.shopee.auth), 404);
    await t.http.get(`/v1/objections/${theirs.body.id}`).set(c.association.auth).expect(200);

    // Newest first, a page at a time, every objection once.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(`limit=7${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items.map((o) => o.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual((await list('limit=1000')).items.map((o) => o.id));

    // The ministry's reply time runs out: the open objection is overdue, and nothing is decided for it.
    await sleep(REPLY_MS + 100);
    const overdue = await list(`overdue=true&linkId=${own.id}`);
    expect(overdue.items).toEqual([expect.objectContaining({ id: mine.body.id, overdue: true })]);
    expect((await list(`overdue=false&linkId=${own.id}`)).items).toEqual([]);
    expect(
      (await t.http.get(`/v1/objections/${mine.body.id}`).set(c.ministry.auth).expect(200)).body.status,
    ).toBe('open');
    for (const q of ['status=closed', 'overdue=yes', 'marketplaceId=x', 'limit=0', 'cursor=zz'])
      expectProblem(await t.http.get(`/v1/objections?${q}`).set(c.ministry.auth), 400);
    expectProblem(await t.http.get('/v1/objections').set(c.police.auth), 403);
  });

  it('puts objections and a reinstatement in an evidence package that verifies; a status edited behind the API is refused', async () => {
    const rejectedUrl = shopeeUrl();
    const reinstatedUrl = shopeeUrl();
    const { links } = await submitBatch(t, c, [rejectedUrl, reinstatedUrl]);
    const [paused, reinstated] = links;
    const first = await object(paused.id).expect(201);
    await sleep(20);
    await decide(first.body.id, { outcome: 'rejected', note: 'No.' }).expect(200);
    await acknowledge(paused.id, 'taken_down');
    await acknowledge(reinstated.id, 'taken_down');
    const second = await object(reinstated.id).expect(201);
    await decide(second.body.id, { outcome: 'upheld', note: 'Reinstate.' }).expect(200);

    const requestId = await fulfilledRequest(t, c, [rejectedUrl, reinstatedUrl]);
    const download = () => downloadPackage(t, c, requestId);
    const { links: lines, verified } = await openPackage(t, c, (await download().expect(200)).body as Buffer);
    expect(verified.lines.filter((l) => l.startsWith('✘'))).toEqual([]);
    expect(verified.ok).toBe(true);
    const byId = new Map(lines.map((l) => [l.id, l]));
    expect(byId.get(paused.id)).toEqual(
      expect.objectContaining({ status: 'taken_down', dueAt: (await linkOf(paused.id)).dueAt }),
    );
    expect(byId.get(paused.id)!.dueAt).not.toBe(paused.dueAt);
    expect(byId.get(reinstated.id)).toEqual(
      expect.objectContaining({ status: 'reinstated', statusReason: 'Reinstate.' }),
    );

    // With the application's grants the reinstatement is undone behind the API: the export refuses while it stands.
    await t.db.query(`UPDATE links SET status = 'taken_down' WHERE id = $1`, [reinstated.id]);
    try {
      expect(expectProblem(await download(), 409).type).toMatch(/evidence-integrity$/);
    } finally {
      await t.db.query(`UPDATE links SET status = 'reinstated' WHERE id = $1`, [reinstated.id]);
    }
    await t.db.query(`UPDATE links SET due_at = due_at - interval '1 ms' WHERE id = $1`, [paused.id]);
    try {
      expect(expectProblem(await download(), 409).type).toMatch(/evidence-integrity$/);
    } finally {
      await t.db.query(`UPDATE links SET due_at = due_at + interval '1 ms' WHERE id = $1`, [paused.id]);
    }
  });
});

const GROUNDS = { ground: 'insufficient_evidence', detail: 'The notice names no listing detail.' };
