/**
 * npm run bench — the API against raw PostgreSQL, measured in the same run on a fresh database.
 * Scenarios: intake of 40,000 links, 40 × 1,000 acknowledgements, single acknowledgements under load, polling,
 * the evidence export of a 40,000-link case, inclusion proofs and full verification at 1,000,000 audit events.
 * Each prints the median of BENCH_RUNS runs (default 3), min–max, and the ratio to its raw baseline.
 * DATABASE_URL: use that server (a fresh database is created on it); unset: an embedded PostgreSQL in a temp folder.
 */
import { fork } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { verifyEvidencePackage } from '../src/cli/evidence-verifier';
import { ApiProcess, freePort, withScratchDatabase } from '../test/support/tooling';
import { readZip } from '../src/cli/verify-evidence';
import { baselineExport, baselineProofReads, baselineVerify, drain } from './evidence';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const LOAD_SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 20);
const LINKS = 40_000;
const AUDIT_TARGET = Number(process.env.BENCH_AUDIT_EVENTS ?? 1_000_000);
const PROOFS = 1000;
const ROOT = path.resolve(__dirname, '..');

type Stats = { median: number; min: number; max: number };
const stats = (xs: number[]): Stats => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return { median: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2, min: s[0], max: s[s.length - 1] };
};
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};
const fmt = (x: number, d = 2) => x.toFixed(d);
const now = () => performance.now();

function peakRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}
function resetPeakRss(pid: number): void {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    // older kernels: the peak then covers the process's life so far, which only overstates it
  }
}

let counter = Math.floor(Math.random() * 1e9);
function generateLinks(n: number, codes: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const k = ++counter;
    switch (codes[i % codes.length]) {
      case 'shopee':
        out.push(
          `https://shopee.co.id/Kemeja-Flanel-Bekas-Impor-i.${100000 + (k % 5000)}.${k}?sp_atk=x${k}&xptdk=y`,
        );
        break;
      case 'tokopedia':
        out.push(
          `https://www.tokopedia.com/toko${k % 700}/jaket-denim-preloved-${k}?extParam=ivf%3Dfalse&src=topads`,
        );
        break;
      case 'lazada':
        out.push(
          `https://www.lazada.co.id/products/hoodie-bekas-i${k}-s${k + 7}.html?spm=a2o4j.searchlist.list.1`,
        );
        break;
      default:
        out.push(
          `https://shop.tiktok.com/view/product/${1729384756102000000n + BigInt(k)}?region=ID&locale=id-ID`,
        );
    }
  }
  return out;
}

function csvField(v: string | null): string {
  if (v === null) return '';
  return `"${v.replace(/"/g, '""')}"`;
}

/** Baseline: the same link and audit rows, COPYed into look-alike tables in one transaction, no API. */
async function baselineIntake(
  pg: Client,
  urls: string[],
  marketplaceIds: string[],
): Promise<{ ms: number; ids: string[] }> {
  const t0 = now();
  const batchId = randomUUID();
  const at = new Date().toISOString();
  const ids = urls.map(() => randomUUID());
  await pg.query('BEGIN');
  const head = (
    await pg.query(`SELECT next_seq, encode(last_hash, 'hex') AS h FROM bench_head WHERE id = 1 FOR UPDATE`)
  ).rows[0];
  let seq = Number(head.next_seq);
  let prev: string = head.h;
  const linkLines: string[] = [];
  const auditLines: string[] = [];
  for (let i = 0; i < urls.length; i++) {
    const mk = marketplaceIds[i % marketplaceIds.length];
    const key = `${i}-${ids[i]}`;
    linkLines.push(
      [ids[i], batchId, mk, csvField(urls[i]), csvField(urls[i]), csvField(key), 'pending', at, at, at].join(
        ',',
      ) + '\n',
    );
    const canonical = JSON.stringify({
      action: 'link.created',
      at,
      data: { batchId, url: urls[i], listingKey: key },
      entity: { id: ids[i], type: 'link' },
      prev,
      seq,
      v: 1,
    });
    const hash = createHash('sha256')
      .update(Buffer.from([0]))
      .update(canonical)
      .digest('hex');
    auditLines.push(
      [
        seq,
        at,
        'ministry',
        'link.created',
        'link',
        ids[i],
        csvField(canonical),
        `\\x${prev}`,
        `\\x${hash}`,
      ].join(',') + '\n',
    );
    prev = hash;
    seq++;
  }
  await pipeline(
    Readable.from(linkLines),
    pg.query(
      copyFrom(
        'COPY bench_links (id, batch_id, marketplace_id, url, canonical_url, listing_key, status, due_at, created_at, updated_at) FROM STDIN WITH (FORMAT csv)',
      ),
    ),
  );
  await pipeline(
    Readable.from(auditLines),
    pg.query(
      copyFrom(
        'COPY bench_audit (seq, occurred_at, actor_role, action, entity_type, entity_id, canonical, prev_hash, entry_hash) FROM STDIN WITH (FORMAT csv)',
      ),
    ),
  );
  await pg.query(`UPDATE bench_head SET next_seq = $1, last_hash = decode($2, 'hex') WHERE id = 1`, [
    seq,
    prev,
  ]);
  await pg.query('COMMIT');
  return { ms: now() - t0, ids };
}

/** Baseline: per 1,000 links one UPDATE … FROM unnest and one COPY of their audit rows, each in its own transaction. */
async function baselineAcks(pg: Client, ids: string[]): Promise<number> {
  const t0 = now();
  for (let i = 0; i < ids.length; i += 1000) {
    const chunk = ids.slice(i, i + 1000);
    const at = new Date().toISOString();
    await pg.query('BEGIN');
    await pg.query(
      `UPDATE bench_links l SET status = 'taken_down', resolved_at = $2, updated_at = $2 FROM unnest($1::uuid[]) AS u(id) WHERE l.id = u.id`,
      [chunk, at],
    );
    const head = (
      await pg.query(`SELECT next_seq, encode(last_hash, 'hex') AS h FROM bench_head WHERE id = 1 FOR UPDATE`)
    ).rows[0];
    let seq = Number(head.next_seq);
    let prev: string = head.h;
    const lines: string[] = [];
    for (const id of chunk) {
      const canonical = JSON.stringify({
        action: 'link.taken_down',
        at,
        data: { from: 'pending', status: 'taken_down' },
        entity: { id, type: 'link' },
        prev,
        seq,
        v: 1,
      });
      const hash = createHash('sha256')
        .update(Buffer.from([0]))
        .update(canonical)
        .digest('hex');
      lines.push(
        [
          seq,
          at,
          'marketplace',
          'link.taken_down',
          'link',
          id,
          csvField(canonical),
          `\\x${prev}`,
          `\\x${hash}`,
        ].join(',') + '\n',
      );
      prev = hash;
      seq++;
    }
    await pipeline(
      Readable.from(lines),
      pg.query(
        copyFrom(
          'COPY bench_audit (seq, occurred_at, actor_role, action, entity_type, entity_id, canonical, prev_hash, entry_hash) FROM STDIN WITH (FORMAT csv)',
        ),
      ),
    );
    await pg.query(`UPDATE bench_head SET next_seq = $1, last_hash = decode($2, 'hex') WHERE id = 1`, [
      seq,
      prev,
    ]);
    await pg.query('COMMIT');
  }
  return now() - t0;
}

async function load(
  url: string,
  headers: Record<string, string>,
  nextId: () => string,
): Promise<{ rps: number; p50: number; p99: number; errors: number; non2xx: number; total: number }> {
  const result = await autocannon({
    url,
    connections: 10,
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

async function main(): Promise<void> {
  // BENCH_KEEP_DATABASE=true leaves the database for a closer look (with DATABASE_URL only).
  await withScratchDatabase('bench', (db) => bench(db.url, db.tmp), {
    keep: process.env.BENCH_KEEP_DATABASE === 'true',
  });
}

async function bench(dbUrl: string, tmp: string): Promise<void> {
  const port = await freePort();
  const dataDir = path.join(tmp, 'data');
  // BENCH_API_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", profiles the API process.
  const nodeArgs = (process.env.BENCH_API_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const api = new ApiProcess(
    {
      DATABASE_URL: dbUrl,
      RATE_LIMIT_PER_MINUTE: '10000000',
      TOKEN_RATE_LIMIT_PER_MINUTE: '10000',
      LOG_LEVEL: 'warn',
      CHECKPOINT_INTERVAL_SECONDS: '60',
    },
    port,
    dataDir,
    nodeArgs,
  );
  /** The bench's calls must succeed: any refusal stops it, with what was refused. */
  const call = async (token: string, method: string, url: string, body?: string): Promise<any> => {
    const res = await api.call(token, method, url, body);
    if (res.status >= 400)
      throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    return res.body;
  };
  const results: Record<string, unknown> = {
    machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.cpus()[0]?.model}`,
    node: process.version,
    runs: RUNS,
  };
  const pg = new Client({ connectionString: dbUrl });
  try {
    await api.start();
    await pg.connect();
    results.postgres = (await pg.query('SHOW server_version')).rows[0].server_version;
    await pg.query(
      `CREATE TABLE bench_links (LIKE links INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)`,
    );
    await pg.query(
      `CREATE TABLE bench_audit (LIKE audit_events INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)`,
    );
    await pg.query(
      `CREATE TABLE bench_head (id int PRIMARY KEY, next_seq bigint NOT NULL, last_hash bytea NOT NULL)`,
    );
    await pg.query(`INSERT INTO bench_head VALUES (1, 1, decode(repeat('00', 32), 'hex'))`);

    const creds = JSON.parse(readFileSync(path.join(dataDir, 'demo-credentials.json'), 'utf8')) as Record<
      string,
      { clientId: string; clientSecret: string }
    >;
    const tokens = async () =>
      Object.fromEntries(
        await Promise.all(Object.entries(creds).map(async ([k, c]) => [k, await api.token(c)] as const)),
      );
    let t = await tokens();
    const marketplaces = (await call(t.kemendag, 'GET', '/v1/marketplaces')).items as {
      id: string;
      code: string;
    }[];
    const codes = marketplaces.map((m) => m.code);
    const mkIds = marketplaces.map((m) => m.id);
    const byId = new Map(marketplaces.map((m) => [m.id, m.code]));
    console.log(
      `bench: ${String(results.machine)}; PostgreSQL ${String(results.postgres)}; ${RUNS} runs per scenario`,
    );

    // 1. Intake
    const intakeApi: number[] = [];
    const intakeBase: number[] = [];
    const intakeMem: number[] = [];
    const batches: string[] = [];
    const baselineIds: string[][] = [];
    for (let run = 0; run < RUNS; run++) {
      const urls = generateLinks(LINKS, codes);
      const body = JSON.stringify({
        reference: `BENCH/${run}`,
        legalBasis: 'bench',
        links: urls.map((url) => ({ url })),
      });
      resetPeakRss(api.pid);
      const t0 = now();
      const res = await call(t.kemendag, 'POST', '/v1/link-batches', body);
      intakeApi.push(now() - t0);
      intakeMem.push(peakRss(api.pid));
      if (res.counts.accepted !== LINKS) throw new Error(`intake accepted ${res.counts.accepted}`);
      batches.push(res.id);
      const base = await baselineIntake(pg, urls, mkIds);
      intakeBase.push(base.ms);
      baselineIds.push(base.ids);
      console.log(
        `  intake run ${run + 1}: API ${fmt(intakeApi[run], 0)} ms (peak RSS ${fmt(intakeMem[run], 0)} MB), COPY baseline ${fmt(base.ms, 0)} ms`,
      );
    }

    // 2. Acknowledgements, 40 × 1,000
    const ackApi: number[] = [];
    const ackBase: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const rows = (
        await pg.query<{ id: string; marketplace_id: string }>(
          'SELECT id, marketplace_id FROM links WHERE batch_id = $1 ORDER BY id',
          [batches[run]],
        )
      ).rows;
      const perMarket = new Map<string, string[]>();
      for (const r of rows)
        perMarket.set(r.marketplace_id, [...(perMarket.get(r.marketplace_id) ?? []), r.id]);
      const t0 = now();
      for (const [mk, ids] of perMarket) {
        for (let i = 0; i < ids.length; i += 1000) {
          const items = ids.slice(i, i + 1000).map((linkId) => ({ linkId, status: 'taken_down' }));
          const res = await call(
            t[byId.get(mk)!],
            'POST',
            '/v1/links/acknowledgements',
            JSON.stringify({ items }),
          );
          if (res.results.some((r: { ok: boolean }) => !r.ok))
            throw new Error('an acknowledgement was refused');
        }
      }
      ackApi.push(now() - t0);
      ackBase.push(await baselineAcks(pg, baselineIds[run]));
      console.log(
        `  acknowledgements run ${run + 1}: API ${fmt(ackApi[run], 0)} ms, UPDATE+COPY baseline ${fmt(ackBase[run], 0)} ms`,
      );
    }

    // 3. Polling: pages of 1,000 pending links over a 40,000-link marketplace backlog
    t = await tokens();
    const shopee = marketplaces.find((m) => m.code === 'shopee')!;
    const pollBatch = await call(
      t.kemendag,
      'POST',
      '/v1/link-batches',
      JSON.stringify({
        reference: 'BENCH/poll',
        legalBasis: 'bench',
        links: generateLinks(LINKS, ['shopee']).map((url) => ({ url })),
      }),
    );
    if (pollBatch.counts.accepted !== LINKS) throw new Error('poll batch not accepted whole');
    const pollApiP50: number[] = [];
    const pollApiP99: number[] = [];
    const pollBaseP50: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const pages: number[] = [];
      let cursor: string | null = null;
      let seen = 0;
      do {
        const t0 = now();
        const page: { items: unknown[]; nextCursor: string | null } = await call(
          t.shopee,
          'GET',
          `/v1/links?status=pending&limit=1000${cursor ? `&cursor=${cursor}` : ''}`,
        );
        pages.push(now() - t0);
        seen += page.items.length;
        cursor = page.nextCursor;
      } while (cursor);
      if (seen < LINKS) throw new Error(`polling saw ${seen} links`);
      const basePages: number[] = [];
      let last = '00000000-0000-0000-0000-000000000000';
      for (;;) {
        const t0 = now();
        const rows = (
          await pg.query(
            `SELECT * FROM links WHERE marketplace_id = $1 AND status = 'pending' AND id > $2 ORDER BY id LIMIT 1001`,
            [shopee.id, last],
          )
        ).rows;
        const body = JSON.stringify(rows.slice(0, 1000));
        basePages.push(now() - t0);
        if (rows.length <= 1000 || body.length === 0) break;
        last = rows[999].id;
      }
      pollApiP50.push(pct(pages, 50));
      pollApiP99.push(pct(pages, 99));
      pollBaseP50.push(pct(basePages, 50));
      console.log(
        `  polling run ${run + 1}: ${pages.length} pages, API p50 ${fmt(pct(pages, 50), 1)} ms p99 ${fmt(pct(pages, 99), 1)} ms; SQL baseline p50 ${fmt(pct(basePages, 50), 1)} ms`,
      );
    }

    // 4. Single acknowledgements under load
    const loadBatch = await call(
      t.kemendag,
      'POST',
      '/v1/link-batches',
      JSON.stringify({
        reference: 'BENCH/load',
        legalBasis: 'bench',
        links: generateLinks(50_000, ['shopee']).map((url) => ({ url })),
      }),
    );
    const loadIds = (
      await pg.query<{ id: string }>('SELECT id FROM links WHERE batch_id = $1 ORDER BY random()', [
        loadBatch.id,
      ])
    ).rows.map((r) => r.id);
    await pg.query(
      `INSERT INTO bench_links (id, batch_id, marketplace_id, url, canonical_url, listing_key, status, due_at, created_at, updated_at)
                    SELECT gen_random_uuid(), gen_random_uuid(), $1, 'u' || g, 'u' || g, 'load-' || g, 'pending', now(), now(), now() FROM generate_series(1, 300000) g`,
      [shopee.id],
    );
    const bareIds = (
      await pg.query<{ id: string }>(
        `SELECT id FROM bench_links WHERE status = 'pending' AND listing_key LIKE 'load-%'`,
      )
    ).rows.map((r) => r.id);
    const barePort = await freePort();
    const bare = fork(path.join(__dirname, 'bare-server.ts'), [], {
      env: { ...process.env, DATABASE_URL: dbUrl, PORT: String(barePort) },
      execArgv: ['-r', 'ts-node/register/transpile-only'],
    });
    await new Promise((r) => bare.once('message', r));
    const loadApi: Awaited<ReturnType<typeof load>>[] = [];
    const loadBare: Awaited<ReturnType<typeof load>>[] = [];
    let apiNext = 0;
    let bareNext = 0;
    for (let run = 0; run < RUNS; run++) {
      t = await tokens();
      loadApi.push(
        await load(
          `${api.base}/v1/links/acknowledgements`,
          { Authorization: `Bearer ${t.shopee}` },
          () => loadIds[apiNext++ % loadIds.length],
        ),
      );
      loadBare.push(
        await load(`http://127.0.0.1:${barePort}/ack`, {}, () => bareIds[bareNext++ % bareIds.length]),
      );
      console.log(
        `  load run ${run + 1}: API ${fmt(loadApi[run].rps, 0)} req/s (p50 ${loadApi[run].p50} ms, p99 ${loadApi[run].p99} ms, ${loadApi[run].non2xx} non-2xx); bare node:http ${fmt(loadBare[run].rps, 0)} req/s (p50 ${loadBare[run].p50} ms, p99 ${loadBare[run].p99} ms)`,
      );
    }
    bare.kill('SIGTERM');
    if (apiNext > loadIds.length)
      console.log('  note: the API load run reused link ids (repeats write nothing)');
    // 5. Evidence export of a case of 40,000 links with three events each (created, acknowledged, taken down)
    t = await tokens();
    const caseBatch = await call(
      t.kemendag,
      'POST',
      '/v1/link-batches',
      JSON.stringify({
        reference: 'BENCH/case',
        legalBasis: 'bench',
        links: generateLinks(LINKS, codes).map((url) => ({ url })),
      }),
    );
    const caseLinks = (
      await pg.query<{ id: string; marketplace_id: string }>(
        'SELECT id, marketplace_id FROM links WHERE batch_id = $1 ORDER BY id',
        [caseBatch.id],
      )
    ).rows;
    for (const status of ['acknowledged', 'taken_down']) {
      for (const mk of mkIds) {
        const ids = caseLinks.filter((r) => r.marketplace_id === mk).map((r) => r.id);
        for (let i = 0; i < ids.length; i += 1000) {
          const items = ids.slice(i, i + 1000).map((linkId) => ({
            linkId,
            status,
            ...(status === 'taken_down' ? { listing: { sellerRef: `seller-${linkId.slice(0, 3)}` } } : {}),
          }));
          await call(t[byId.get(mk)!], 'POST', '/v1/links/acknowledgements', JSON.stringify({ items }));
        }
      }
    }
    const police = Object.keys(creds).find((k) => k.startsWith('polri'))!;
    const filed = await call(
      t[police],
      'POST',
      '/v1/evidence-requests',
      JSON.stringify({
        caseNumber: 'BENCH/CASE/1',
        legalBasis: 'bench',
        purpose: 'bench',
        scope: { batchIds: [caseBatch.id] },
      }),
    );
    for (const part of filed.marketplaces as { marketplaceId: string }[]) {
      const code = byId.get(part.marketplaceId)!;
      await call(
        t[code],
        'POST',
        `/v1/evidence-requests/${filed.id}/responses`,
        JSON.stringify({
          decision: 'fulfil',
          sellerRecords: Array.from({ length: 200 }, (_, i) => ({
            sellerRef: `${code}-seller-${i}`,
            registeredName: `CV Seller ${i}`,
            contact: '+62 812 0000 0000',
            address: 'Jl. Bench 1, Jakarta',
          })),
        }),
      );
    }
    const caseEvents = Number(
      (
        await pg.query(
          `SELECT count(*) AS n FROM audit_events
            WHERE entity_id = $1 OR entity_id IN (SELECT link_id FROM evidence_request_links WHERE request_id = $1)`,
          [filed.id],
        )
      ).rows[0].n,
    );
    const exportApi: number[] = [];
    const exportMem: number[] = [];
    const exportBase: number[] = [];
    let exportBytes = 0;
    let lastPackage: Buffer[] = [];
    for (let run = 0; run < RUNS; run++) {
      resetPeakRss(api.pid);
      const t0 = now();
      const res = await fetch(`${api.base}/v1/evidence-requests/${filed.id}/export`, {
        headers: { Authorization: `Bearer ${t[police]}` },
      });
      if (!res.ok) throw new Error(`export: ${res.status} ${await res.text()}`);
      const got = await drain(res);
      exportApi.push(now() - t0);
      exportMem.push(peakRss(api.pid));
      if (got.sha256 !== res.headers.get('x-package-sha256')) throw new Error('export: SHA-256 differs');
      exportBytes = got.bytes;
      lastPackage = got.body;
      const base = await baselineExport(pg, filed.id);
      exportBase.push(base.ms);
      console.log(
        `  export run ${run + 1}: ${filed.linkCount} links, ${caseEvents} events, ${fmt(got.bytes / 2 ** 20, 1)} MB: API ${fmt(exportApi[run], 0)} ms (peak RSS ${fmt(exportMem[run], 0)} MB); ZIP-without-proofs baseline ${fmt(base.ms, 0)} ms (${fmt(base.bytes / 2 ** 20, 1)} MB)`,
      );
    }
    const pkgFile = path.join(tmp, 'case.zip');
    writeFileSync(pkgFile, Buffer.concat(lastPackage));
    lastPackage = [];
    const v0 = now();
    const report = verifyEvidencePackage(
      await readZip(pkgFile),
      JSON.stringify(await call(t[police], 'GET', '/v1/audit/keys')),
    );
    const verifyPackageMs = now() - v0;
    if (!report.ok) throw new Error(`the bench package did not verify:\n${report.lines.join('\n')}`);
    console.log(
      `  offline verifier: package verified (${report.links} links, ${report.events} events) in ${fmt(verifyPackageMs, 0)} ms`,
    );

    // 6. Grow the log to AUDIT_TARGET events through the API, then inclusion proofs at exactly that tree size
    const headSeq = async () =>
      Number((await pg.query('SELECT next_seq - 1 AS n FROM audit_head WHERE id = 1')).rows[0].n);
    let grown = 0;
    while ((await headSeq()) < AUDIT_TARGET) {
      if (grown++ % 5 === 0) t = await tokens();
      const fill = Math.min(LINKS, AUDIT_TARGET - (await headSeq()));
      await call(
        t.kemendag,
        'POST',
        '/v1/link-batches',
        JSON.stringify({
          reference: `BENCH/fill/${grown}`,
          legalBasis: 'bench',
          links: generateLinks(Math.max(fill - 1, 1), codes).map((url) => ({ url })),
        }),
      );
    }
    const treeSize = AUDIT_TARGET;
    console.log(`  audit log grown to ${await headSeq()} events; proofs at tree size ${treeSize}`);
    t = await tokens();
    const proofUrl = (seq: number) => `/v1/audit/proofs/inclusion?seq=${seq}&treeSize=${treeSize}`;
    const i0 = now();
    await call(t[police], 'GET', proofUrl(1)); // integrates the tree up to treeSize if the integrator lags
    const integrateMs = now() - i0;
    const proofP50: number[] = [];
    const proofP99: number[] = [];
    const proofBaseP99: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const times: number[] = [];
      for (let i = 0; i < PROOFS; i++) {
        const seq = 1 + Math.floor(Math.random() * treeSize);
        const q0 = now();
        const proof = await call(t[police], 'GET', proofUrl(seq));
        times.push(now() - q0);
        if (proof.leafIndex !== seq - 1) throw new Error('proof for another leaf');
      }
      const base = await baselineProofReads(pg, treeSize, PROOFS);
      proofP50.push(pct(times, 50));
      proofP99.push(pct(times, 99));
      proofBaseP99.push(pct(base, 99));
      console.log(
        `  inclusion proofs run ${run + 1}: ${PROOFS} proofs, p50 ${fmt(pct(times, 50))} ms, p99 ${fmt(pct(times, 99))} ms; one indexed SELECT p99 ${fmt(pct(base, 99))} ms`,
      );
    }

    // 7. Full verification of the whole log
    const operatorToken = await api.token(
      JSON.parse(readFileSync(path.join(dataDir, 'operator-credentials.json'), 'utf8')),
    );
    const verifyRate: number[] = [];
    const verifyBaseRate: number[] = [];
    let verify: { ok: boolean; checked: number } = { ok: false, checked: 0 };
    for (let run = 0; run < RUNS; run++) {
      const v1 = now();
      verify = await call(operatorToken, 'GET', '/v1/audit/verify');
      const ms = now() - v1;
      if (!verify.ok) throw new Error('the audit chain did not verify');
      const base = await baselineVerify(pg);
      verifyRate.push(verify.checked / (ms / 1000));
      verifyBaseRate.push(base.checked / (base.ms / 1000));
      console.log(
        `  verify run ${run + 1}: ${verify.checked} events in ${fmt(ms / 1000, 1)} s = ${fmt(verifyRate[run], 0)} events/s; SELECT + SHA-256 baseline ${fmt(verifyBaseRate[run], 0)} events/s`,
      );
    }

    const s = {
      intake: { api: stats(intakeApi), baseline: stats(intakeBase), peakRssMb: stats(intakeMem) },
      acknowledgements: { api: stats(ackApi), baseline: stats(ackBase) },
      polling: { apiP50: stats(pollApiP50), apiP99: stats(pollApiP99), baselineP50: stats(pollBaseP50) },
      load: {
        apiRps: stats(loadApi.map((r) => r.rps)),
        apiP50: stats(loadApi.map((r) => r.p50)),
        apiP99: stats(loadApi.map((r) => r.p99)),
        bareRps: stats(loadBare.map((r) => r.rps)),
        bareP50: stats(loadBare.map((r) => r.p50)),
        bareP99: stats(loadBare.map((r) => r.p99)),
        apiNon2xx: loadApi.reduce((n, r) => n + r.non2xx + r.errors, 0),
      },
      export: {
        links: filed.linkCount as number,
        events: caseEvents,
        bytes: exportBytes,
        api: stats(exportApi),
        baseline: stats(exportBase),
        peakRssMb: stats(exportMem),
        offlineVerifyMs: verifyPackageMs,
      },
      proofs: {
        treeSize,
        integrateMs,
        p50: stats(proofP50),
        p99: stats(proofP99),
        baselineP99: stats(proofBaseP99),
      },
      verify: { eventsPerSecond: stats(verifyRate), baselineEventsPerSecond: stats(verifyBaseRate) },
      auditVerified: verify.ok,
      auditEvents: verify.checked,
    };
    results.scenarios = s;
    const line = (name: string, a: Stats, b: Stats, unit: string, goal: string) =>
      console.log(
        `${name.padEnd(34)} ${fmt(a.median, 1).padStart(9)} ${unit} (${fmt(a.min, 1)}–${fmt(a.max, 1)})  baseline ${fmt(b.median, 1).padStart(8)} ${unit} (${fmt(b.min, 1)}–${fmt(b.max, 1)})  ratio ${fmt(a.median / b.median)}×  ${goal}`,
      );
    console.log(
      '\nscenario                            median (min–max)                baseline (min–max)              ratio',
    );
    line('intake 40,000 links', s.intake.api, s.intake.baseline, 'ms', 'goal ≤ 2.0×');
    console.log(
      `${'  API peak RSS during intake'.padEnd(34)} ${fmt(s.intake.peakRssMb.median, 0).padStart(9)} MB (${fmt(s.intake.peakRssMb.min, 0)}–${fmt(s.intake.peakRssMb.max, 0)})  goal ≤ 512 MB`,
    );
    line(
      'acknowledgements 40 × 1,000',
      s.acknowledgements.api,
      s.acknowledgements.baseline,
      'ms',
      'goal ≤ 2.0×',
    );
    console.log(
      `${'single acks, 10 clients'.padEnd(34)} ${fmt(s.load.apiRps.median, 0).padStart(9)} req/s (${fmt(s.load.apiRps.min, 0)}–${fmt(s.load.apiRps.max, 0)})  bare node:http ${fmt(s.load.bareRps.median, 0)} req/s  share ${fmt((100 * s.load.apiRps.median) / s.load.bareRps.median, 0)}%  goal ≥ 50%`,
    );
    console.log(
      `${'  latency p50 / p99'.padEnd(34)} API ${s.load.apiP50.median} / ${s.load.apiP99.median} ms; bare ${s.load.bareP50.median} / ${s.load.bareP99.median} ms; API errors ${s.load.apiNon2xx}`,
    );
    line('polling page of 1,000 (p50)', s.polling.apiP50, s.polling.baselineP50, 'ms', '');
    console.log(`${'  polling page p99'.padEnd(34)} ${fmt(s.polling.apiP99.median, 1).padStart(9)} ms`);
    line(
      `export ${s.export.links} links, ${s.export.events} events`,
      s.export.api,
      s.export.baseline,
      'ms',
      'goal ≤ 3,000 ms',
    );
    console.log(
      `${'  API peak RSS during export'.padEnd(34)} ${fmt(s.export.peakRssMb.median, 0).padStart(9)} MB (${fmt(s.export.peakRssMb.min, 0)}–${fmt(s.export.peakRssMb.max, 0)})  goal ≤ 256 MB`,
    );
    line(
      `inclusion proof at ${treeSize} (p99)`,
      s.proofs.p99,
      s.proofs.baselineP99,
      'ms',
      'goal p99 ≤ 10 ms',
    );
    console.log(
      `${'verify the whole log'.padEnd(34)} ${fmt(s.verify.eventsPerSecond.median, 0).padStart(9)} events/s (${fmt(s.verify.eventsPerSecond.min, 0)}–${fmt(s.verify.eventsPerSecond.max, 0)})  baseline ${fmt(s.verify.baselineEventsPerSecond.median, 0)} events/s  ratio ${fmt(s.verify.baselineEventsPerSecond.median / s.verify.eventsPerSecond.median)}×`,
    );
    console.log(
      `audit chain after the bench: ${s.auditVerified ? 'verified' : 'BROKEN'} (${s.auditEvents} events)`,
    );
    const outDir = path.join(ROOT, 'bench', 'results');
    if (!existsSync(outDir)) mkdirSync(outDir, { recursive: true });
    writeFileSync(path.join(outDir, 'latest.json'), JSON.stringify(results, null, 2));
  } finally {
    await pg.end().catch(() => undefined);
    await api.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
