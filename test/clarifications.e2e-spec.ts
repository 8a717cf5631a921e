import { Client } from 'pg';
import { Party, TestApp } from './support/app';
import { createAppRoleApp } from './support/app-role';
import { Campaign, setUpCampaign, shopeeUrl, submitBatch } from './support/campaign';
import { expectProblem } from './support/problem';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('clarifications: a marketplace asks the notifying ministry, without objecting', () => {
  let t: TestApp;
  let c: Campaign;
  let owner: Client;
  let otherMinistry: Party;
  // As the least-privilege role the API runs as in production: what it may write is what scripts/sql/app-role.sql grants.
  beforeAll(async () => {
    ({ t, owner } = await createAppRoleApp());
    c = await setUpCampaign(t);
    otherMinistry = await t.party('ministry');
  });
  afterAll(async () => {
    await owner.end();
    await t.close();
  });

  const newLink = async () => (await submitBatch(t, c, [shopeeUrl()])).links[0];
  const ask = (linkId: string, body: unknown, party: Party = c.shopee) =>
    t.http
      .post(`/v1/links/${linkId}/clarifications`)
      .set(party.auth)
      .send(body as object);
  const answer = (id: string, body: unknown, party: Party = c.ministry) =>
    t.http
      .post(`/v1/clarifications/${id}/answer`)
      .set(party.auth)
      .send(body as object);
  /** What a refusal must leave as it was: the questions, the audit trail and every link. */
  const state = async () => {
    const {
      rows: [row],
    } = await owner.query<{ questions: string; changed: string }>(
      `SELECT (SELECT coalesce(json_agg(c ORDER BY id), '[]')::text FROM clarifications c) AS questions,
              (SELECT max(updated_at)::text FROM links) AS changed`,
    );
    return { ...row, events: await t.auditCount() };
  };

  it('asks and answers, each audited for the marketplace, and leaves the link and its clock as they were', async () => {
    const link = await newLink();
    const asked = await ask(link.id, { question: 'Is the whole shop meant, or this listing?' }).expect(201);
    expect(asked.body).toEqual({
      id: expect.stringMatching(UUID),
      linkId: link.id,
      marketplaceId: c.shopee.marketplaceId,
      notifierAgencyId: c.ministry.agencyId,
      question: 'Is the whole shop meant, or this listing?',
      askedAt: expect.any(String),
      status: 'open',
      answer: null,
      answeredAt: null,
    });
    const after = (await t.http.get(`/v1/links/${link.id}`).set(c.shopee.auth).expect(200)).body;
    expect({ status: after.status, dueAt: after.dueAt }).toEqual({ status: 'pending', dueAt: link.dueAt });

    const answered = await answer(asked.body.id, { answer: 'This listing only.' }).expect(200);
    expect(answered.body).toEqual({
      ...asked.body,
      status: 'answered',
      answer: 'This listing only.',
      answeredAt: expect.any(String),
    });
    expect(Date.parse(answered.body.answeredAt)).toBeGreaterThanOrEqual(Date.parse(asked.body.askedAt));

    // The marketplace reads both events (it is their party); the trail names who asked and who answered.
    const events = (
      await t.http
        .get(`/v1/audit-events?entityType=clarification&entityId=${asked.body.id}`)
        .set(c.shopee.auth)
        .expect(200)
    ).body.items as { action: string; actorAgencyId?: string; data: Record<string, unknown> }[];
    expect(events.map((e) => [e.action, e.data])).toEqual([
      ['clarification.requested', { linkId: link.id, question: 'Is the whole shop meant, or this listing?' }],
      ['clarification.answered', { linkId: link.id, answer: 'This listing only.' }],
    ]);
  });

  it('answers a question once: a second answer is a 409 that changes nothing', async () => {
    const asked = await ask((await newLink()).id, { question: 'Which law?' }).expect(201);
    await answer(asked.body.id, { answer: 'Permendag 18/2021.' }).expect(200);
    const before = await state();
    expect(expectProblem(await answer(asked.body.id, { answer: 'Another answer' }), 409)).toEqual(
      expect.objectContaining({ type: expect.stringMatching(/\/clarification-answered$/) }),
    );
    expect(await state()).toEqual(before);
  });

  it('100 questions at once are each recorded once, and 100 reads of the list agree', async () => {
    const link = await newLink();
    const before = await t.auditCount();
    const asked = await Promise.all(
      Array.from({ length: 100 }, (_, i) => ask(link.id, { question: `Question ${i}?` })),
    );
    expect(asked.map((a) => a.status)).toEqual(asked.map(() => 201));
    expect(new Set(asked.map((a) => a.body.id)).size).toBe(100);
    expect(await t.auditCount()).toBe(before + 100);
    const reads = await Promise.all(
      Array.from({ length: 100 }, () =>
        t.http.get(`/v1/clarifications?linkId=${link.id}&limit=1000`).set(c.ministry.auth),
      ),
    );
    const bodies = new Set(reads.map((r) => (r.status === 200 ? r.body.items.length : `status ${r.status}`)));
    expect([...bodies]).toEqual([100]);
  });

  it('two answers at once: one is recorded, the other is a 409', async () => {
    const asked = await ask((await newLink()).id, { question: 'Which law?' }).expect(201);
    const answers = await Promise.all(['First', 'Second'].map((a) => answer(asked.body.id, { answer: a })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    const {
      rows: [{ n }],
    } = await owner.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_events WHERE entity_id = $1 AND action = 'clarification.answered'`,
      [asked.body.id],
    );
    expect(n).toBe(1);
  });

  it('refuses, changing nothing: another marketplace’s link, another ministry’s answer, bad bodies, the wrong roles', async () => {
    const link = await newLink();
    const asked = await ask(link.id, { question: 'Which law?' }).expect(201);
    const before = await state();
    expectProblem(await ask(link.id, { question: 'Mine?' }, c.tokopedia), 404);
    expectProblem(await ask('00000000-0000-4000-8000-000000000000', { question: 'Which?' }), 404);
    expect(
      expectProblem(await answer(asked.body.id, { answer: 'Not mine' }, otherMinistry), 403).detail,
    ).toMatch(/notified/);
    expectProblem(await answer(asked.body.id, { answer: 'As the marketplace' }, c.shopee), 403);
    expectProblem(await ask(link.id, { question: 'As the ministry' }, c.ministry), 403);
    expectProblem(await ask(link.id, { question: 'As the police' }, c.police), 403);
    expectProblem(await answer('00000000-0000-4000-8000-000000000000', { answer: 'x' }), 404);
    for (const body of [
      {},
      { question: '   ' },
      { question: 'x'.repeat(4001) },
      { question: 7 },
      { question: 'ok', extra: 1 },
    ])
      expectProblem(await ask(link.id, body), 400);
    for (const body of [{}, { answer: '' }, { answer: '\n\t' }])
      expectProblem(await answer(asked.body.id, body), 400);
    expectProblem(await t.http.get('/v1/clarifications').set(c.police.auth), 403);
    expect(await state()).toEqual(before);
  });

  it('refuses a question about a final link, or one its marketplace reported (no ministry to ask)', async () => {
    const link = await newLink();
    await t.http
      .post(`/v1/links/${link.id}/withdraw`)
      .set(c.ministry.auth)
      .send({ reason: 'sent in error' })
      .expect(200);
    const reported = await t.http
      .post('/v1/takedown-reports')
      .set(c.shopee.auth)
      .send({
        items: [{ url: shopeeUrl(), takenDownAt: new Date(Date.now() - 60_000).toISOString(), listing: {} }],
      })
      .expect(200);
    const before = await state();
    expect(expectProblem(await ask(link.id, { question: 'Why?' }), 409).type).toMatch(/\/link-final$/);
    expect(expectProblem(await ask(reported.body.results[0].linkId, { question: 'Who?' }), 409).type).toMatch(
      /\/clarification-no-notifier$/,
    );
    expect(await state()).toEqual(before);
  });

  it('lists newest first, by link and status, a page at a time; a marketplace sees only its own links’ questions', async () => {
    const link = await newLink();
    const ids: string[] = [];
    for (const q of ['One?', 'Two?', 'Three?'])
      ids.push((await ask(link.id, { question: q }).expect(201)).body.id);
    await answer(ids[1], { answer: 'Two.' }).expect(200);

    const page = async (query: string, party: Party) =>
      (await t.http.get(`/v1/clarifications?${query}`).set(party.auth).expect(200)).body;
    const all = await page(`linkId=${link.id}`, c.ministry);
    expect(all.items.map((x: { id: string }) => x.id)).toEqual([...ids].reverse());
    expect(all.nextCursor).toBeNull();
    expect(
      (await page(`linkId=${link.id}&status=open`, c.association)).items.map((x: { id: string }) => x.id),
    ).toEqual([ids[2], ids[0]]);
    expect(
      (await page(`linkId=${link.id}&status=answered`, c.shopee)).items.map((x: { id: string }) => x.id),
    ).toEqual([ids[1]]);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const p: { items: { id: string }[]; nextCursor: string | null } = await page(
        `linkId=${link.id}&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
        c.shopee,
      );
      seen.push(...p.items.map((x) => x.id));
      cursor = p.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());

    expect((await page(`linkId=${link.id}`, c.tokopedia)).items).toEqual([]);
    expectProblem(await t.http.get(`/v1/clarifications/${ids[0]}`).set(c.tokopedia.auth), 404);
    const one = await t.http.get(`/v1/clarifications/${ids[1]}`).set(c.shopee.auth).expect(200);
    expect(one.body).toEqual(expect.objectContaining({ id: ids[1], status: 'answered', answer: 'Two.' }));
    for (const q of ['status=closed', 'linkId=nope', 'cursor=bad', 'limit=0'])
      expectProblem(await t.http.get(`/v1/clarifications?${q}`).set(c.ministry.auth), 400);
  });
});
