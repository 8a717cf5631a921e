import { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import request from 'supertest';
import { createApp } from '../src/app.factory';
import { createLogger } from '../src/common/logger';
import { loadConfig } from '../src/config/config';
import { createTestApp, Party, TestApp } from './support/app';
import { expectOAuthError } from './support/oauth';
import { expectProblem } from './support/problem';
import { roomInRateWindow } from './support/rate-window';

/** 62 KB of gzip that inflates to 31 MB of JSON: `{"code":"aaaa…"}`. */
const GZIP_BOMB = gzipSync(Buffer.from(`{"code":"${'a'.repeat(31 * 1024 * 1024)}"}`), { level: 9 });

/** Sends a Buffer as it is (supertest would otherwise serialise it as JSON). */
const raw = (body: unknown) => body as string;

// The tests tell addresses apart through X-Forwarded-For, which TRUST_PROXY makes the app believe from loopback.
let nextAddress = 1;
const address = () => `198.51.100.${nextAddress++}`;

describe('cheap refusals: unauthenticated requests', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ TRUST_PROXY: 'loopback', UNAUTHENTICATED_RATE_LIMIT_PER_MINUTE: '5' });
  });
  afterAll(() => t.close());

  it('answers a flood without a token with 429 before reading any body', async () => {
    await roomInRateWindow(10);
    const from = address();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await t.http
        .post('/v1/agencies')
        .set('X-Forwarded-For', from)
        .set('Content-Type', 'application/json')
        .send('{not json');
      statuses.push(res.status);
    }
    // Within the budget the body is still parsed first (400), as before.
    expect(statuses).toEqual([400, 400, 400, 400, 400]);
    const started = Date.now();
    const refused = await t.http
      .post('/v1/agencies')
      .set('X-Forwarded-For', from)
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      .serialize(raw)
      .send(GZIP_BOMB);
    expectProblem(refused, 429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(1000);
    const bad = await t.http
      .get('/v1/agencies')
      .set('X-Forwarded-For', from)
      .set('Authorization', 'Bearer x.y.z');
    expectProblem(bad, 429);
  });

  it('counts a request with an invalid token against the tighter budget', async () => {
    await roomInRateWindow(10);
    const from = address();
    for (let i = 0; i < 5; i++) {
      await t.http
        .get('/v1/agencies')
        .set('X-Forwarded-For', from)
        .set('Authorization', 'Bearer nope')
        .expect(401);
    }
    expectProblem(await t.http.get('/health').set('X-Forwarded-For', from), 429);
  });

  it('answers an unauthenticated gzip bomb with 413 without inflating it all', async () => {
    const started = Date.now();
    const res = await t.http
      .post('/v1/auth/token')
      .set('X-Forwarded-For', address())
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      .serialize(raw)
      .send(GZIP_BOMB);
    expectOAuthError(res, 413, 'invalid_request');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('answers a large body under an expired or forged token with 401, so the client fetches a new token', async () => {
    // The unauthenticated body limit still applies, but "payload too large" would send a client looking in the wrong place.
    const links = Array.from({ length: 2000 }, (_, i) => ({ url: `https://shopee.co.id/Kemeja-i.1.${i}` }));
    const res = await t.http
      .post('/v1/link-batches')
      .set('X-Forwarded-For', address())
      .set('Authorization', 'Bearer x.y.z')
      .send({ reference: 'EXPIRED/1', legalBasis: 'Permendag 18/2021', links });
    expectProblem(res, 401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  it('gives requests with a valid token the normal budget, even from a flooded address', async () => {
    const from = address();
    const police: Party = await t.party('police');
    await roomInRateWindow(10);
    for (let i = 0; i < 6; i++) await t.http.get('/health').set('X-Forwarded-For', from);
    expectProblem(await t.http.get('/health').set('X-Forwarded-For', from), 429);
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      statuses.push((await t.http.get('/v1/agencies').set('X-Forwarded-For', from).set(police.auth)).status);
    }
    expect(statuses).toEqual(new Array(20).fill(200));
  });

  it('takes the peer address, not X-Forwarded-For, when TRUST_PROXY is unset', async () => {
    const plain = await createTestApp({ UNAUTHENTICATED_RATE_LIMIT_PER_MINUTE: '3' });
    try {
      // Three a minute from the one peer, whatever each request's X-Forwarded-For says. createTestApp fetched the
      // operator's token from the same peer: counted in this minute's window, or in the last one when
      // roomInRateWindow waited for the next, so the third or the fourth request is the first refused.
      await roomInRateWindow(10);
      const answers = [];
      for (let i = 0; i < 4; i++)
        answers.push(await plain.http.get('/health').set('X-Forwarded-For', address()));
      expect(answers.slice(0, 2).map((a) => a.status)).toEqual([200, 200]);
      expectProblem(answers[3], 429);
    } finally {
      await plain.close();
    }
  });
});

describe('cheap refusals: compressed bodies of authenticated clients', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ JSON_BODY_LIMIT: '1mb' });
  });
  afterAll(() => t.close());

  it('caps the inflated size at the plain limit: a gzip bomb is 413 after inflating 1 MB', async () => {
    const started = Date.now();
    const res = await t.http
      .post('/v1/agencies')
      .set(t.operator.auth)
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      .serialize(raw)
      .send(GZIP_BOMB);
    expectProblem(res, 413);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('still reads a small gzip body', async () => {
    const body = gzipSync(
      Buffer.from(JSON.stringify({ code: 'gz-ok', name: 'Gzip police', type: 'police' })),
    );
    const res = await t.http
      .post('/v1/agencies')
      .set(t.operator.auth)
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      .serialize(raw)
      .send(body);
    expect(res.status).toBe(201);
  });
});

describe('token endpoint: failed attempts per client id and address', () => {
  let t: TestApp;
  let owner: Party;
  beforeAll(async () => {
    t = await createTestApp({
      TRUST_PROXY: 'loopback',
      TOKEN_RATE_LIMIT_PER_MINUTE: '30',
      UNAUTHENTICATED_RATE_LIMIT_PER_MINUTE: '1000',
    });
    owner = await t.party('police');
  });
  afterAll(() => t.close());

  const attempt = (from: string, clientId: string, secret: string) =>
    t.http
      .post('/v1/auth/token')
      .set('X-Forwarded-For', from)
      .send({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret });

  it('30 bad secrets from one address do not lock the owner out from another', async () => {
    await roomInRateWindow(40);
    const stranger = address();
    const tries = await Promise.all(
      Array.from({ length: 30 }, (_, i) => attempt(stranger, owner.clientId, `wrong-${i}`)),
    );
    expect(tries.map((r) => r.status)).toEqual(new Array(30).fill(401));
    const refused = await attempt(stranger, owner.clientId, owner.clientSecret);
    expectOAuthError(refused, 429, 'temporarily_unavailable');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    await attempt(address(), owner.clientId, owner.clientSecret).expect(200);
  });

  it('letter-case and whitespace variants of a client id share one counter', async () => {
    const from = address();
    const variants = [owner.clientId.toUpperCase(), ` ${owner.clientId} `, owner.clientId.toLowerCase()];
    await roomInRateWindow(40);
    const tries = await Promise.all(
      Array.from({ length: 30 }, (_, i) => attempt(from, variants[i % 3], 'wrong')),
    );
    expect(tries.map((r) => r.status)).toEqual(new Array(30).fill(401));
    for (const v of variants)
      expectOAuthError(await attempt(from, v, 'wrong'), 429, 'temporarily_unavailable');
  });

  it('does not count successful attempts', async () => {
    const from = address();
    const tries = await Promise.all(
      Array.from({ length: 35 }, () => attempt(from, owner.clientId, owner.clientSecret)),
    );
    expect(tries.map((r) => r.status)).toEqual(new Array(35).fill(200));
  });
});

describe('two instances on one database', () => {
  let a: TestApp;
  let b: INestApplication;
  let dataDir: string;
  beforeAll(async () => {
    const env = {
      TRUST_PROXY: 'loopback',
      UNAUTHENTICATED_RATE_LIMIT_PER_MINUTE: '6',
      TOKEN_RATE_LIMIT_PER_MINUTE: '4',
      RATE_LIMIT_SYNC_MS: '50',
    };
    a = await createTestApp(env);
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'takedown-app-b-'));
    const config = loadConfig({
      ...env,
      DATA_DIR: dataDir,
      DATABASE_URL: a.config.databaseUrl!,
      TOKEN_KEY_FILE: a.config.tokenKeyFile,
      AUDIT_KEY_FILE: a.config.auditKeyFile,
      LOG_LEVEL: 'silent',
      SEED_DEMO: 'false',
      CHECKPOINT_INTERVAL_SECONDS: '0',
    });
    b = await createApp(config, config.databaseUrl!, createLogger('silent'));
  });
  afterAll(async () => {
    await b.close();
    await a.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const sync = () => new Promise((r) => setTimeout(r, 200));

  it('share one unauthenticated budget per address', async () => {
    await roomInRateWindow(10);
    const from = address();
    const httpB = request(b.getHttpServer() as Parameters<typeof request>[0]);
    for (let i = 0; i < 4; i++) await a.http.get('/health').set('X-Forwarded-For', from).expect(200);
    await sync();
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await httpB.get('/health').set('X-Forwarded-For', from)).status);
    expect(statuses).toEqual([200, 200, 429]);
    await sync();
    // A counts from memory between syncs; within one sync it learns what B counted.
    await a.http.get('/health').set('X-Forwarded-For', from);
    await sync();
    expectProblem(await a.http.get('/health').set('X-Forwarded-For', from), 429);
  });

  it('share one failed-attempt budget per client id and address', async () => {
    const from = address();
    const httpB = request(b.getHttpServer() as Parameters<typeof request>[0]);
    const police = await a.party('police');
    await roomInRateWindow(20);
    const attempt = (http: typeof httpB) =>
      http
        .post('/v1/auth/token')
        .set('X-Forwarded-For', from)
        .send({ grant_type: 'client_credentials', client_id: police.clientId, client_secret: 'wrong' });
    for (let i = 0; i < 4; i++) await attempt(i % 2 ? a.http : httpB).expect(401);
    await sync();
    expectOAuthError(await attempt(httpB), 429, 'temporarily_unavailable');
    expectOAuthError(await attempt(a.http), 429, 'temporarily_unavailable');
  });
});

describe('two instances sharing counters in Redis (REDIS_URL)', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    const env = {
      TRUST_PROXY: 'loopback',
      UNAUTHENTICATED_RATE_LIMIT_PER_MINUTE: '6',
      RATE_LIMIT_SYNC_MS: '50',
      REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0',
    };
    // Two databases: only Redis joins them.
    a = await createTestApp(env);
    b = await createTestApp(env);
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  it('share one unauthenticated budget per address', async () => {
    await roomInRateWindow(10);
    // Redis outlives this run: an address of its own.
    const from = `10.${[0, 0, 0].map(() => Math.floor(Math.random() * 250) + 1).join('.')}`;
    for (let i = 0; i < 4; i++) await a.http.get('/health').set('X-Forwarded-For', from).expect(200);
    await new Promise((r) => setTimeout(r, 200));
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await b.http.get('/health').set('X-Forwarded-For', from)).status);
    expect(statuses).toEqual([200, 200, 429]);
  });
});
