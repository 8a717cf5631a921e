import { appendChain, prepareChain, PreparedChain } from '../baseline-tables';
import { BenchContext, LINKS } from '../context';
import { fmt, now, stats } from '../measure';
import { ratioRow, Scenario } from '../scenario';
import { IntakeOutput } from './intake';

/** Each intake run's links acknowledged 1,000 at a time; baseline: UPDATE … FROM unnest and a COPY per 1,000. */
export function acknowledgementsScenario(intake: IntakeOutput): Scenario<number, number> {
  return {
    name: 'acknowledgements',
    async run(ctx, run) {
      const rows = (
        await ctx.pg.query<{ id: string; marketplace_id: string }>(
          'SELECT id, marketplace_id FROM links WHERE batch_id = $1 ORDER BY id',
          [intake.batches[run]],
        )
      ).rows;
      const perMarket = new Map<string, string[]>();
      for (const r of rows)
        perMarket.set(r.marketplace_id, [...(perMarket.get(r.marketplace_id) ?? []), r.id]);
      const t = await ctx.tokens();
      const t0 = now();
      for (const [mk, ids] of perMarket) {
        for (let i = 0; i < ids.length; i += 1000) {
          const items = ids.slice(i, i + 1000).map((linkId) => ({ linkId, status: 'taken_down' }));
          const res = await ctx.call(
            t[ctx.byId.get(mk)!],
            'POST',
            '/v1/links/acknowledgements',
            JSON.stringify({ items }),
          );
          if (res.results.some((r: { ok: boolean }) => !r.ok))
            throw new Error('an acknowledgement was refused');
        }
      }
      return now() - t0;
    },
    baseline: (ctx, run) => baselineAcks(ctx, intake.baselineIds[run]),
    describe: (run, api, base) =>
      `acknowledgements run ${run + 1}: API ${fmt(api, 0)} ms, UPDATE+COPY baseline ${fmt(base, 0)} ms`,
    result(api, base) {
      const s = { api: stats(api), baseline: stats(base) };
      const name = `acknowledgements ${Math.ceil(LINKS / 1000)} × 1,000`;
      return { summary: s, rows: [ratioRow(name, s.api, s.baseline, 'ms', 'goal ≤ 2.0×')] };
    },
  };
}

/** Every chunk's audit rows are chained before the clock starts; the clock covers one transaction per chunk. */
async function baselineAcks(ctx: BenchContext, ids: string[]): Promise<number> {
  const at = new Date().toISOString();
  const chunks: { ids: string[]; chain: PreparedChain }[] = [];
  let from: PreparedChain['to'] | undefined;
  for (let i = 0; i < ids.length; i += 1000) {
    const chunk = ids.slice(i, i + 1000);
    const events = chunk.map((id) => ({
      at,
      actorRole: 'marketplace',
      action: 'link.taken_down',
      entityId: id,
      data: { from: 'pending', status: 'taken_down' },
    }));
    const chain = await prepareChain(ctx.pg, events, from);
    chunks.push({ ids: chunk, chain });
    from = chain.to;
  }
  const t0 = now();
  for (const { ids: chunk, chain } of chunks) {
    await ctx.pg.query('BEGIN');
    await ctx.pg.query(
      `UPDATE bench_links l SET status = 'taken_down', resolved_at = $2, updated_at = $2 FROM unnest($1::uuid[]) AS u(id) WHERE l.id = u.id`,
      [chunk, at],
    );
    await appendChain(ctx.pg, chain);
    await ctx.pg.query('COMMIT');
  }
  return now() - t0;
}
