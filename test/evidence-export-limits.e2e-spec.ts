import { mkdtempSync, readdirSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Pool } from 'pg';
import { HeavyWork } from '../src/database/heavy-work';
import { createTestApp, TestApp } from './support/app';
import { Campaign, setUpCampaign, shopeeUrl, submitBatch } from './support/campaign';
import { expectProblem } from './support/problem';

/** Exports are heavy: bounded in number, checked cheaply by HEAD, and cleaned up when the client leaves. */
describe('evidence exports under pressure', () => {
  let t: TestApp;
  let c: Campaign;
  let requestId: string;
  let tmp: string;
  const previousTmp = process.env.TMPDIR;

  beforeAll(async () => {
    // os.tmpdir() follows TMPDIR: the packages of this file are built where the test can count them.
    tmp = mkdtempSync(path.join(os.tmpdir(), 'export-limits-'));
    process.env.TMPDIR = tmp;
    t = await createTestApp({ HEAVY_WORK_CONCURRENCY: '1', HEAVY_WORK_QUEUE: '1' });
    c = await setUpCampaign(t);
    const links = (
      await submitBatch(
        t,
        c,
        Array.from({ length: 400 }, () => shopeeUrl()),
      )
    ).links;
    await t.http
      .post('/v1/links/acknowledgements')
      .set(c.shopee.auth)
      .send({
        items: links.map((l) => ({ linkId: l.id, status: 'taken_down', listing: { sellerRef: 'toko-7' } })),
      })
      .expect(200);
    requestId = (
      await t.http
        .post('/v1/evidence-requests')
        .set(c.police.auth)
        .send({ caseNumber: 'LP/1', legalBasis: 'KUHAP', purpose: 'p', scope: { sellerRefs: ['toko-7'] } })
        .expect(201)
    ).body.id;
    await t.http
      .post(`/v1/evidence-requests/${requestId}/responses`)
      .set(c.shopee.auth)
      .send({ decision: 'fulfil', sellerRecords: [] })
      .expect(201);
  });
  afterAll(async () => {
    await t.close();
    process.env.TMPDIR = previousTmp;
  });

  const exported = async () =>
    Number(
      (
        await t.db.query(`SELECT count(*) AS n FROM audit_events WHERE action = 'evidence_request.exported'`)
      )[0].n,
    );
  const pool = () => (t.db.driver as unknown as { master: Pool }).master;
  const queue = () => t.app.get(HeavyWork).size;
  const busy = () =>
    readdirSync(tmp).length > 0 ||
    pool().idleCount !== pool().totalCount ||
    queue().running + queue().waiting > 0;
  const settled = async () => {
    for (let i = 0; i < 100 && busy(); i++) await new Promise((r) => setTimeout(r, 50));
  };

  it('answers HEAD without building or recording a package', async () => {
    const before = await exported();
    const res = await t.http.head(`/v1/evidence-requests/${requestId}/export`).set(c.police.auth).expect(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(await exported()).toBe(before);
    expect(readdirSync(tmp)).toEqual([]);
    await t.http.head(`/v1/evidence-requests/${requestId}/export`).set(c.ministry.auth).expect(403);
    await t.http.head(`/v1/evidence-requests/${c.police.agencyId}/export`).set(c.police.auth).expect(404);
  });

  it('runs a bounded number of exports and tells the rest to retry (503 + Retry-After), nothing else', async () => {
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        t.http.get(`/v1/evidence-requests/${requestId}/export`).set(c.police.auth).buffer(true),
      ),
    );
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(2);
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
    for (const r of answers.filter((a) => a.status === 503)) {
      expectProblem(r, 503);
      expect(r.headers['retry-after']).toBe('5');
    }
    await settled();
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('leaves no file, descriptor or connection behind when the client goes away', async () => {
    const server = t.app.getHttpServer() as http.Server;
    if (!server.listening) await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    const before = await exported();
    for (const wait of [0, 20, 60]) {
      await new Promise<void>((resolve) => {
        const req = http.get(
          {
            port,
            host: '127.0.0.1',
            path: `/v1/evidence-requests/${requestId}/export`,
            headers: c.police.auth,
          },
          (res) => {
            res.destroy();
            resolve();
          },
        );
        req.on('error', () => resolve());
        setTimeout(() => {
          req.destroy();
          resolve();
        }, wait);
      });
    }
    await settled();
    expect(readdirSync(tmp)).toEqual([]);
    expect(pool().idleCount).toBe(pool().totalCount);
    expect(queue()).toEqual({ running: 0, waiting: 0 });
    // Whatever was built before the client left was either recorded and sent, or neither.
    expect(await exported()).toBeGreaterThanOrEqual(before);
    await t.http.get(`/v1/evidence-requests/${requestId}/export`).set(c.police.auth).buffer(true).expect(200);
  });
});
