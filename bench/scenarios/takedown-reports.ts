import { batchBody, BenchContext, generateLinks, LINKS, untilMatched } from '../context';
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
 * with a fingerprint, matched on arrival. The baseline is the intake's rate per link in the same loop: a ministry batch
 * of as many fresh links of the same marketplace is sent beside each report, which of the two first alternating, so
 * both meet the same database size, the same matching going on and the machine's drift alike. (The 40,000-link
 * intake, one request on a smaller database earlier in the run, is shown beside it for reference.)
 */
export function takedownReportsScenario(intake: IntakeOutput): Scenario<number, number> {
  const gen = new ListingGenerator(new Random(1402));
  const drainMs: number[] = [];
  const intakeMicros: number[] = [];
  const perReport = Math.min(MAX_REPORT_ITEMS, Math.ceil(LINKS / REPORTS));
  return {
    name: 'takedown-reports',
    async run(ctx, run) {
      const reports = prepareReports(ctx, gen, perReport);
      const batches = reports.map((r, i) =>
        batchBody(`BENCH/reports/${run}/${i}`, generateLinks(perReport, [r.code])),
      );
      const t = await ctx.tokens();
      let reportMs = 0;
      let batchMs = 0;
      for (const [i, r] of reports.entries()) {
        const report = async () => {
          const t0 = now();
          const res = await ctx.call(t[r.code], 'POST', '/v1/takedown-reports', r.body);
          reportMs += now() - t0;
          const refused = (res.results as { ok: boolean }[]).find((x) => !x.ok);
          if (refused) throw new Error(`takedown reports: an item was refused: ${JSON.stringify(refused)}`);
        };
        const batch = async () => {
          const t0 = now();
          const res = await ctx.call(t.kemendag, 'POST', '/v1/link-batches', batches[i]);
          batchMs += now() - t0;
          if (res.counts.accepted !== perReport) throw new Error(`intake accepted ${res.counts.accepted}`);
        };
        for (const send of i % 2 === 0 ? [report, batch] : [batch, report]) await send();
      }
      drainMs[run] = await untilMatched(ctx);
      intakeMicros[run] = (1000 * batchMs) / (perReport * REPORTS);
      return (1000 * reportMs) / (perReport * REPORTS);
    },
    // Measured in run's loop, interleaved with the reports (see above).
    baseline: (_ctx, run) => Promise.resolve(intakeMicros[run]),
    describe: (run, api, base) =>
      `takedown reports run ${run + 1}: ${REPORTS} × ${perReport} items, ${fmt(api, 1)} µs per link (all matched ${fmt(drainMs[run], 0)} ms after the last answer); batches of ${perReport} beside them ${fmt(base, 1)} µs per link${intake.apiMs.length > 0 ? `; the 40,000-link intake ${fmt((1000 * intake.apiMs[run]) / LINKS, 1)} µs` : ''}`,
    result(api, base) {
      const s = {
        apiMicrosPerLink: stats(api),
        intakeMicrosPerLink: stats(base),
        bigIntakeMicrosPerLink: stats(intake.apiMs.map((ms) => (1000 * ms) / LINKS)),
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
            `goal ≤ 1.0–1.2× (baseline: batches of ${perReport.toLocaleString('en')} beside them)`,
          ),
          // Only when the intake scenario ran (BENCH_ONLY may leave it out).
          ...(intake.apiMs.length > 0
            ? [
                {
                  label: '  … the 40,000-link intake',
                  text: `${fmt(s.bigIntakeMicrosPerLink.median, 1).padStart(9)} µs/link (${fmt(s.bigIntakeMicrosPerLink.min, 1)}–${fmt(s.bigIntakeMicrosPerLink.max, 1)})  one request, earlier in the run`,
                },
              ]
            : []),
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
