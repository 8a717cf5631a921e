/**
 * npm run bench — the API against raw PostgreSQL, measured in the same run on a fresh database.
 * Scenarios (bench/scenarios/): intake of 40,000 links, 40 × 1,000 acknowledgements, the same with listing evidence
 * (matching on arrival), marketplaces' takedown reports, polling, single acknowledgements under load, the evidence
 * export of a 40,000-link case, inclusion proofs and full verification at 1,000,000 audit events, and screening
 * against 1,000,000 taken-down fingerprints (last: its seed would weigh on everything after it). Each prints the
 * median of BENCH_RUNS runs (default 3), min–max, and the ratio to its baseline. BENCH_LINKS, BENCH_AUDIT_EVENTS and
 * BENCH_FINGERPRINTS shrink the cases for a quick run; BENCH_ONLY=intake,takedown-reports runs only the scenarios named
 * (acknowledgements and takedown-reports use intake's output, so name it with them).
 * DATABASE_URL: use that server (a fresh database is created on it); unset: an embedded PostgreSQL in a temp folder.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { withScratchDatabase } from '../test/support/tooling';
import { createBaselineTables } from './baseline-tables';
import { BenchContext, closeBench, openBench, RUNS } from './context';
import { ResultRow, printReport, runScenario } from './scenario';
import { acknowledgementsScenario } from './scenarios/acknowledgements';
import { arrivalScenario } from './scenarios/arrival';
import { observationsScenario } from './scenarios/observations';
import { exportScenario } from './scenarios/export';
import { intakeScenario, IntakeOutput } from './scenarios/intake';
import { loadScenario } from './scenarios/load';
import { pollingScenario } from './scenarios/polling';
import { proofsScenario } from './scenarios/proofs';
import { screeningScenario } from './scenarios/screening';
import { takedownReportsScenario } from './scenarios/takedown-reports';
import { verifyScenario } from './scenarios/verify';

const ROOT = path.resolve(__dirname, '..');
/** The report lists the scenarios in this order, whatever order they run in. */
const REPORT_ORDER = [
  'intake',
  'acknowledgements',
  'arrival',
  'observations',
  'takedown-reports',
  'load',
  'polling',
  'export',
  'proofs',
  'verify',
  'screening',
];

async function bench(ctx: BenchContext): Promise<void> {
  console.log(`bench: ${ctx.machine}; PostgreSQL ${ctx.postgres}; ${RUNS} runs per scenario`);
  await createBaselineTables(ctx.pg);
  const intake: IntakeOutput = { batches: [], baselineIds: [], apiMs: [] };
  const only = process.env.BENCH_ONLY?.split(',');
  const scenarios = [
    intakeScenario(intake),
    acknowledgementsScenario(intake),
    arrivalScenario(),
    observationsScenario(),
    takedownReportsScenario(intake),
    pollingScenario(),
    loadScenario(),
    exportScenario(),
    proofsScenario(),
    verifyScenario(),
    screeningScenario(),
  ].filter((s) => !only || only.includes(s.name));
  const rows = new Map<string, ResultRow[]>();
  const summaries: Record<string, unknown> = {};
  for (const s of scenarios) {
    // Each scenario names its own sample types; the driver only passes them between its methods.
    const result = await runScenario(ctx, s as Parameters<typeof runScenario>[1]);
    rows.set(s.name, result.rows);
    summaries[s.name] = result.summary;
  }
  const { auditVerified, auditEvents, ...verify } = (summaries.verify ?? {}) as {
    auditVerified?: boolean;
    auditEvents?: number;
  };
  printReport(
    REPORT_ORDER.flatMap((name) => rows.get(name) ?? []),
    auditVerified === undefined
      ? 'audit chain: not verified in this run (BENCH_ONLY)'
      : `audit chain after the bench: ${auditVerified ? 'verified' : 'BROKEN'} (${auditEvents} events)`,
  );
  const results = {
    machine: ctx.machine,
    node: process.version,
    runs: RUNS,
    postgres: ctx.postgres,
    scenarios: { ...summaries, verify, auditVerified, auditEvents },
  };
  const outDir = path.join(ROOT, 'bench', 'results');
  if (!existsSync(outDir)) mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, 'latest.json'), JSON.stringify(results, null, 2));
  // The figures are kept either way; a screening that answered otherwise than the brute force fails the bench.
  if ((summaries.screening as { equal?: boolean } | undefined)?.equal === false) {
    console.error('\nFAILED: the screening matches differ from the brute force (see above)');
    process.exitCode = 1;
  }
}

async function main(): Promise<void> {
  // BENCH_KEEP_DATABASE=true leaves the database for a closer look (with DATABASE_URL only).
  await withScratchDatabase(
    'bench',
    async (db) => {
      let ctx: BenchContext | undefined;
      try {
        ctx = await openBench(db.url, db.tmp);
        await bench(ctx);
      } finally {
        await closeBench(ctx);
      }
    },
    { keep: process.env.BENCH_KEEP_DATABASE === 'true' },
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
