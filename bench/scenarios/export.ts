import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { verifyEvidencePackage } from '../../src/cli/evidence-verifier';
import { readZip } from '../../src/cli/verify-evidence';
import { batchBody, BenchContext, generateLinks, LINKS } from '../context';
import { baselineExport, drain } from '../evidence';
import { fmt, now, peakRss, resetPeakRss, stats } from '../measure';
import { ratioRow, Scenario } from '../scenario';

interface ExportRun {
  ms: number;
  peakRssMb: number;
  bytes: number;
}

interface Case {
  requestId: string;
  linkCount: number;
  events: number;
  police: string;
}

/**
 * The evidence export of a case of LINKS links with three events each (created, acknowledged, taken down), then the
 * offline verifier on the last package; baseline: the same rows streamed into a ZIP without proofs (evidence.ts).
 */
export function exportScenario(): Scenario<ExportRun, { ms: number; bytes: number }> {
  let kase: Case;
  let token = '';
  let lastPackage: Buffer[] = [];
  let offlineVerifyMs = 0;
  return {
    name: 'export',
    async setup(ctx) {
      kase = await fileCase(ctx);
      token = (await ctx.tokens())[kase.police];
    },
    async run(ctx) {
      resetPeakRss(ctx.api.pid);
      const t0 = now();
      const res = await fetch(`${ctx.api.base}/v1/evidence-requests/${kase.requestId}/export`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      if (!res.ok) throw new Error(`export: ${res.status} ${await res.text()}`);
      const got = await drain(res);
      const ms = now() - t0;
      const peakRssMb = peakRss(ctx.api.pid);
      if (got.sha256 !== res.headers.get('x-package-sha256')) throw new Error('export: SHA-256 differs');
      lastPackage = got.body;
      return { ms, peakRssMb, bytes: got.bytes };
    },
    baseline: (ctx) => baselineExport(ctx.pg, kase.requestId),
    describe: (run, api, base) =>
      `export run ${run + 1}: ${kase.linkCount} links, ${kase.events} events, ${fmt(api.bytes / 2 ** 20, 1)} MB: API ${fmt(api.ms, 0)} ms (peak RSS ${fmt(api.peakRssMb, 0)} MB); ZIP-without-proofs baseline ${fmt(base.ms, 0)} ms (${fmt(base.bytes / 2 ** 20, 1)} MB)`,
    async teardown(ctx) {
      offlineVerifyMs = await verifyOffline(ctx, token, lastPackage);
      lastPackage = [];
    },
    result(api, base) {
      const s = {
        links: kase.linkCount,
        events: kase.events,
        bytes: api[api.length - 1].bytes,
        api: stats(api.map((r) => r.ms)),
        baseline: stats(base.map((r) => r.ms)),
        peakRssMb: stats(api.map((r) => r.peakRssMb)),
        offlineVerifyMs,
      };
      return {
        summary: s,
        rows: [
          ratioRow(`export ${s.links} links, ${s.events} events`, s.api, s.baseline, 'ms', 'goal ≤ 3,000 ms'),
          {
            label: '  API peak RSS during export',
            text: `${fmt(s.peakRssMb.median, 0).padStart(9)} MB (${fmt(s.peakRssMb.min, 0)}–${fmt(s.peakRssMb.max, 0)})  goal ≤ 256 MB`,
          },
        ],
      };
    },
  };
}

/** A batch, every link acknowledged then taken down, one evidence request over it, every marketplace's answer. */
async function fileCase(ctx: BenchContext): Promise<Case> {
  const t = await ctx.tokens();
  const caseBatch = await ctx.call(
    t.kemendag,
    'POST',
    '/v1/link-batches',
    batchBody('BENCH/case', generateLinks(LINKS, ctx.codes)),
  );
  const caseLinks = (
    await ctx.pg.query<{ id: string; marketplace_id: string }>(
      'SELECT id, marketplace_id FROM links WHERE batch_id = $1 ORDER BY id',
      [caseBatch.id],
    )
  ).rows;
  for (const status of ['acknowledged', 'taken_down']) {
    for (const mk of ctx.mkIds) {
      const ids = caseLinks.filter((r) => r.marketplace_id === mk).map((r) => r.id);
      for (let i = 0; i < ids.length; i += 1000) {
        const items = ids.slice(i, i + 1000).map((linkId) => ({
          linkId,
          status,
          ...(status === 'taken_down' ? { listing: { sellerRef: `seller-${linkId.slice(0, 3)}` } } : {}),
        }));
        await ctx.call(t[ctx.byId.get(mk)!], 'POST', '/v1/links/acknowledgements', JSON.stringify({ items }));
      }
    }
  }
  const police = Object.keys(ctx.creds).find((k) => k.startsWith('polri'))!;
  const filed = await ctx.call(
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
  await answerAll(ctx, t, filed);
  const events = Number(
    (
      await ctx.pg.query(
        `SELECT count(*) AS n FROM audit_events
          WHERE entity_id = $1 OR entity_id IN (SELECT link_id FROM evidence_request_links WHERE request_id = $1)`,
        [filed.id],
      )
    ).rows[0].n,
  );
  return { requestId: filed.id, linkCount: filed.linkCount, events, police };
}

/** Every addressed marketplace fulfils the request with 200 seller records. */
async function answerAll(
  ctx: BenchContext,
  t: Record<string, string>,
  filed: { id: string; marketplaces: { marketplaceId: string }[] },
) {
  for (const part of filed.marketplaces) {
    const code = ctx.byId.get(part.marketplaceId)!;
    await ctx.call(
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
}

/** The offline verifier on the last package, against the published keys. */
async function verifyOffline(ctx: BenchContext, token: string, pkg: Buffer[]): Promise<number> {
  const pkgFile = path.join(ctx.tmp, 'case.zip');
  writeFileSync(pkgFile, Buffer.concat(pkg));
  const v0 = now();
  const report = verifyEvidencePackage(
    await readZip(pkgFile),
    JSON.stringify(await ctx.call(token, 'GET', '/v1/audit/keys')),
  );
  const ms = now() - v0;
  if (!report.ok) throw new Error(`the bench package did not verify:\n${report.lines.join('\n')}`);
  console.log(
    `  offline verifier: package verified (${report.links} links, ${report.events} events) in ${fmt(ms, 0)} ms`,
  );
  return ms;
}
