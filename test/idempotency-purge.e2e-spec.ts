import { Client } from 'pg';
import { IdempotencyPurge } from '../src/idempotency/idempotency-purge';
import { createTestApp, TestApp } from './support/app';
import { APP_ROLE, asAppRole } from './support/app-role';

/** Stored responses are kept for IDEMPOTENCY_RETENTION_HOURS, then purged by the application role itself. */
describe('Idempotency-Key retention', () => {
  let t: TestApp;
  let ownerUrl: string;

  const owner = async <T>(sql: string, params: unknown[] = []): Promise<T[]> => {
    const client = new Client({ connectionString: ownerUrl });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  };
  const addAgency = (key: string, code: string) =>
    t.http
      .post('/v1/agencies')
      .set(t.operator.auth)
      .set('Idempotency-Key', key)
      .send({ code, name: code, type: 'police' });
  const stored = async () =>
    (await owner<{ n: number }>('SELECT count(*)::int AS n FROM idempotency_keys'))[0].n;

  beforeAll(async () => {
    t = await createTestApp(
      { IDEMPOTENCY_RETENTION_HOURS: '24', IDEMPOTENCY_PURGE_INTERVAL_SECONDS: '0' },
      { connectAs: asAppRole((url) => (ownerUrl = url)) },
    );
  });
  afterAll(() => t.close());

  it('purges, as the application role, the records past their retention and keeps the others', async () => {
    const [{ current_user: user }] = await t.db.query<{ current_user: string }[]>('SELECT current_user');
    expect(user).toBe(APP_ROLE);
    await addAgency('old-key', 'purge-old').expect(201);
    await owner("UPDATE idempotency_keys SET created_at = now() - interval '25 hours'");
    await addAgency('new-key', 'purge-new').expect(201);
    expect(await stored()).toBe(2);

    expect(await t.app.get(IdempotencyPurge).purge()).toBe(1);
    expect(await stored()).toBe(1);
    const replayed = await addAgency('new-key', 'purge-new').expect(201);
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    // The purged key is free again: the same request is new work (here refused, as the code now exists).
    const again = await addAgency('old-key', 'purge-old');
    expect(again.headers['idempotent-replayed']).toBeUndefined();
    expect(again.status).toBe(409);
  });

  it('keeps a record younger than the retention', async () => {
    await addAgency('young-key', 'purge-young').expect(201);
    await owner("UPDATE idempotency_keys SET created_at = now() - interval '23 hours'");
    expect(await t.app.get(IdempotencyPurge).purge()).toBe(0);
  });
});

describe('the idempotency purge timer', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ IDEMPOTENCY_PURGE_INTERVAL_SECONDS: '1' });
  });
  afterAll(() => t.close());

  it('runs by itself at its interval', async () => {
    await t.http
      .post('/v1/agencies')
      .set(t.operator.auth)
      .set('Idempotency-Key', 'timer-key')
      .send({ code: 'purge-timer', name: 'Timer', type: 'police' })
      .expect(201);
    await t.db.query("UPDATE idempotency_keys SET created_at = now() - interval '25 hours'");
    const deadline = Date.now() + 10_000;
    let left = 1;
    while (left > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      [{ n: left }] = await t.db.query<{ n: number }[]>('SELECT count(*)::int AS n FROM idempotency_keys');
    }
    expect(left).toBe(0);
  });
});
