import { canonicalJson } from '../src/audit/canonical';
import { createTestApp, TestApp } from './support/app';
import { expectProblem } from './support/problem';

describe('audit trail', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it.each([
    ['UPDATE', `UPDATE audit_events SET action = 'x' WHERE seq = 1`],
    ['DELETE', 'DELETE FROM audit_events WHERE seq = 1'],
    ['TRUNCATE', 'TRUNCATE audit_events'],
  ])('refuses %s on audit_events in PostgreSQL itself', async (_op, sql) => {
    await expect(t.db.query(sql)).rejects.toThrow(/append-only/);
  });

  it('keeps seq gap-free and the chain valid under 50 concurrent state changes', async () => {
    const before = await t.auditCount();
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        t.http
          .post('/v1/agencies')
          .set(t.operator.auth)
          .send({ code: `concurrent-${i}`, name: `Agency ${i}`, type: 'police' }),
      ),
    );
    expect(answers.map((r) => r.status)).toEqual(Array(50).fill(201));
    expect(await t.auditCount()).toBe(before + 50);
    const [gaps] = await t.db.query(
      'SELECT min(seq)::int AS lo, max(seq)::int AS hi, count(*)::int AS n FROM audit_events',
    );
    expect(gaps).toEqual({ lo: 1, hi: gaps.n, n: gaps.n });
    const verify = await t.http.get('/v1/audit/verify').set(t.operator.auth).expect(200);
    expect(verify.body).toEqual({
      ok: true,
      checked: gaps.n,
      headSeq: gaps.n,
      headHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      firstBadSeq: null,
      problem: null,
    });
  });

  it('refuses a verification range that would check nothing (400), instead of answering ok', async () => {
    const head = await t.auditCount();
    for (const query of ['fromSeq=5&toSeq=2', `fromSeq=${head + 1}`]) {
      const problem = expectProblem(await t.http.get(`/v1/audit/verify?${query}`).set(t.operator.auth), 400);
      expect(problem.errors).toEqual([
        { path: expect.stringMatching(/^(toSeq|fromSeq)$/), message: expect.any(String) },
      ]);
    }
  });

  it('stores every entry as its exact RFC 8785 text, however many events a change wrote', async () => {
    await t.party('marketplace');
    const rows: { canonical: string; seq: string }[] = await t.db.query(
      'SELECT canonical, seq FROM audit_events ORDER BY seq',
    );
    expect(rows.length).toBeGreaterThan(3);
    for (const row of rows) {
      const parsed = JSON.parse(row.canonical);
      expect(canonicalJson(parsed)).toBe(row.canonical);
      expect(parsed.seq).toBe(Number(row.seq));
    }
  });

  it('pages events with afterSeq and the cursor, and filters by entity, action and actor agency', async () => {
    const p = await t.party('police');
    const page1 = await t.http.get('/v1/audit-events?limit=5').set(t.operator.auth).expect(200);
    expect(page1.body.items.map((e: { seq: number }) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    const page2 = await t.http
      .get(`/v1/audit-events?limit=5&cursor=${page1.body.nextCursor}`)
      .set(t.operator.auth)
      .expect(200);
    expect(page2.body.items[0].seq).toBe(6);
    const after = await t.http.get('/v1/audit-events?afterSeq=3&limit=1').set(t.operator.auth).expect(200);
    expect(after.body.items[0].seq).toBe(4);
    const created = await t.http
      .get(`/v1/audit-events?action=agency.created&entityId=${p.agencyId}`)
      .set(t.operator.auth)
      .expect(200);
    expect(created.body.items).toHaveLength(1);
    const byActor = await t.http
      .get(`/v1/audit-events?actorAgencyId=${t.operator.agencyId}&limit=1000`)
      .set(t.operator.auth)
      .expect(200);
    expect(
      byActor.body.items.every(
        (e: { actor: { agencyId: string } }) => e.actor.agencyId === t.operator.agencyId,
      ),
    ).toBe(true);
    expectProblem(await t.http.get('/v1/audit-events?from=yesterday').set(t.operator.auth), 400);
  });

  it('shows an agency only the events of its own agency and clients', async () => {
    const police = await t.party('police');
    const res = await t.http.get('/v1/audit-events?limit=1000').set(police.auth).expect(200);
    const entityIds = new Set(res.body.items.map((e: { entityId: string }) => e.entityId));
    expect(entityIds).toEqual(new Set([police.agencyId, police.clientId]));
    const other = await t.http
      .get(`/v1/audit-events?entityId=${t.operator.agencyId}`)
      .set(police.auth)
      .expect(200);
    expect(other.body.items).toEqual([]);
  });

  it('reports the exact seq whose canonical text was altered behind the triggers', async () => {
    await t.party('ministry');
    const [{ n }] = await t.db.query('SELECT count(*)::int AS n FROM audit_events');
    const victim = Math.max(2, n - 3);
    await t.db.transaction(async (m) => {
      await m.query('ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_delete');
      await m.query(
        `UPDATE audit_events SET canonical = replace(canonical, '"action":"', '"action":"x') WHERE seq = $1`,
        [victim],
      );
      await m.query('ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update_delete');
    });
    const verify = await t.http.get('/v1/audit/verify').set(t.operator.auth).expect(200);
    expect(verify.body).toEqual(
      expect.objectContaining({ ok: false, firstBadSeq: victim, checked: victim - 1 }),
    );
    const before = await t.http
      .get(`/v1/audit/verify?toSeq=${victim - 1}`)
      .set(t.operator.auth)
      .expect(200);
    expect(before.body.ok).toBe(true);
  });
});
