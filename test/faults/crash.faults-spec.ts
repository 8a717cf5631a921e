/**
 * npm run test:faults — crash consistency against a real PostgreSQL. The built API runs as a child process and is
 * killed with SIGKILL at random moments of a 40,000-link batch and of a stream of acknowledgements; after each
 * restart nothing may be half-written, nothing answered may be lost, the chain must verify, and the interrupted
 * request retried with its Idempotency-Key must complete exactly once. FAULT_KILLS sets the kills per scenario.
 */
/* eslint-disable jest/no-conditional-expect -- a kill lands at a random moment; which checks apply depends on where */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { createTestDatabase } from '../support/database';
import { ApiProcess, Creds, freePort, Json, listings } from '../support/tooling';

const KILLS = Number(process.env.FAULT_KILLS ?? 20);
const BATCH = 40_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('crash consistency', () => {
  let api: ApiProcess;
  let db: Client;
  let drop: () => Promise<void>;
  let dbUrl: string;
  let dataDir: string;
  let creds: Record<string, Creds>;
  const tokens: Record<string, { token: string; at: number }> = {};
  const summary: string[] = [];

  beforeAll(async () => {
    const database = await createTestDatabase();
    drop = database.drop;
    dbUrl = database.url;
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'takedown-faults-'));
    api = new ApiProcess({ DATABASE_URL: database.url }, await freePort(), dataDir);
    await api.start();
    creds = api.credentials();
    db = new Client({ connectionString: database.url });
    await db.connect();
  }, 120_000);
  afterAll(async () => {
    await api.stop();
    await db.end();
    await drop();
    rmSync(dataDir, { recursive: true, force: true });
    console.log(summary.join('\n'));
  });

  /** Tokens live 15 minutes and the suite runs longer: one older than five minutes is replaced. */
  const token = async (who: string) => {
    const held = tokens[who];
    if (held && Date.now() - held.at < 5 * 60_000) return held.token;
    tokens[who] = { token: await api.token(creds[who]), at: Date.now() };
    return tokens[who].token;
  };
  const count = async (sql: string, params: unknown[] = []) =>
    Number((await db.query<{ n: string }>(sql, params)).rows[0].n);
  const verified = async () => {
    const res = await api.call(await token('operator'), 'GET', '/v1/audit/verify');
    expect(res.body).toEqual(expect.objectContaining({ ok: true, firstBadSeq: null }));
    return res.body.checked as number;
  };
  /** Retries while the killed request's transaction is still being rolled back by PostgreSQL (409 in flight). */
  const retry = async (send: () => Promise<{ status: number; body: Json }>) => {
    for (let i = 0; ; i++) {
      const res = await send();
      if (res.status !== 409 || i > 50) return res;
      await sleep(200);
    }
  };

  it(`leaves a 40,000-link batch whole or absent across ${KILLS} kills, and its retry completes it once`, async () => {
    const submit = (reference: string, urls: string[], key: string) =>
      token('kemendag').then((t) =>
        api.call(
          t,
          'POST',
          '/v1/link-batches',
          { reference, legalBasis: 'Permendag 18/2021', links: urls.map((url) => ({ url })) },
          { 'Idempotency-Key': key },
        ),
      );
    const t0 = Date.now();
    expect((await submit(`FAULT/warm-up`, listings(BATCH), randomUUID())).status).toBe(201);
    const intakeMs = Date.now() - t0;
    const outcomes = { absent: 0, whole: 0, answered: 0 };

    for (let i = 0; i < KILLS; i++) {
      const reference = `FAULT/B/${i}`;
      const urls = listings(BATCH);
      const key = randomUUID();
      let answered: number | null = null;
      const pending = submit(reference, urls, key).then(
        (res) => (answered = res.status),
        () => undefined, // the connection dies with the process
      );
      await sleep(Math.floor(Math.random() * intakeMs * 1.3));
      await api.kill();
      await pending;
      await api.start();

      const batches = await count('SELECT count(*) AS n FROM link_batches WHERE reference = $1', [reference]);
      expect([0, 1]).toContain(batches);
      if (answered === 201) expect(batches).toBe(1);
      if (batches === 1) {
        const [{ id }] = (
          await db.query<{ id: string }>('SELECT id FROM link_batches WHERE reference = $1', [reference])
        ).rows;
        expect(await count('SELECT count(*) AS n FROM links WHERE batch_id = $1', [id])).toBe(BATCH);
        expect(
          await count(
            `SELECT count(*) AS n FROM audit_events WHERE entity_id = $1 OR entity_id IN (SELECT id FROM links WHERE batch_id = $1)`,
            [id],
          ),
        ).toBe(BATCH + 1);
      }
      outcomes[answered === 201 ? 'answered' : batches === 1 ? 'whole' : 'absent']++;
      await verified();

      const again = await retry(() => submit(reference, urls, key));
      expect(again.status).toBe(201);
      expect(again.body.counts.accepted).toBe(BATCH);
      expect(await count('SELECT count(*) AS n FROM link_batches WHERE reference = $1', [reference])).toBe(1);
      expect(
        await count(
          'SELECT count(*) AS n FROM links l JOIN link_batches b ON b.id = l.batch_id WHERE b.reference = $1',
          [reference],
        ),
      ).toBe(BATCH);
    }
    const checked = await verified();
    summary.push(
      `batch kills: ${KILLS} (intake ${intakeMs} ms; killed before commit ${outcomes.absent}, committed but unanswered ${outcomes.whole}, answered ${outcomes.answered}); nothing half-written; chain verified over ${checked} events`,
    );
  });

  it(`loses no answered acknowledgement across ${KILLS} kills, and the interrupted one completes once`, async () => {
    let lost = 0;
    let requests = 0;
    for (let i = 0; i < KILLS; i++) {
      const ministry = await token('kemendag');
      const made = await api.call(ministry, 'POST', '/v1/link-batches', {
        reference: `FAULT/A/${i}`,
        legalBasis: 'Permendag 18/2021',
        links: listings(2000).map((url) => ({ url })),
      });
      expect(made.status).toBe(201);
      const ids = (
        await db.query<{ id: string }>('SELECT id FROM links WHERE batch_id = $1 ORDER BY id', [made.body.id])
      ).rows.map((r) => r.id);
      const chunks = Array.from({ length: ids.length / 50 }, (_, k) => ({
        ids: ids.slice(k * 50, k * 50 + 50),
        key: randomUUID(),
      }));
      const answered = new Set<number>();
      let inFlight = -1;
      let stop = false;
      const shopee = await token('shopee');
      const stream = (async () => {
        for (let k = 0; k < chunks.length && !stop; k++) {
          inFlight = k;
          try {
            const res = await api.call(
              shopee,
              'POST',
              '/v1/links/acknowledgements',
              { items: chunks[k].ids.map((linkId) => ({ linkId, status: 'taken_down' })) },
              { 'Idempotency-Key': chunks[k].key },
            );
            if (res.status === 200) answered.add(k);
            requests++;
          } catch {
            return; // killed
          }
        }
      })();
      await sleep(200 + Math.floor(Math.random() * 1500));
      await api.kill();
      stop = true;
      await stream;
      await api.start();

      for (const k of answered) {
        const done = await count(
          `SELECT count(*) AS n FROM links WHERE id = ANY($1::uuid[]) AND status = 'taken_down'`,
          [chunks[k].ids],
        );
        if (done !== 50) lost++;
      }
      expect(lost).toBe(0);
      const interrupted = chunks[inFlight];
      if (interrupted && !answered.has(inFlight)) {
        const before = await count(
          `SELECT count(*) AS n FROM links WHERE id = ANY($1::uuid[]) AND status = 'taken_down'`,
          [interrupted.ids],
        );
        expect([0, 50]).toContain(before); // one transaction: all or nothing
        const again = await retry(() =>
          api.call(
            shopee,
            'POST',
            '/v1/links/acknowledgements',
            { items: interrupted.ids.map((linkId) => ({ linkId, status: 'taken_down' })) },
            { 'Idempotency-Key': interrupted.key },
          ),
        );
        expect(again.status).toBe(200);
      }
      // Every link reported taken down has exactly one takedown event.
      expect(
        await count(
          `SELECT count(*) AS n FROM (SELECT entity_id FROM audit_events WHERE action = 'link.taken_down' AND entity_id = ANY($1::uuid[])
             GROUP BY entity_id HAVING count(*) <> 1) x`,
          [ids],
        ),
      ).toBe(0);
      expect(
        await count(
          `SELECT count(*) AS n FROM links l WHERE l.id = ANY($1::uuid[]) AND l.status = 'taken_down'
             AND NOT EXISTS (SELECT 1 FROM audit_events e WHERE e.entity_id = l.id AND e.action = 'link.taken_down')`,
          [ids],
        ),
      ).toBe(0);
      await verified();
    }
    summary.push(
      `acknowledgement kills: ${KILLS}; ${requests} acknowledgement requests answered; lost: ${lost}`,
    );
  });

  it('answers 503 when PostgreSQL drops its connections mid-request, and recovers without a restart', async () => {
    const ministry = await token('kemendag');
    const locker = new Client({ connectionString: dbUrl });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('SELECT * FROM audit_head WHERE id = 1 FOR UPDATE'); // every state change now waits here
    const blocked = api.call(ministry, 'POST', '/v1/keywords', { term: `fault ${Date.now()}` });
    await sleep(500);
    const killed = await count(
      `SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity
        WHERE datname = current_database() AND pid NOT IN (pg_backend_pid(), $1)`,
      [(await locker.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid],
    );
    const res = await blocked;
    await locker.query('ROLLBACK');
    await locker.end();
    expect(killed).toBeGreaterThan(0);
    expect(res.status).toBe(503);
    expect(res.body).toEqual(expect.objectContaining({ status: 503, title: expect.any(String) }));
    expect(api.alive).toBe(true);

    const after = await retry(() =>
      api.call(ministry, 'POST', '/v1/keywords', { term: `fault recovered ${Date.now()}` }),
    );
    expect(after.status).toBe(201);
    expect((await fetch(`${api.base}/health/ready`)).status).toBe(200);
    await verified();
    summary.push(
      `pg_terminate_backend of ${killed} connections mid-request: 503, then recovered without restart`,
    );
  });
});
