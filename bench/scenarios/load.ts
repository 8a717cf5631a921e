import { ChildProcess, fork } from 'node:child_process';
import * as path from 'node:path';
import autocannon from 'autocannon';
import { batchBody, BenchContext, generateLinks, LOAD_SECONDS } from '../context';
import { fmt, stats } from '../measure';
import { ResultRow, Scenario } from '../scenario';
import { insertLinks, linkRows } from '../../test/support/factories';
import { freePort } from '../../test/support/tooling';

/** Both sides take the same number of clients at once. */
const CONNECTIONS = 10;
const BARE_LINKS = 300_000;

interface Load {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  total: number;
}

async function load(url: string, headers: Record<string, string>, nextId: () => string): Promise<Load> {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: LOAD_SECONDS,
    requests: [
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
        setupRequest: (req: any) => ({
          ...req,
          body: JSON.stringify({ items: [{ linkId: nextId(), status: 'taken_down' }] }),
        }),
      },
    ],
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
    total: result.requests.total,
  };
}

/** Single acknowledgements from 10 clients; baseline: the same SQL behind a bare node:http handler (bare-server.ts). */
export function loadScenario(): Scenario<Load, Load> {
  let apiIds: string[] = [];
  let bareIds: string[] = [];
  let apiNext = 0;
  let bareNext = 0;
  let bare: ChildProcess | null = null;
  let barePort = 0;
  return {
    name: 'load',
    async setup(ctx) {
      ({ apiIds, bareIds } = await seedLinks(ctx));
      barePort = await freePort();
      bare = fork(path.join(__dirname, '..', 'bare-server.ts'), [], {
        env: { ...process.env, DATABASE_URL: ctx.dbUrl, PORT: String(barePort) },
        execArgv: ['-r', 'ts-node/register/transpile-only'],
      });
      await new Promise((r) => bare!.once('message', r));
    },
    async run(ctx) {
      const t = await ctx.tokens();
      return load(
        `${ctx.api.base}/v1/links/acknowledgements`,
        { Authorization: `Bearer ${t.shopee}` },
        () => apiIds[apiNext++ % apiIds.length],
      );
    },
    baseline: () => load(`http://127.0.0.1:${barePort}/ack`, {}, () => bareIds[bareNext++ % bareIds.length]),
    describe: (run, a, b) =>
      `load run ${run + 1}: API ${fmt(a.rps, 0)} req/s (p50 ${a.p50} ms, p99 ${a.p99} ms, ${a.non2xx} non-2xx); bare node:http ${fmt(b.rps, 0)} req/s (p50 ${b.p50} ms, p99 ${b.p99} ms)`,
    teardown() {
      bare?.kill('SIGTERM');
      if (apiNext > apiIds.length)
        console.log('  note: the API load run reused link ids (repeats write nothing)');
      return Promise.resolve();
    },
    result(api, base) {
      const s = {
        apiRps: stats(api.map((r) => r.rps)),
        apiP50: stats(api.map((r) => r.p50)),
        apiP99: stats(api.map((r) => r.p99)),
        bareRps: stats(base.map((r) => r.rps)),
        bareP50: stats(base.map((r) => r.p50)),
        bareP99: stats(base.map((r) => r.p99)),
        apiNon2xx: api.reduce((n, r) => n + r.non2xx + r.errors, 0),
      };
      const rows: ResultRow[] = [
        {
          label: 'single acks, 10 clients',
          text: `${fmt(s.apiRps.median, 0).padStart(9)} req/s (${fmt(s.apiRps.min, 0)}–${fmt(s.apiRps.max, 0)})  bare node:http ${fmt(s.bareRps.median, 0)} req/s  share ${fmt((100 * s.apiRps.median) / s.bareRps.median, 0)}%  goal ≥ 50%`,
        },
        {
          label: '  latency p50 / p99',
          text: `API ${s.apiP50.median} / ${s.apiP99.median} ms; bare ${s.bareP50.median} / ${s.bareP99.median} ms; API errors ${s.apiNon2xx}`,
        },
      ];
      return { summary: s, rows };
    },
  };
}

/** 50,000 pending links through the API (in random order) and BARE_LINKS straight into bench_links for the bare side. */
async function seedLinks(ctx: BenchContext): Promise<{ apiIds: string[]; bareIds: string[] }> {
  const t = await ctx.tokens();
  const body = batchBody('BENCH/load', generateLinks(50_000, ['shopee']));
  const batch = await ctx.call(t.kemendag, 'POST', '/v1/link-batches', body);
  const apiIds = (
    await ctx.pg.query<{ id: string }>('SELECT id FROM links WHERE batch_id = $1 ORDER BY random()', [
      batch.id,
    ])
  ).rows.map((r) => r.id);
  const shopeeId = ctx.marketplaces.find((m) => m.code === 'shopee')!.id;
  const urls = Array.from({ length: BARE_LINKS }, (_, i) => `u${i + 1}`);
  const rows = linkRows(urls, [shopeeId]).map((r, i) => ({ ...r, listingKey: `load-${i + 1}` }));
  await insertLinks(ctx.pg, 'bench_links', rows);
  return { apiIds, bareIds: rows.map((r) => r.id) };
}
