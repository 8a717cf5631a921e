import { appendChain, prepareChain } from '../baseline-tables';
import { batchBody, BenchContext, generateLinks, LINKS } from '../context';
import { fmt, now, peakRss, resetPeakRss, stats } from '../measure';
import { ratioRow, Scenario } from '../scenario';
import { insertLinks, linkRows } from '../../test/support/factories';

/**
 * What later scenarios go on with: each run's API batch and baseline link ids (acknowledgements), and the API's time
 * (takedown reports are measured per link against it).
 */
export interface IntakeOutput {
  batches: string[];
  baselineIds: string[][];
  apiMs: number[];
}

interface ApiRun {
  ms: number;
  peakRssMb: number;
}

/** Intake of LINKS links in one batch; baseline: the same link and audit rows COPYed in one transaction. */
export function intakeScenario(out: IntakeOutput): Scenario<ApiRun, number> {
  let urls: string[] = [];
  return {
    name: 'intake',
    async run(ctx, run) {
      urls = generateLinks(LINKS, ctx.codes);
      const body = batchBody(`BENCH/${run}`, urls);
      resetPeakRss(ctx.api.pid);
      const t0 = now();
      const res = await ctx.call((await ctx.tokens()).kemendag, 'POST', '/v1/link-batches', body);
      const ms = now() - t0;
      const peakRssMb = peakRss(ctx.api.pid);
      if (res.counts.accepted !== LINKS) throw new Error(`intake accepted ${res.counts.accepted}`);
      out.batches.push(res.id);
      out.apiMs.push(ms);
      return { ms, peakRssMb };
    },
    async baseline(ctx) {
      const { ms, ids } = await baselineIntake(ctx, urls);
      out.baselineIds.push(ids);
      return ms;
    },
    describe: (run, api, base) =>
      `intake run ${run + 1}: API ${fmt(api.ms, 0)} ms (peak RSS ${fmt(api.peakRssMb, 0)} MB), COPY baseline ${fmt(base, 0)} ms`,
    result(api, base) {
      const s = {
        api: stats(api.map((r) => r.ms)),
        baseline: stats(base),
        peakRssMb: stats(api.map((r) => r.peakRssMb)),
      };
      return {
        summary: s,
        rows: [
          ratioRow(`intake ${LINKS.toLocaleString('en')} links`, s.api, s.baseline, 'ms', 'goal ≤ 2.0×'),
          {
            label: '  API peak RSS during intake',
            text: `${fmt(s.peakRssMb.median, 0).padStart(9)} MB (${fmt(s.peakRssMb.min, 0)}–${fmt(s.peakRssMb.max, 0)})  goal ≤ 512 MB`,
          },
        ],
      };
    },
  };
}

/** The rows and their hashes are made before the clock starts; the clock covers the transaction and its COPYs. */
async function baselineIntake(ctx: BenchContext, urls: string[]): Promise<{ ms: number; ids: string[] }> {
  const at = new Date().toISOString();
  const links = linkRows(urls, ctx.mkIds, at);
  const chain = await prepareChain(
    ctx.pg,
    links.map((l) => ({
      at,
      actorRole: 'ministry',
      action: 'link.created',
      entityId: l.id,
      data: { batchId: l.batchId, url: l.url, listingKey: l.listingKey },
    })),
  );
  const t0 = now();
  await ctx.pg.query('BEGIN');
  await insertLinks(ctx.pg, 'bench_links', links);
  await appendChain(ctx.pg, chain);
  await ctx.pg.query('COMMIT');
  return { ms: now() - t0, ids: links.map((l) => l.id) };
}
