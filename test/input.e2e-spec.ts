import { createTestApp, TestApp } from './support/app';
import { expectProblem } from './support/problem';
import { roomInRateWindow } from './support/rate-window';

describe('bad input and plumbing', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ JSON_BODY_LIMIT: '4kb' });
  });
  afterAll(() => t.close());

  const post = () => t.http.post('/v1/agencies').set(t.operator.auth);

  it('answers malformed JSON with 400 and changes nothing', async () => {
    const before = await t.auditCount();
    for (const raw of ['{bad', '{"code": "a",}', '"just a string"', '[1,2', '\u0000']) {
      expectProblem(await post().set('Content-Type', 'application/json').send(raw), 400);
    }
    expect(await t.auditCount()).toBe(before);
  });

  it('answers a wrong content type with 415 naming the media type the route accepts', async () => {
    const detail = async (req: ReturnType<typeof post>) => expectProblem(await req, 415).detail;
    expect(await detail(post().set('Content-Type', 'text/plain').send('code=x'))).toBe(
      'This route accepts a body as application/json, not text/plain',
    );
    expect(await detail(post().set('Content-Type', 'application/xml; charset=utf-8').send('<a/>'))).toBe(
      'This route accepts a body as application/json, not application/xml',
    );
    expect(await detail(post().type('form').send('code=x&name=y&type=police'))).toBe(
      'This route accepts a body as application/json, not application/x-www-form-urlencoded',
    );
    expect(await detail(post().set('Content-Type', '').send(Buffer.from('{"code":"x"}')))).toBe(
      'This route accepts a body as application/json; say which in Content-Type',
    );
  });

  it('names both media types of the batch route in its 415', async () => {
    const ministry = await t.party('ministry');
    const res = await t.http
      .post('/v1/link-batches')
      .set(ministry.auth)
      .set('Content-Type', 'text/plain')
      .send('url\nhttps://shopee.co.id/a-i.1.2\n');
    expect(expectProblem(res, 415).detail).toBe(
      'This route accepts a body as application/json or text/csv, not text/plain',
    );
  });

  it('says once that a required field is missing, and names each wrong one', async () => {
    const missing = expectProblem(await post().send({}), 400);
    expect(missing.errors).toEqual([
      { path: 'code', message: 'code is required' },
      { path: 'name', message: 'name is required' },
      { path: 'type', message: 'type is required' },
    ]);
    const wrong = expectProblem(await post().send({ code: 'ok-code', name: 7 }), 400);
    expect(wrong.errors).toHaveLength(3);
    expect(wrong.errors).toEqual(
      expect.arrayContaining([
        { path: 'name', message: 'name must be a string' },
        {
          path: 'name',
          message: 'name must be longer than or equal to 1 and shorter than or equal to 200 characters',
        },
        { path: 'type', message: 'type is required' },
      ]),
    );
  });

  it('answers an over-size body with 413', async () => {
    const res = await post().send({ code: 'big', name: 'x'.repeat(10_000), type: 'police' });
    expectProblem(res, 413);
  });

  it('answers over-long strings with 400 naming the field', async () => {
    const problem = expectProblem(
      await post().send({ code: 'a'.repeat(41), name: 'x', type: 'police' }),
      400,
    );
    expect(problem.errors).toEqual([expect.objectContaining({ path: 'code' })]);
  });

  it('answers deeply nested JSON with 400', async () => {
    const deep = '{"a":'.repeat(100) + '1' + '}'.repeat(100);
    expectProblem(await post().set('Content-Type', 'application/json').send(deep), 400);
  });

  it('refuses a prototype key anywhere in a body with 400 naming where it is', async () => {
    for (const [body, detail] of [
      ['{"__proto__":{"x":1},"code":"p"}', '__proto__: property is not allowed'],
      [
        '{"items":[{"a":1},{"listing":{"imageHashes":[{},{"constructor":1}]}}]}',
        'items[1].listing.imageHashes[1].constructor: property is not allowed',
      ],
      ['[[{"prototype":[]}]]', '[0][0].prototype: property is not allowed'],
    ]) {
      const problem = expectProblem(await post().set('Content-Type', 'application/json').send(body), 400);
      expect(problem).toMatchObject({ detail });
    }
  });

  it('answers wrong JSON types with 400, never 500', async () => {
    for (const body of [
      [],
      [{ code: 'x' }],
      { code: 1, name: true, type: null },
      { code: { $ne: 1 }, name: 'x', type: 'police' },
    ]) {
      expectProblem(await post().send(body), 400);
    }
  });

  it('answers a request line or headers too large for the HTTP parser with a problem, not a bare status', async () => {
    expectProblem(await t.http.get(`/v1/agencies?cursor=${'A'.repeat(70_000)}`).set(t.operator.auth), 431);
    expectProblem(
      await t.http.get('/v1/agencies').set(t.operator.auth).set('X-Padding', 'p'.repeat(40_000)),
      431,
    );
  });

  it('refuses the NUL character, which PostgreSQL text cannot hold, with 400 and changes nothing', async () => {
    const before = await t.auditCount();
    expectProblem(await t.http.get('/v1/audit-events?action=%00').set(t.operator.auth), 400);
    expectProblem(await t.http.get('/v1/agencies?type=police%00').set(t.operator.auth), 400);
    expectProblem(await post().send({ code: 'nul-agency', name: 'a\u0000b', type: 'police' }), 400);
    expect(await t.auditCount()).toBe(before);
  });

  it('refuses integers beyond what the database holds with 400 naming the field', async () => {
    for (const url of [
      '/v1/keywords?sinceVersion=7.2e208',
      '/v1/audit-events?afterSeq=1e300',
      '/v1/audit/verify?fromSeq=1e300',
      '/v1/audit/proofs/inclusion?seq=1&treeSize=9007199254740993',
      '/v1/audit/proofs/consistency?from=1&to=1e20',
    ]) {
      expectProblem(await t.http.get(url).set(t.operator.auth), 400);
    }
  });

  it('answers an unknown route with a 404 problem', async () => {
    expectProblem(await t.http.get('/v1/nothing-here').set(t.operator.auth), 404);
  });

  it('echoes a well-formed X-Request-Id and replaces a malformed one', async () => {
    const echoed = await t.http.get('/health').set('X-Request-Id', 'abc-123');
    expect(echoed.headers['x-request-id']).toBe('abc-123');
    const replaced = await t.http.get('/health').set('X-Request-Id', 'bad id with spaces');
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves liveness, readiness, metrics and the API docs', async () => {
    await t.http.get('/health').expect(200, { status: 'ok' });
    await t.http.get('/health/ready').expect(200);
    const metrics = await t.http.get('/metrics').expect(200);
    expect(metrics.text).toContain('http_requests_total');
    expect(metrics.text).toContain('http_request_duration_seconds_bucket');
    const docs = await t.http.get('/docs/').expect(200);
    expect(docs.text).toContain('swagger');
  });

  it('sets security headers', async () => {
    const res = await t.http.get('/health');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});

describe('general rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT_PER_MINUTE: '5' });
  });
  afterAll(() => t.close());

  it('answers 429 with Retry-After when a client exceeds its budget', async () => {
    await roomInRateWindow(10);
    const statuses: number[] = [];
    let last = await t.http.get('/health');
    for (let i = 0; i < 7; i++) {
      last = await t.http.get('/v1/agencies').set(t.operator.auth);
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    expectProblem(last, 429);
    expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
  });
});
