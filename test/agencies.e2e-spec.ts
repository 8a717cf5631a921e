import { Role } from '../src/auth/actor';
import { createTestApp, Party, TestApp } from './support/app';
import { expectProblem } from './support/problem';

describe('agencies and API clients', () => {
  let t: TestApp;
  let parties: Record<Role, Party>;

  beforeAll(async () => {
    t = await createTestApp();
    parties = {
      operator: t.operator,
      ministry: await t.party('ministry'),
      marketplace: await t.party('marketplace'),
      association: await t.party('association'),
      police: await t.party('police'),
    };
  });
  afterAll(() => t.close());

  describe('role matrix', () => {
    type Expect = Record<Role, number>;
    const own = (role: Role) => parties[role].agencyId;
    // Each route is called by every role, on the caller's own agency and on someone else's.
    const cases: { name: string; call: (role: Role) => Promise<{ status: number }>; expect: Expect }[] = [
      {
        name: 'POST /v1/agencies',
        call: (role) =>
          t.http
            .post('/v1/agencies')
            .set(parties[role].auth)
            .send({ code: `m-${role}-${Date.now()}`, name: 'x', type: 'police' }),
        expect: { operator: 201, ministry: 403, marketplace: 403, association: 403, police: 403 },
      },
      {
        name: 'GET /v1/agencies',
        call: (role) => t.http.get('/v1/agencies').set(parties[role].auth),
        expect: { operator: 200, ministry: 200, marketplace: 200, association: 200, police: 200 },
      },
      {
        name: 'GET /v1/agencies/{own id}',
        call: (role) => t.http.get(`/v1/agencies/${own(role)}`).set(parties[role].auth),
        expect: { operator: 200, ministry: 200, marketplace: 200, association: 200, police: 200 },
      },
      {
        name: "GET /v1/agencies/{another agency's id}",
        call: (role) =>
          t.http
            .get(`/v1/agencies/${role === 'police' ? own('marketplace') : own('police')}`)
            .set(parties[role].auth),
        expect: { operator: 200, ministry: 200, marketplace: 404, association: 404, police: 404 },
      },
      {
        name: 'PATCH /v1/agencies/{id}',
        call: (role) =>
          t.http
            .patch(`/v1/agencies/${own('association')}`)
            .set(parties[role].auth)
            .send({ name: `renamed by ${role}` }),
        expect: { operator: 200, ministry: 403, marketplace: 403, association: 403, police: 403 },
      },
      {
        name: 'POST /v1/agencies/{id}/clients',
        call: (role) =>
          t.http
            .post(`/v1/agencies/${own(role)}/clients`)
            .set(parties[role].auth)
            .send({ name: 'second client' }),
        expect: { operator: 201, ministry: 403, marketplace: 403, association: 403, police: 403 },
      },
      {
        name: 'GET /v1/agencies/{own id}/clients',
        call: (role) => t.http.get(`/v1/agencies/${own(role)}/clients`).set(parties[role].auth),
        expect: { operator: 200, ministry: 200, marketplace: 200, association: 200, police: 200 },
      },
      {
        name: "GET /v1/agencies/{another agency's id}/clients",
        call: (role) =>
          t.http
            .get(`/v1/agencies/${role === 'police' ? own('ministry') : own('police')}/clients`)
            .set(parties[role].auth),
        expect: { operator: 200, ministry: 404, marketplace: 404, association: 404, police: 404 },
      },
      {
        name: 'DELETE /v1/agencies/{id}/clients/{clientId} (unknown client)',
        call: (role) =>
          t.http
            .delete(`/v1/agencies/${own(role)}/clients/6f9619ff-8b86-4011-b42d-00cf4fc964ff`)
            .set(parties[role].auth),
        expect: { operator: 404, ministry: 403, marketplace: 403, association: 403, police: 403 },
      },
      {
        name: 'GET /v1/audit-events',
        call: (role) => t.http.get('/v1/audit-events').set(parties[role].auth),
        expect: { operator: 200, ministry: 200, marketplace: 200, association: 200, police: 200 },
      },
      {
        name: 'GET /v1/audit/verify',
        call: (role) => t.http.get('/v1/audit/verify').set(parties[role].auth),
        expect: { operator: 200, ministry: 403, marketplace: 403, association: 403, police: 403 },
      },
    ];

    for (const c of cases) {
      it(`${c.name}: ${JSON.stringify(c.expect)}`, async () => {
        const got: Partial<Expect> = {};
        for (const role of Object.keys(c.expect) as Role[]) got[role] = (await c.call(role)).status;
        expect(got).toEqual(c.expect);
      });
    }
  });

  it('creates an agency, writing exactly one audit event with the request id', async () => {
    const before = await t.auditCount();
    const res = await t.http
      .post('/v1/agencies')
      .set(t.operator.auth)
      .set('X-Request-Id', 'req-create-agency-1')
      .send({ code: 'polri-siber', name: 'Direktorat Tindak Pidana Siber', type: 'police' })
      .expect(201);
    expect(res.headers['x-request-id']).toBe('req-create-agency-1');
    expect(res.body).toEqual(
      expect.objectContaining({
        id: expect.any(String),
        code: 'polri-siber',
        type: 'police',
        status: 'active',
      }),
    );
    expect(await t.auditCount()).toBe(before + 1);
    const events = await t.http
      .get(`/v1/audit-events?entityId=${res.body.id}`)
      .set(t.operator.auth)
      .expect(200);
    expect(events.body.items).toEqual([
      expect.objectContaining({
        action: 'agency.created',
        entityType: 'agency',
        requestId: 'req-create-agency-1',
        actor: expect.objectContaining({ role: 'operator', clientId: t.operator.clientId }),
      }),
    ]);
  });

  it('refuses a duplicate agency code with 409 and writes nothing', async () => {
    await t.http
      .post('/v1/agencies')
      .set(t.operator.auth)
      .send({ code: 'dup-code', name: 'A', type: 'police' })
      .expect(201);
    const before = await t.auditCount();
    expectProblem(
      await t.http
        .post('/v1/agencies')
        .set(t.operator.auth)
        .send({ code: 'dup-code', name: 'B', type: 'police' }),
      409,
    );
    expect(await t.auditCount()).toBe(before);
  });

  it.each([
    [{ code: 'Bad Code', name: 'x', type: 'police' }, 'code'],
    [{ code: 'ok-code', name: '', type: 'police' }, 'name'],
    [{ code: 'ok-code', name: 'x'.repeat(201), type: 'police' }, 'name'],
    [{ code: 'ok-code', name: 'x', type: 'superuser' }, 'type'],
    [{ code: 'ok-code', name: 'x', type: 'police', id: '6f9619ff-8b86-4011-b42d-00cf4fc964ff' }, 'id'],
    [{ code: 'ok-code', name: 'x', type: 'police', status: 'suspended' }, 'status'],
  ])('refuses an invalid agency %j naming the field, and changes nothing', async (body, field) => {
    const before = await t.auditCount();
    const problem = expectProblem(await t.http.post('/v1/agencies').set(t.operator.auth).send(body), 400);
    expect(problem.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: field })]));
    expect(await t.auditCount()).toBe(before);
  });

  it('refuses mass assignment on update (id, type, __proto__) and leaves the agency as it was', async () => {
    const target = parties.association.agencyId;
    const original = (await t.http.get(`/v1/agencies/${target}`).set(t.operator.auth).expect(200)).body;
    const before = await t.auditCount();
    for (const body of [
      { type: 'operator' },
      { id: '6f9619ff-8b86-4011-b42d-00cf4fc964ff' },
      { name: 'x', code: 'other' },
    ]) {
      expectProblem(await t.http.patch(`/v1/agencies/${target}`).set(t.operator.auth).send(body), 400);
    }
    const proto = await t.http
      .patch(`/v1/agencies/${target}`)
      .set(t.operator.auth)
      .set('Content-Type', 'application/json')
      .send('{"name":"polluted","__proto__":{"type":"operator"}}');
    expectProblem(proto, 400);
    const nested = await t.http
      .patch(`/v1/agencies/${target}`)
      .set(t.operator.auth)
      .set('Content-Type', 'application/json')
      .send('{"name":"polluted","constructor":{"prototype":{"x":1}}}');
    expectProblem(nested, 400);
    expect((await t.http.get(`/v1/agencies/${target}`).set(t.operator.auth).expect(200)).body).toEqual(
      original,
    );
    expect(await t.auditCount()).toBe(before);
  });

  it('renames and suspends with one event per change, and a no-op update writes nothing', async () => {
    const p = await t.party('police');
    const before = await t.auditCount();
    const res = await t.http
      .patch(`/v1/agencies/${p.agencyId}`)
      .set(t.operator.auth)
      .send({ name: 'Renamed', status: 'suspended' })
      .expect(200);
    expect(res.body).toEqual(expect.objectContaining({ name: 'Renamed', status: 'suspended' }));
    expect(await t.auditCount()).toBe(before + 2);
    await t.http
      .patch(`/v1/agencies/${p.agencyId}`)
      .set(t.operator.auth)
      .send({ name: 'Renamed', status: 'suspended' })
      .expect(200);
    expect(await t.auditCount()).toBe(before + 2);
    const actions = (
      await t.http.get(`/v1/audit-events?entityId=${p.agencyId}`).set(t.operator.auth)
    ).body.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(['agency.created', 'agency.updated', 'agency.suspended']);
  });

  it('refuses an operator suspending its own agency', async () => {
    expectProblem(
      await t.http
        .patch(`/v1/agencies/${t.operator.agencyId}`)
        .set(t.operator.auth)
        .send({ status: 'suspended' }),
      409,
    );
  });

  it('issues a client whose secret is shown once and stored only as a slow salted hash', async () => {
    const p = await t.party('ministry');
    const before = await t.auditCount();
    const res = await t.http
      .post(`/v1/agencies/${p.agencyId}/clients`)
      .set(t.operator.auth)
      .send({ name: 'batch uploader' })
      .expect(201);
    expect(res.body).toEqual(
      expect.objectContaining({
        clientId: expect.any(String),
        clientSecret: expect.any(String),
        agencyId: p.agencyId,
        revokedAt: null,
      }),
    );
    expect(res.body.clientSecret.length).toBeGreaterThanOrEqual(43);
    expect(await t.auditCount()).toBe(before + 1);
    const [row] = await t.db.query('SELECT secret_hash FROM api_clients WHERE id = $1', [res.body.clientId]);
    expect(row.secret_hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(row.secret_hash).not.toContain(res.body.clientSecret);
    const list = await t.http.get(`/v1/agencies/${p.agencyId}/clients`).set(t.operator.auth).expect(200);
    expect(list.body.items).toHaveLength(2);
    expect(JSON.stringify(list.body)).not.toContain('secret');
    await t.token(res.body.clientId, res.body.clientSecret);
  });

  it('revokes a client once: the second revocation writes nothing', async () => {
    const p = await t.party('association');
    const before = await t.auditCount();
    await t.http.delete(`/v1/agencies/${p.agencyId}/clients/${p.clientId}`).set(t.operator.auth).expect(204);
    await t.http.delete(`/v1/agencies/${p.agencyId}/clients/${p.clientId}`).set(t.operator.auth).expect(204);
    expect(await t.auditCount()).toBe(before + 1);
    const list = await t.http.get(`/v1/agencies/${p.agencyId}/clients`).set(t.operator.auth).expect(200);
    expect(list.body.items[0].revokedAt).toEqual(expect.any(String));
  });

  it('pages agencies with a cursor and refuses a forged cursor', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: { id: string }[]; nextCursor: string | null } } = await t.http
        .get('/v1/agencies')
        .query({ limit: 2, ...(cursor ? { cursor } : {}) })
        .set(t.operator.auth)
        .expect(200);
      seen.push(...res.body.items.map((a) => a.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    const [{ n }] = await t.db.query('SELECT count(*)::int AS n FROM agencies');
    expect(new Set(seen).size).toBe(n);
    expectProblem(await t.http.get('/v1/agencies?cursor=garbage').set(t.operator.auth), 400);
    expectProblem(await t.http.get('/v1/agencies?limit=1001').set(t.operator.auth), 400);
    expectProblem(await t.http.get('/v1/agencies?limit=abc').set(t.operator.auth), 400);
  });

  it('answers 400 for an id that is not a UUID and 404 for an unknown one', async () => {
    expectProblem(await t.http.get('/v1/agencies/not-a-uuid').set(t.operator.auth), 400);
    expectProblem(
      await t.http.get('/v1/agencies/6f9619ff-8b86-4011-b42d-00cf4fc964ff').set(t.operator.auth),
      404,
    );
  });
});
