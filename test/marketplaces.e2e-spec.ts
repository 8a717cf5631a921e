import { createTestApp, Party, TestApp } from './support/app';
import { expectProblem } from './support/problem';

/** Every marketplace route and each of its own error answers, all checked against the OpenAPI document by t.http. */
describe('marketplaces', () => {
  let t: TestApp;
  let owner: Party;
  let n = 0;
  const UNKNOWN = '6f9619ff-8b86-4011-b42d-00cf4fc964ff';

  beforeAll(async () => {
    t = await createTestApp();
    owner = await t.party('marketplace');
  });
  afterAll(() => t.close());

  const register = (body: Record<string, unknown>) =>
    t.http.post('/v1/marketplaces').set(t.operator.auth).send(body);
  const fresh = () => {
    const code = `pasar-${++n}`;
    return { agencyId: owner.agencyId, code, name: `Pasar ${n}`, domains: [`${code}.example`] };
  };

  it('registers a marketplace: domains sorted, the SLA 48 hours (12 when urgent) and no statement of reasons unless asked', async () => {
    const body = { ...fresh(), domains: [`www.pasar-${n}.example`, `pasar-${n}.example`] };
    const res = await register(body).expect(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      agencyId: owner.agencyId,
      code: body.code,
      name: body.name,
      domains: [...body.domains].sort(),
      takedownSlaHours: 48,
      urgentSlaHours: 12,
      requireStatementOfReasons: false,
      createdAt: expect.any(String),
      updatedAt: res.body.createdAt,
    });
    expect((await register({ ...fresh(), takedownSlaHours: 12 }).expect(201)).body.takedownSlaHours).toBe(12);
  });

  it('refuses a taken code or domain with 409', async () => {
    const first = fresh();
    await register(first).expect(201);
    const sameCode = expectProblem(await register({ ...fresh(), code: first.code }), 409);
    expect(sameCode.detail).toBe('A marketplace with this code already exists');
    const sameDomain = expectProblem(await register({ ...fresh(), domains: first.domains }), 409);
    expect(sameDomain.detail).toBe('One of these domains already belongs to a marketplace');
  });

  it('refuses an agency that is unknown or not a marketplace with 422', async () => {
    const unknown = expectProblem(await register({ ...fresh(), agencyId: UNKNOWN }), 422);
    expect(unknown.type).toMatch(/agency-not-found$/i);
    const police = await t.party('police');
    const notMarketplace = expectProblem(await register({ ...fresh(), agencyId: police.agencyId }), 422);
    expect(notMarketplace.type).toMatch(/agency-not-marketplace$/i);
  });

  it('refuses an invalid body with 400 naming the field', async () => {
    for (const [body, field] of [
      [{ ...fresh(), domains: [] }, 'domains'],
      [{ ...fresh(), domains: ['Not A Host'] }, 'domains'],
      [{ ...fresh(), takedownSlaHours: 1.5 }, 'takedownSlaHours'],
      [{ ...fresh(), takedownSlaHours: 8761 }, 'takedownSlaHours'],
      [{ ...fresh(), id: UNKNOWN }, 'id'],
    ] as const) {
      const problem = expectProblem(await register(body), 400);
      expect(problem.errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ path: expect.stringMatching(`^${field}`) })]),
      );
    }
  });

  it('lists in pages by cursor, and gets one', async () => {
    await register(fresh()).expect(201);
    await register(fresh()).expect(201);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: { id: string }[]; nextCursor: string | null } } = await t.http
        .get('/v1/marketplaces')
        .query({ limit: 1, ...(cursor ? { cursor } : {}) })
        .set(owner.auth)
        .expect(200);
      expect(res.body.items.length).toBeLessThanOrEqual(1);
      seen.push(...res.body.items.map((m) => m.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    const [{ count }] = await t.db.query<{ count: number }[]>(
      'SELECT count(*)::int AS count FROM marketplaces',
    );
    expect(new Set(seen).size).toBe(count);
    const one = await t.http.get(`/v1/marketplaces/${seen[0]}`).set(owner.auth).expect(200);
    expect(one.body.id).toBe(seen[0]);
  });

  it('answers 400 for an id that is not a UUID, 404 for an unknown one, 403 to the police', async () => {
    expectProblem(await t.http.get('/v1/marketplaces/not-a-uuid').set(owner.auth), 400);
    expectProblem(await t.http.get(`/v1/marketplaces/${UNKNOWN}`).set(owner.auth), 404);
    const police = await t.party('police');
    expectProblem(await t.http.get('/v1/marketplaces').set(police.auth), 403);
    expectProblem(
      await t.http.patch(`/v1/marketplaces/${UNKNOWN}`).set(t.operator.auth).send({ name: 'x' }),
      404,
    );
  });

  it("updates name, SLA and domains (replacing the list), and refuses another marketplace's domain with 409", async () => {
    const other = fresh();
    await register(other).expect(201);
    const mine = fresh();
    const { id } = (await register(mine).expect(201)).body as { id: string };
    const res = await t.http
      .patch(`/v1/marketplaces/${id}`)
      .set(t.operator.auth)
      .send({ name: 'Renamed', takedownSlaHours: 24, domains: [`m.${mine.code}.example`] })
      .expect(200);
    expect(res.body).toEqual(
      expect.objectContaining({ name: 'Renamed', takedownSlaHours: 24, domains: [`m.${mine.code}.example`] }),
    );
    expectProblem(
      await t.http.patch(`/v1/marketplaces/${id}`).set(t.operator.auth).send({ domains: other.domains }),
      409,
    );
    expect((await t.http.get(`/v1/marketplaces/${id}`).set(owner.auth).expect(200)).body.domains).toEqual([
      `m.${mine.code}.example`,
    ]);
  });
});
