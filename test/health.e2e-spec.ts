import { createTestApp, TestApp } from './support/app';
import { expectProblem } from './support/problem';

/** Health and metrics, as a load balancer and Prometheus read them; every answer is checked against the document. */
describe('health and metrics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('answers liveness and readiness without a token', async () => {
    expect((await t.http.get('/health').expect(200)).body).toEqual({ status: 'ok' });
    expect((await t.http.get('/health/ready').expect(200)).body).toEqual({
      status: 'ok',
      database: 'ok',
      migrations: 'applied',
    });
  });

  it('answers readiness 503 with a problem and Retry-After while a migration is pending, and 200 once applied', async () => {
    const [last] = await t.db.query<{ id: number; timestamp: string; name: string }[]>(
      'SELECT id, timestamp, name FROM migrations ORDER BY timestamp DESC LIMIT 1',
    );
    await t.db.query('DELETE FROM migrations WHERE id = $1', [last.id]);
    try {
      const res = await t.http.get('/health/ready');
      expect(expectProblem(res, 503).detail).toBe('The database is unreachable or not migrated');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      // Liveness does not depend on the database.
      await t.http.get('/health').expect(200);
    } finally {
      await t.db.query('INSERT INTO migrations (id, timestamp, name) VALUES ($1, $2, $3)', [
        last.id,
        last.timestamp,
        last.name,
      ]);
    }
    await t.http.get('/health/ready').expect(200);
  });

  it('serves metrics in the Prometheus text format, labelled by route pattern', async () => {
    await t.http.get('/v1/agencies/6f9619ff-8b86-4011-b42d-00cf4fc964ff').set(t.operator.auth).expect(404);
    const res = await t.http.get('/metrics').expect(200);
    const [type, ...parameters] = String(res.headers['content-type']).split(/;\s*/);
    expect({ type, parameters }).toEqual({
      type: 'text/plain',
      parameters: expect.arrayContaining(['version=0.0.4']),
    });
    expect(res.text).toMatch(/^# HELP /m);
    expect(res.text).toContain('http_requests_total{method="GET",route="/v1/agencies/:id",status="404"}');
    expect(res.text).not.toContain('6f9619ff-8b86-4011-b42d-00cf4fc964ff');
  });
});
