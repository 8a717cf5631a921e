import { Client } from 'pg';
import type { TestApp } from './support/app';
import { createAppRoleApp } from './support/app-role';
import { batch, Campaign, setUpCampaign, shopeeUrl, submitBatch, tokopediaUrl } from './support/campaign';
import { downloadPackage, fulfilledRequest, openPackage } from './support/evidence';
import { expectProblem } from './support/problem';

const HOUR = 3_600_000;

interface Link {
  id: string;
  url: string;
  priority: string;
  dueAt: string;
  createdAt: string;
}

describe('priority: urgent and normal batches and links, each due by its marketplace’s hours for it', () => {
  let t: TestApp;
  let c: Campaign;
  let owner: Client;
  beforeAll(async () => {
    ({ t, owner } = await createAppRoleApp());
    c = await setUpCampaign(t);
    // Shopee: 48 hours, 12 when urgent (the default); Tokopedia: 24 hours, 4 when urgent.
    await t.http
      .patch(`/v1/marketplaces/${c.tokopedia.marketplaceId}`)
      .set(t.operator.auth)
      .send({ urgentSlaHours: 4 })
      .expect(200);
  });
  afterAll(async () => {
    await owner.end();
    await t.close();
  });

  const linksOf = async (batchId: string, query = ''): Promise<Link[]> =>
    (await t.http.get(`/v1/links?batchId=${batchId}&limit=1000${query}`).set(c.ministry.auth).expect(200))
      .body.items;
  /** The data of the entity's one event of `action`, as the audit trail holds it. */
  const eventData = async (action: string, entityId: string): Promise<Record<string, unknown>> => {
    const rows = await owner.query<{ canonical: string }>(
      'SELECT canonical FROM audit_events WHERE action = $1 AND entity_id = $2',
      [action, entityId],
    );
    expect(rows.rows).toHaveLength(1);
    return JSON.parse(rows.rows[0].canonical).data;
  };
  const hoursGiven = (l: Link) => (Date.parse(l.dueAt) - Date.parse(l.createdAt)) / HOUR;
  const state = async () =>
    (
      await owner.query<{ s: string }>(
        `SELECT (SELECT count(*) FROM link_batches) || '/' || (SELECT count(*) FROM links) || '/' ||
                (SELECT string_agg(code || ':' || takedown_sla_hours || ':' || urgent_sla_hours, ',' ORDER BY code)
                   FROM marketplaces) || '/' || (SELECT max(seq) FROM audit_events) AS s`,
      )
    ).rows[0].s;

  it('gives an urgent batch’s links the urgent hours, and a link naming normal the normal ones', async () => {
    const [s1, s2, t1] = [shopeeUrl(), shopeeUrl(), tokopediaUrl()];
    const res = await t.http
      .post('/v1/link-batches')
      .set(c.ministry.auth)
      .send(batch([s1, { url: s2, priority: 'normal' }, t1], { priority: 'urgent' }))
      .expect(201);
    expect(res.body.priority).toBe('urgent');
    const links = new Map((await linksOf(res.body.id)).map((l) => [l.url, l]));
    expect([s1, s2, t1].map((u) => [links.get(u)!.priority, hoursGiven(links.get(u)!)])).toEqual([
      ['urgent', 12],
      ['normal', 48],
      ['urgent', 4],
    ]);

    const detail = (await t.http.get(`/v1/link-batches/${res.body.id}`).set(c.shopee.auth).expect(200)).body;
    expect(detail.priority).toBe('urgent');
    const urgentOnly = await linksOf(res.body.id, '&priority=urgent');
    expect(urgentOnly.map((l) => l.url).sort()).toEqual([s1, t1].sort());
    expect((await linksOf(res.body.id, '&priority=normal')).map((l) => l.url)).toEqual([s2]);

    // The marketplace sees the priority of its own links; the audit trail says urgent, and only of urgent ones.
    const seen = (
      await t.http
        .get(`/v1/links/${links.get(s1)!.id}`)
        .set(c.shopee.auth)
        .expect(200)
    ).body;
    expect(seen.priority).toBe('urgent');
    expect((await eventData('link_batch.created', res.body.id)).priority).toBe('urgent');
    expect((await eventData('link.created', links.get(s1)!.id)).priority).toBe('urgent');
    expect((await eventData('link.created', links.get(t1)!.id)).priority).toBe('urgent');
    expect(await eventData('link.created', links.get(s2)!.id)).not.toHaveProperty('priority');
  });

  it('makes a batch normal unless it says otherwise, a link urgent by its own priority, a batch due time over both', async () => {
    const [s1, s2] = [shopeeUrl(), shopeeUrl()];
    const { batchId, links } = await submitBatch(t, c, [s1, { url: s2, priority: 'urgent' }]);
    expect(
      (await t.http.get(`/v1/link-batches/${batchId}`).set(c.ministry.auth).expect(200)).body.priority,
    ).toBe('normal');
    expect(links.map((l) => [l.priority, hoursGiven(l)])).toEqual([
      ['normal', 48],
      ['urgent', 12],
    ]);
    const dueAt = new Date(Date.now() + 100 * HOUR).toISOString();
    const fixed = await submitBatch(t, c, [shopeeUrl()], { priority: 'urgent', dueAt });
    expect(fixed.links[0]).toEqual(expect.objectContaining({ priority: 'urgent', dueAt }));
  });

  it('reads the priority of a CSV batch from its query, and of each row from a priority column', async () => {
    const [s1, s2, s3] = [shopeeUrl(), shopeeUrl(), shopeeUrl()];
    const res = await t.http
      .post('/v1/link-batches')
      .query({ reference: 'CSV/URGENT', legalBasis: 'Permendag 40/2022', priority: 'urgent' })
      .set(c.ministry.auth)
      .set('Content-Type', 'text/csv')
      .send(`url;Priority\n${s1};\n${s2};Normal\n${s3};URGENT\n`)
      .expect(201);
    expect(res.body).toEqual(expect.objectContaining({ priority: 'urgent', ignoredColumns: [] }));
    const links = new Map((await linksOf(res.body.id)).map((l) => [l.url, l.priority]));
    expect([s1, s2, s3].map((u) => links.get(u))).toEqual(['urgent', 'normal', 'urgent']);
  });

  it('refuses an unknown priority with 400 naming it, and changes nothing', async () => {
    const before = await state();
    const ofBatch = expectProblem(
      await t.http
        .post('/v1/link-batches')
        .set(c.ministry.auth)
        .send(batch([shopeeUrl()], { priority: 'high' })),
      400,
    );
    expect(ofBatch.errors).toEqual([expect.objectContaining({ path: 'priority' })]);
    const ofLink = expectProblem(
      await t.http
        .post('/v1/link-batches')
        .set(c.ministry.auth)
        .send(batch([shopeeUrl(), { url: shopeeUrl(), priority: 'Urgent' }])),
      400,
    );
    expect(ofLink.errors).toEqual([
      { path: 'links[1].priority', message: 'priority must be urgent or normal' },
    ]);
    const ofRow = expectProblem(
      await t.http
        .post('/v1/link-batches')
        .query({ reference: 'CSV/X', legalBasis: 'L' })
        .set(c.ministry.auth)
        .set('Content-Type', 'text/csv')
        .send(`url,priority\n${shopeeUrl()},asap\n`),
      400,
    );
    expect(ofRow.errors).toEqual([
      { path: 'links[0].priority', message: 'priority must be urgent or normal' },
    ]);
    expectProblem(await t.http.get('/v1/links?priority=high').set(c.ministry.auth), 400);
    expect(await state()).toBe(before);
  });

  it('keeps the first notifier’s priority and due time when a second ministry sends the listing urgent', async () => {
    const { links } = await submitBatch(t, c, [shopeeUrl()]);
    const kemenkop = await t.party('ministry');
    const res = await t.http
      .post('/v1/link-batches')
      .set(kemenkop.auth)
      .send(batch([links[0].url], { priority: 'urgent' }))
      .expect(201);
    expect(res.body.counts.coNotified).toBe(1);
    const after = (await t.http.get(`/v1/links/${links[0].id}`).set(kemenkop.auth).expect(200)).body;
    expect(after).toEqual(expect.objectContaining({ priority: 'normal', dueAt: links[0].dueAt }));
  });

  it('gives a marketplace 12 urgent hours, or its normal hours when fewer, and never more urgent than normal hours', async () => {
    const agency = await t.party('marketplace');
    const register = (code: string, extra: Record<string, unknown>) =>
      t.http
        .post('/v1/marketplaces')
        .set(t.operator.auth)
        .send({ agencyId: agency.agencyId, code, name: code, domains: [`${code}.example`], ...extra });
    expect((await register('cepat', { takedownSlaHours: 6 }).expect(201)).body).toEqual(
      expect.objectContaining({ takedownSlaHours: 6, urgentSlaHours: 6 }),
    );
    const lambat = (await register('lambat', { takedownSlaHours: 72, urgentSlaHours: 24 }).expect(201)).body;
    expect(lambat.urgentSlaHours).toBe(24);
    expect(await eventData('marketplace.created', lambat.id)).toEqual(
      expect.objectContaining({ takedownSlaHours: 72, urgentSlaHours: 24 }),
    );

    const before = await state();
    const tooLong = expectProblem(await register('keliru', { takedownSlaHours: 6, urgentSlaHours: 7 }), 400);
    expect(tooLong.errors).toEqual([
      { path: 'urgentSlaHours', message: 'urgentSlaHours (7) must be at most takedownSlaHours (6)' },
    ]);
    const patch = (body: Record<string, unknown>) =>
      t.http.patch(`/v1/marketplaces/${lambat.id}`).set(t.operator.auth).send(body);
    const shortened = expectProblem(await patch({ takedownSlaHours: 12 }), 400);
    expect(shortened.errors).toEqual([
      { path: 'urgentSlaHours', message: 'urgentSlaHours (24) must be at most takedownSlaHours (12)' },
    ]);
    expectProblem(await patch({ urgentSlaHours: 73 }), 400);
    expectProblem(await patch({ urgentSlaHours: 0 }), 400);
    expect(await state()).toBe(before);

    const both = (await patch({ takedownSlaHours: 12, urgentSlaHours: 2 }).expect(200)).body;
    expect(both).toEqual(expect.objectContaining({ takedownSlaHours: 12, urgentSlaHours: 2 }));
    expect(await eventData('marketplace.updated', lambat.id)).toEqual({
      takedownSlaHours: { from: 72, to: 12 },
      urgentSlaHours: { from: 24, to: 2 },
    });
    // The database holds the rule too: a row edited behind the API cannot give urgent links longer.
    await expect(
      t.db.query('UPDATE marketplaces SET urgent_sla_hours = 13 WHERE id = $1', [lambat.id]),
    ).rejects.toThrow(/ck_marketplaces_urgent_sla/);
  });

  it('puts an urgent link’s priority in the evidence package, and refuses a package whose priority was edited', async () => {
    const [urgent, normal] = [shopeeUrl(), shopeeUrl()];
    const { links } = await submitBatch(t, c, [{ url: urgent, priority: 'urgent' }, normal]);
    await t.http
      .post('/v1/links/acknowledgements')
      .set(c.shopee.auth)
      .send({ items: links.map((l) => ({ linkId: l.id, status: 'taken_down' })) })
      .expect(200);
    const requestId = await fulfilledRequest(t, c, [urgent, normal]);
    const pkg = await openPackage(t, c, (await downloadPackage(t, c, requestId).expect(200)).body as Buffer);
    expect(pkg.verified.lines.filter((l) => l.startsWith('✘'))).toEqual([]);
    expect(pkg.verified.ok).toBe(true);
    const byId = new Map(pkg.links.map((l) => [l.id, l]));
    expect(byId.get(links[0].id)!.priority).toBe('urgent');
    expect(byId.get(links[1].id)).not.toHaveProperty('priority');

    // With the application's grants: a normal link made urgent behind the API is not what its events say.
    await t.db.query(`UPDATE links SET priority = 'urgent' WHERE id = $1`, [links[1].id]);
    const refused = expectProblem(await downloadPackage(t, c, requestId), 409);
    expect(refused.detail).toMatch(/priority/);
    await t.db.query(`UPDATE links SET priority = 'normal' WHERE id = $1`, [links[1].id]);
    await downloadPackage(t, c, requestId).expect(200);
    await t.db.query(`UPDATE links SET priority = 'normal' WHERE id = $1`, [links[0].id]);
    expect(expectProblem(await downloadPackage(t, c, requestId), 409).detail).toMatch(/priority/);
  });
});
