import { createTestApp, TestApp } from './support/app';
import { expectProblem } from './support/problem';

describe('Idempotency-Key', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const create = (key: string, body: object) =>
    t.http.post('/v1/agencies').set(t.operator.auth).set('Idempotency-Key', key).send(body);

  it('replays the stored response for the same key and body, writing nothing', async () => {
    const body = { code: 'idem-one', name: 'One', type: 'police' };
    const first = await create('key-1', body).expect(201);
    const before = await t.auditCount();
    const again = await create('key-1', body).expect(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(again.body).toEqual(first.body);
    expect(await t.auditCount()).toBe(before);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM agencies WHERE code = 'idem-one'`);
    expect(n).toBe(1);
  });

  it('answers 422 when the key is reused with a different body', async () => {
    await create('key-2', { code: 'idem-two', name: 'Two', type: 'police' }).expect(201);
    const before = await t.auditCount();
    expectProblem(await create('key-2', { code: 'idem-two-b', name: 'Two', type: 'police' }), 422);
    expect(await t.auditCount()).toBe(before);
  });

  it('keeps keys per client: another client may use the same key', async () => {
    await create('shared-key', { code: 'idem-three', name: 'Three', type: 'police' }).expect(201);
    const other = await t.party('operator');
    const res = await t.http
      .post('/v1/agencies')
      .set(other.auth)
      .set('Idempotency-Key', 'shared-key')
      .send({ code: 'idem-four', name: 'Four', type: 'police' })
      .expect(201);
    expect(res.headers['idempotent-replayed']).toBeUndefined();
  });

  it('lets exactly one of many concurrent requests with the same key do the work; the others get 409 or its replay', async () => {
    const body = { code: 'idem-race', name: 'Race', type: 'police' };
    const before = await t.auditCount();
    const answers = await Promise.all(Array.from({ length: 8 }, () => create('key-race', body)));
    const created = answers.filter((r) => r.status === 201 && r.headers['idempotent-replayed'] === undefined);
    const replayed = answers.filter((r) => r.status === 201 && r.headers['idempotent-replayed'] === 'true');
    const inFlight = answers.filter((r) => r.status === 409);
    expect(created).toHaveLength(1);
    expect(replayed.length + inFlight.length).toBe(7);
    for (const r of inFlight) expect(expectProblem(r, 409).type).toMatch(/idempotency-in-flight$/);
    for (const r of replayed) expect(r.body).toEqual(created[0].body);
    expect(await t.auditCount()).toBe(before + 1);
  });

  it('does not store a refused request: the same key may then be used for the corrected body', async () => {
    expectProblem(await create('key-3', { code: 'BAD', name: 'x', type: 'police' }), 400);
    await create('key-3', { code: 'idem-five', name: 'x', type: 'police' }).expect(201);
  });

  it('refuses a malformed key', async () => {
    expectProblem(await create('x'.repeat(256), { code: 'idem-six', name: 'x', type: 'police' }), 400);
    expectProblem(await create('tab\there', { code: 'idem-six', name: 'x', type: 'police' }), 400);
  });
});
