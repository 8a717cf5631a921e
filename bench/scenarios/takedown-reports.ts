import { BenchContext, generateLinks, LINKS, untilMatched } from '../context';
import { ListingGenerator, listings, Random } from '../listings';
import { fmt, now, stats } from '../measure';
import { ratioRow, Scenario } from '../scenario';
import { IntakeOutput } from './intake';

const REPORTS = 8;
const MAX_REPORT_ITEMS = 5000;

interface Report {
  code: string;
  body: string;
}

/**
 * Marketplaces reporting their own takedowns: REPORTS reports of LINKS / REPORTS fresh URLs each (5,000 at the
 * default), round-robin over the marketplaces, every item with listing evidence, so each becomes a taken-down link
 * with a fingerprint, matched on arrival. Measured per link against the intake scenario's API time per link in the
 * same run (both write a link and its audit event per item; a report also keeps and matches a fingerprint).
 */
export function takedownReportsScenario(intake: IntakeOutput): Scenario<number, number> {
  const gen = new ListingGenerator(new Random(1402));
  const drainMs: number[] = [];
  const perReport = Math.min(MAX_REPORT_ITEMS, Math.ceil(LINKS / REPORTS));
  return {
    name: 'takedown-reports',
    async run(ctx, run) {
      const reports = prepareReports(ctx, gen, perReport);
      const t = await ctx.tokens();
      const t0 = now();
      for (const r of reports) {
        const res = await ctx.call(t[r.code], 'POST', '/v1/takedown-reports', r.body);
        const refused = (res.results as { ok: boolean }[]).find((x) => !x.ok);
        if (refused) throw new Error(`takedown reports: an item was refused: ${JSON.stringify(refused)}`);
      }
      const ms = now() - t0;
      drainMs[run] = await untilMatched(ctx);
      return (1000 * ms) / (perReport * REPORTS);
    },
    baseline: (_ctx, run) => Promise.resolve((1000 * intake.apiMs[run]) / LINKS),
    describe: (run, api, base) =>
      `takedown reports run ${run + 1}: ${REPORTS} × ${perReport} items, ${fmt(api, 1)} µs per link (all matched ${fmt(drainMs[run], 0)} ms after the last answer); the intake's ${fmt(base, 1)} µs per link`,
    result(api, base) {
      const s = {
        apiMicrosPerLink: stats(api),
        intakeMicrosPerLink: stats(base),
        reports: REPORTS,
        perReport,
        drainMs: stats(drainMs),
      };
      return {
        summary: s,
        rows: [
          ratioRow(
            `takedown reports ${REPORTS} × ${perReport.toLocaleString('en')}`,
            s.apiMicrosPerLink,
            s.intakeMicrosPerLink,
            'µs/link',
            'goal ≤ 1.0–1.2× (baseline: intake per link)',
          ),
          {
            label: '  … all matched after the last',
            text: `${fmt(s.drainMs.median, 0).padStart(9)} ms (${fmt(s.drainMs.min, 0)}–${fmt(s.drainMs.max, 0)})  matching runs after each commit`,
          },
        ],
      };
    },
  };
}

/** Bodies serialised before the clock starts: each report on one marketplace's own domain, taken down an hour ago. */
function prepareReports(ctx: BenchContext, gen: ListingGenerator, perReport: number): Report[] {
  const takenDownAt = new Date(Date.now() - 3_600_000).toISOString();
  const evidence = listings(gen, perReport * REPORTS, perReport);
  return Array.from({ length: REPORTS }, (_, r) => {
    const code = ctx.codes[r % ctx.codes.length];
    const items = generateLinks(perReport, [code]).map((url, i) => ({
      url,
      takenDownAt,
      reason: 'used clothing import',
      category: 'used-clothing',
      listing: evidence[r * perReport + i],
    }));
    return { code, body: JSON.stringify({ items }) };
  });
}
