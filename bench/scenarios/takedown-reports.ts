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
  /** The items' listings, for the batch of the same evidence beside it. */
  evidence: object[];
}

/** µs per link of the reports, and of the bare-URL batches beside them (the baseline's batches carry listings). */
interface ReportsRun {
  report: number;
  bare: number;
  drainMs: number;
}

/**
 * Marketplaces reporting their own takedowns: REPORTS reports of LINKS / REPORTS fresh URLs each (5,000 at the
 * default), round-robin over the marketplaces, every item with listing evidence, so each becomes a taken-down link
 * with a fingerprint, matched on arrival. The baseline is the intake's rate per link for the same rows: beside each
 * report a ministry batch of as many fresh links of the same marketplace, carrying the same listing evidence (a
 * report's item is a link with its listing; the intake takes a listing on each link too). A batch of bare URLs goes
 * beside them as well, shown for reference. The three alternate which goes first, so all meet the same database size,
 * the same matching going on and the machine's drift alike. (The 40,000-link intake, one request on a smaller database
 * earlier in the run, is shown too.)
 */
export function takedownReportsScenario(intake: IntakeOutput): Scenario<ReportsRun, number> {
  const gen = new ListingGenerator(new Random(1402));
  const perReport = Math.min(MAX_REPORT_ITEMS, Math.ceil(LINKS / REPORTS));
  const withEvidenceMicros: number[] = [];
  return {
    name: 'takedown-reports',
    async run(ctx, run) {
      const reports = prepareReports(ctx, gen, perReport);
      const withEvidence = reports.map((r, i) =>
        batchBody(`BENCH/reports/${run}/${i}/evidence`, generateLinks(perReport, [r.code]), r.evidence),
      );
      const bare = reports.map((r, i) =>
        batchBody(`BENCH/reports/${run}/${i}/bare`, generateLinks(perReport, [r.code])),
      );
      const t = await ctx.tokens();
      const ms = { report: 0, withEvidence: 0, bare: 0 };
      const timed = async (key: keyof typeof ms, call: () => Promise<void>) => {
        const t0 = now();
        await call();
        ms[key] += now() - t0;
      };
      const batch = (body: string) => async () => {
        const res = await ctx.call(t.kemendag, 'POST', '/v1/link-batches', body);
        if (res.counts.accepted !== perReport) throw new Error(`intake accepted ${res.counts.accepted}`);
      };
      for (const [i, r] of reports.entries()) {
        const sends = [
          () =>
            timed('report', async () => {
              const res = await ctx.call(t[r.code], 'POST', '/v1/takedown-reports', r.body);
              const refused = (res.results as { ok: boolean }[]).find((x) => !x.ok);
              if (refused)
                throw new Error(`takedown reports: an item was refused: ${JSON.stringify(refused)}`);
            }),
          () => timed('withEvidence', batch(withEvidence[i])),
          () => timed('bare', batch(bare[i])),
        ];
        // Rotated, so each of the three goes first, second and third as often.
        for (let k = 0; k < sends.length; k++) await sends[(i + k) % sends.length]();
      }
      const drainMs = await untilMatched(ctx);
      const perLink = (x: number) => (1000 * x) / (perReport * REPORTS);
      withEvidenceMicros[run] = perLink(ms.withEvidence);
      return { report: perLink(ms.report), bare: perLink(ms.bare), drainMs };
    },
    // Measured in run's loop, interleaved with the reports (see above).
    baseline: (_ctx, run) => Promise.resolve(withEvidenceMicros[run]),
    describe: (run, api, base) =>
      `takedown reports run ${run + 1}: ${REPORTS} × ${perReport} items, ${fmt(api.report, 1)} µs per link (all matched ${fmt(api.drainMs, 0)} ms after the last answer); batches of ${perReport} beside them ${fmt(base, 1)} µs per link with the same listing evidence, ${fmt(api.bare, 1)} µs as bare URLs${intake.apiMs.length > 0 ? `; the 40,000-link intake ${fmt((1000 * intake.apiMs[run]) / LINKS, 1)} µs` : ''}`,
    result(api, base) {
      const s = {
        apiMicrosPerLink: stats(api.map((r) => r.report)),
        intakeMicrosPerLink: stats(base),
        bareIntakeMicrosPerLink: stats(api.map((r) => r.bare)),
        bigIntakeMicrosPerLink: stats(intake.apiMs.map((ms) => (1000 * ms) / LINKS)),
        reports: REPORTS,
        perReport,
        drainMs: stats(api.map((r) => r.drainMs)),
      };
      const bareRatios = stats(api.map((r) => r.report / r.bare));
      return {
        summary: s,
        rows: [
          ratioRow(
            `takedown reports ${REPORTS} × ${perReport.toLocaleString('en')}`,
            s.apiMicrosPerLink,
            s.intakeMicrosPerLink,
            'µs/link',
            `goal ≤ 1.0–1.2× (baseline: batches of ${perReport.toLocaleString('en')} with the same listings beside them)`,
          ),
          {
            label: '  … beside bare-URL batches',
            text: `${fmt(s.bareIntakeMicrosPerLink.median, 1).padStart(9)} µs/link (${fmt(s.bareIntakeMicrosPerLink.min, 1)}–${fmt(s.bareIntakeMicrosPerLink.max, 1)})  reports ${fmt(bareRatios.median, 2)}× these (no listing to store, audit or validate)`,
          },
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
    return { code, body: JSON.stringify({ items }), evidence: items.map((x) => x.listing) };
  });
}
