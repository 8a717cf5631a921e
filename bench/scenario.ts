import { BenchContext, RUNS } from './context';
import { fmt, Stats } from './measure';

/** One line of the report table: a label padded to the first column, and what follows it. */
export interface ResultRow {
  label: string;
  text: string;
}

/**
 * One bench scenario: `run` measures the API, `baseline` raw PostgreSQL doing the same work, both RUNS times;
 * `describe` prints one run, `result` turns every run's samples into the report's rows and latest.json's entry.
 */
export interface Scenario<A, B> {
  name: string;
  setup?(ctx: BenchContext): Promise<void>;
  run(ctx: BenchContext, run: number): Promise<A>;
  baseline(ctx: BenchContext, run: number): Promise<B>;
  describe(run: number, api: A, baseline: B): string;
  teardown?(ctx: BenchContext): Promise<void>;
  result(api: A[], baseline: B[]): { rows: ResultRow[]; summary: unknown };
}

export async function runScenario<A, B>(
  ctx: BenchContext,
  s: Scenario<A, B>,
): Promise<{ rows: ResultRow[]; summary: unknown }> {
  await s.setup?.(ctx);
  const api: A[] = [];
  const base: B[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      api.push(await s.run(ctx, run));
      base.push(await s.baseline(ctx, run));
      console.log(`  ${s.describe(run, api[run], base[run])}`);
    }
  } finally {
    await s.teardown?.(ctx);
  }
  return s.result(api, base);
}

/** A row with the API's and the baseline's median (min–max), their ratio and the goal. */
export function ratioRow(name: string, a: Stats, b: Stats, unit: string, goal: string): ResultRow {
  return {
    label: name,
    text: `${fmt(a.median, 1).padStart(9)} ${unit} (${fmt(a.min, 1)}–${fmt(a.max, 1)})  baseline ${fmt(b.median, 1).padStart(8)} ${unit} (${fmt(b.min, 1)}–${fmt(b.max, 1)})  ratio ${fmt(a.median / b.median)}×  ${goal}`,
  };
}

export function printReport(rows: ResultRow[], footer: string): void {
  console.log(
    '\nscenario                            median (min–max)                baseline (min–max)              ratio',
  );
  for (const r of rows) console.log(`${r.label.padEnd(34)} ${r.text}`);
  console.log(footer);
}
