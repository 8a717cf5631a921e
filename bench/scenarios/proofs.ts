import { AUDIT_TARGET, batchBody, BenchContext, generateLinks, LINKS, PROOFS } from '../context';
import { baselineProofReads } from '../evidence';
import { fmt, now, pct, stats } from '../measure';
import { ratioRow, Scenario } from '../scenario';

const headSeq = async (ctx: BenchContext) =>
  Number((await ctx.pg.query('SELECT next_seq - 1 AS n FROM audit_head WHERE id = 1')).rows[0].n);

/** Grows the log to AUDIT_TARGET events through the API, then PROOFS inclusion proofs at exactly that tree size. */
export function proofsScenario(): Scenario<{ p50: number; p99: number }, number> {
  const treeSize = AUDIT_TARGET;
  const proofUrl = (seq: number) => `/v1/audit/proofs/inclusion?seq=${seq}&treeSize=${treeSize}`;
  let token = '';
  let integrateMs = 0;
  return {
    name: 'proofs',
    async setup(ctx) {
      let grown = 0;
      let t = await ctx.tokens();
      while ((await headSeq(ctx)) < AUDIT_TARGET) {
        if (grown++ % 5 === 0) t = await ctx.tokens();
        const fill = Math.min(LINKS, AUDIT_TARGET - (await headSeq(ctx)));
        const body = batchBody(`BENCH/fill/${grown}`, generateLinks(Math.max(fill - 1, 1), ctx.codes));
        await ctx.call(t.kemendag, 'POST', '/v1/link-batches', body);
      }
      console.log(`  audit log grown to ${await headSeq(ctx)} events; proofs at tree size ${treeSize}`);
      const police = Object.keys(ctx.creds).find((k) => k.startsWith('polri'))!;
      token = (await ctx.tokens())[police];
      const i0 = now();
      await ctx.call(token, 'GET', proofUrl(1)); // integrates the tree up to treeSize if the integrator lags
      integrateMs = now() - i0;
    },
    async run(ctx) {
      const times: number[] = [];
      for (let i = 0; i < PROOFS; i++) {
        const seq = 1 + Math.floor(Math.random() * treeSize);
        const q0 = now();
        const proof = await ctx.call(token, 'GET', proofUrl(seq));
        times.push(now() - q0);
        if (proof.leafIndex !== seq - 1) throw new Error('proof for another leaf');
      }
      return { p50: pct(times, 50), p99: pct(times, 99) };
    },
    baseline: async (ctx) => pct(await baselineProofReads(ctx.pg, treeSize, PROOFS), 99),
    describe: (run, api, base) =>
      `inclusion proofs run ${run + 1}: ${PROOFS} proofs, p50 ${fmt(api.p50)} ms, p99 ${fmt(api.p99)} ms; one indexed SELECT p99 ${fmt(base)} ms`,
    result(api, base) {
      const s = {
        treeSize,
        integrateMs,
        p50: stats(api.map((r) => r.p50)),
        p99: stats(api.map((r) => r.p99)),
        baselineP99: stats(base),
      };
      return {
        summary: s,
        rows: [
          ratioRow(`inclusion proof at ${treeSize} (p99)`, s.p99, s.baselineP99, 'ms', 'goal p99 ≤ 10 ms'),
        ],
      };
    },
  };
}
