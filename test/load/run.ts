/**
 * npm run test:load — mixed load from a second process against the built API on a fresh database: the ministry
 * submitting batches, each marketplace polling, acknowledging and answering evidence requests, readers listing and
 * counting, the police filing requests and exporting packages, all at once for LOAD_SECONDS (default 60).
 * Reports throughput and p50/p99 per route; fails on any 5xx, on any state the database holds that differs from
 * what the clients were told (links by status, audit events by action), or on a chain that does not verify.
 * DATABASE_URL: a fresh database on that server; unset: an embedded PostgreSQL in a temporary folder.
 */
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { Client } from 'pg';
import { migrate } from '../../src/database/migrate';
import { ApiProcess, freePort, Json, withScratchDatabase } from '../support/tooling';

const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const MARKETS = ['shopee', 'tokopedia', 'lazada', 'tiktok'];
type Status = 'pending' | 'acknowledged' | 'taken_down' | 'not_found';

const timings = new Map<string, { ms: number[]; codes: Map<number, number> }>();
let serverErrors = 0;
const routeOf = (method: string, url: string) =>
  `${method} ${url.split('?')[0].replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, ':id')}`;

let n = Date.now() % 1_000_000_000;
function listingUrl(market: string): string {
  const k = ++n;
  switch (market) {
    case 'shopee':
      return `https://shopee.co.id/Kemeja-Bekas-i.${100000 + (k % 900)}.${k}`;
    case 'tokopedia':
      return `https://www.tokopedia.com/toko${k % 300}/jaket-preloved-${k}`;
    case 'lazada':
      return `https://www.lazada.co.id/products/hoodie-i${k}-s${k + 1}.html`;
    default:
      return `https://shop.tiktok.com/view/product/${1729384756102000000n + BigInt(k)}`;
  }
}

async function main(): Promise<void> {
  const failures = await withScratchDatabase('load', async ({ url, tmp }) => {
    await migrate(url);
    const api = new ApiProcess({ DATABASE_URL: url }, await freePort(), path.join(tmp, 'data'));
    const db = new Client({ connectionString: url });
    try {
      return await drive(api, db);
    } finally {
      await db.end().catch(() => undefined);
      await api.stop();
    }
  });
  if (failures.length > 0) {
    console.error(`\nFAILED:\n  ${failures.join('\n  ')}`);
    process.exit(1);
  }
}

/** Runs the load and returns what did not hold. */
async function drive(api: ApiProcess, db: Client): Promise<string[]> {
  const failures: string[] = [];
  await api.start();
  await db.connect();
  const creds = api.credentials();
  const tokens: Record<string, string> = {};
  for (const who of Object.keys(creds)) tokens[who] = await api.token(creds[who]);
  const police = Object.keys(creds).find((k) => k.startsWith('polri'))!;

  const call = async (
    who: string,
    method: string,
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ) => {
    const t0 = performance.now();
    const res = await api.call(tokens[who], method, url, body, headers);
    const route = routeOf(method, url);
    const entry = timings.get(route) ?? { ms: [], codes: new Map<number, number>() };
    entry.ms.push(performance.now() - t0);
    entry.codes.set(res.status, (entry.codes.get(res.status) ?? 0) + 1);
    timings.set(route, entry);
    if (res.status >= 500) serverErrors++;
    return res;
  };

  // What the clients were told.
  const told = new Map<string, Status>(); // link id → its status as last acknowledged
  const transitions = new Map<string, number>(); // audit action → changes the clients caused
  const count = (action: string, k = 1) => transitions.set(action, (transitions.get(action) ?? 0) + k);
  let accepted = 0;
  const takenDown: string[] = [];
  let exports = 0;
  let requests = 0;
  const until = Date.now() + SECONDS * 1000;
  const running = () => Date.now() < until;

  const ministry = async () => {
    while (running()) {
      const links = Array.from({ length: 1000 }, (_, i) => ({ url: listingUrl(MARKETS[i % 4]) }));
      const res = await call(
        'kemendag',
        'POST',
        '/v1/link-batches',
        { reference: `LOAD/${randomUUID()}`, legalBasis: 'Permendag 18/2021', links },
        { 'Idempotency-Key': randomUUID() },
      );
      if (res.status === 201) {
        accepted += res.body.counts.accepted as number;
        count('link_batch.created');
        count('link.created', res.body.counts.accepted as number);
      }
    }
  };

  const marketplace = (code: string) => async () => {
    while (running()) {
      const page = await call(code, 'GET', '/v1/links?status=pending&limit=200');
      const items = (page.body.items ?? []) as { id: string }[];
      for (let i = 0; i < items.length; i += 100) {
        const chunk = items.slice(i, i + 100).map((l, j) => ({
          linkId: l.id,
          status: j % 10 === 0 ? 'not_found' : j % 10 === 1 ? 'acknowledged' : 'taken_down',
        }));
        const res = await call(code, 'POST', '/v1/links/acknowledgements', { items: chunk });
        for (const r of (res.body.results ?? []) as { linkId: string; ok: boolean; status: Status }[]) {
          if (!r.ok) continue;
          if ((told.get(r.linkId) ?? 'pending') !== r.status) count(`link.${r.status}`);
          told.set(r.linkId, r.status);
          if (r.status === 'taken_down') takenDown.push(r.linkId);
        }
      }
      const open = await call(code, 'GET', '/v1/evidence-requests?limit=50');
      for (const request of (open.body.items ?? []) as Json[]) {
        if (!(request.marketplaces as Json[]).some((m) => m.decision === null)) continue;
        const res = await call(code, 'POST', `/v1/evidence-requests/${request.id}/responses`, {
          decision: 'fulfil',
          sellerRecords: [{ sellerRef: `${code}-seller`, registeredName: 'CV Load' }],
        });
        if (res.status === 201) count('evidence_request.answered');
      }
      if (items.length === 0) await new Promise((r) => setTimeout(r, 200));
    }
  };

  const reader = (code: string) => async () => {
    while (running()) {
      await call(code, 'GET', '/v1/links?limit=100');
      await call(code, 'GET', '/v1/stats/takedowns');
      await call(code, 'GET', '/v1/keywords');
    }
  };

  const policeUnit = async () => {
    while (running()) {
      if (takenDown.length < 20) {
        await new Promise((r) => setTimeout(r, 500));
        continue;
      }
      const linkIds = takenDown.slice(-20);
      const filed = await call(police, 'POST', '/v1/evidence-requests', {
        caseNumber: `LP/LOAD/${++requests}`,
        legalBasis: 'KUHAP Pasal 7',
        purpose: 'load',
        scope: { linkIds },
      });
      if (filed.status !== 201) continue;
      count('evidence_request.filed');
      for (let i = 0; i < 100 && running(); i++) {
        const now = await call(police, 'GET', `/v1/evidence-requests/${filed.body.id}`);
        if (now.body.status === 'ready') {
          const res = await call(police, 'GET', `/v1/evidence-requests/${filed.body.id}/export`);
          if (res.status === 200) {
            exports++;
            count('evidence_request.exported');
          }
          break;
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  };

  const started = Date.now();
  await Promise.all([
    ministry(),
    ...MARKETS.map((m) => marketplace(m)()),
    reader('shopee')(),
    reader('idea')(),
    policeUnit(),
  ]);
  const elapsed = (Date.now() - started) / 1000;

  // Compare the database with what the clients were told.
  const byStatus = new Map(
    (
      await db.query<{ status: Status; n: string }>('SELECT status, count(*) AS n FROM links GROUP BY status')
    ).rows.map((r) => [r.status, Number(r.n)]),
  );
  const expected = new Map<Status, number>();
  for (const s of told.values()) expected.set(s, (expected.get(s) ?? 0) + 1);
  expected.set('pending', accepted - told.size + (expected.get('pending') ?? 0));
  for (const status of ['pending', 'acknowledged', 'taken_down', 'not_found'] as Status[]) {
    if ((byStatus.get(status) ?? 0) !== (expected.get(status) ?? 0))
      failures.push(
        `links ${status}: database ${byStatus.get(status) ?? 0}, clients told ${expected.get(status) ?? 0}`,
      );
  }
  const mismatched = (
    await db.query<{ id: string; status: Status }>(
      'SELECT id, status FROM links WHERE id = ANY($1::uuid[])',
      [[...told.keys()]],
    )
  ).rows.filter((r) => told.get(r.id) !== r.status);
  if (mismatched.length > 0)
    failures.push(`${mismatched.length} links hold another status than their last answer`);
  const events = new Map(
    (
      await db.query<{ action: string; n: string }>(
        'SELECT action, count(*) AS n FROM audit_events GROUP BY action',
      )
    ).rows.map((r) => [r.action, Number(r.n)]),
  );
  for (const [action, n] of transitions) {
    if ((events.get(action) ?? 0) !== n)
      failures.push(`audit ${action}: database ${events.get(action) ?? 0}, clients caused ${n}`);
  }
  const verify = await api.call(tokens.operator, 'GET', '/v1/audit/verify');
  if (!verify.body.ok)
    failures.push(`the audit chain does not verify: first bad seq ${verify.body.firstBadSeq}`);
  if (serverErrors > 0) failures.push(`${serverErrors} responses were 5xx`);

  const total = [...timings.values()].reduce((k, e) => k + e.ms.length, 0);
  console.log(
    `\nmixed load for ${elapsed.toFixed(0)} s: ${total} requests, ${(total / elapsed).toFixed(0)} req/s, 5xx: ${serverErrors}`,
  );
  console.log(
    'route                                               requests   req/s   p50 ms   p99 ms  statuses',
  );
  for (const [route, e] of [...timings].sort((a, b) => b[1].ms.length - a[1].ms.length)) {
    const s = [...e.ms].sort((a, b) => a - b);
    const at = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
    console.log(
      `${route.padEnd(50)} ${String(s.length).padStart(9)} ${(s.length / elapsed).toFixed(1).padStart(7)} ${at(0.5).toFixed(1).padStart(8)} ${at(0.99).toFixed(1).padStart(8)}  ${[...e.codes].map(([c, k]) => `${c}×${k}`).join(' ')}`,
    );
  }
  console.log(
    `state: ${accepted} links accepted, ${told.size} acknowledged by marketplaces, ${requests} evidence requests, ${exports} packages exported; ` +
      `links by status and audit events by action match what the clients were told: ${failures.length === 0 ? 'yes' : 'NO'}; chain verified over ${verify.body.checked} events: ${verify.body.ok ? 'yes' : 'NO'}`,
  );
  return failures;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
