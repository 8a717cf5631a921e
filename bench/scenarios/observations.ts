import { BenchContext, LINKS, untilMatched } from '../context';
import { ListingGenerator, listings, Random, vocabulary } from '../listings';
import { fmt, stats } from '../measure';
import { ratioRow, Scenario } from '../scenario';
import { AckRequest, ackRequests, PER_REQUEST, send, submitBatch } from './arrival';

/** Watchlist terms active during the scenario: words of the titles' vocabulary, so titles hit them. */
const TERMS = 20;

interface ObservationRun {
  ms: number;
  ackMs: number;
  hits: number;
}

/**
 * Observations with their hits: LINKS taken-down links observed online 1,000 at a time with listing evidence (matched
 * as a reappearance, and counted against a watchlist of TERMS words), against acknowledgements with listing evidence
 * of a twin batch, the acknowledgement bench's figure. The two alternate request by request, as in `arrival`.
 */
export function observationsScenario(): Scenario<ObservationRun, number> {
  const gen = new ListingGenerator(new Random(1501));
  const ackMs: number[] = [];
  return {
    name: 'observations',
    async run(ctx, run) {
      await watchlist(ctx);
      const observedBatch = await submitBatch(ctx, `BENCH/observations/${run}/observed`);
      const ackedBatch = await submitBatch(ctx, `BENCH/observations/${run}/acked`);
      const evidence = listings(gen, LINKS, PER_REQUEST);
      const t = await ctx.tokens();
      // Not timed: the observed batch is taken down first.
      for (const r of await ackRequests(ctx, observedBatch, (i) => evidence[i])) await send(ctx, t, r);
      const seen = listings(gen, LINKS, PER_REQUEST);
      const observations = (await ackRequests(ctx, observedBatch, (i) => seen[i])).map(asObservations);
      // The twin's listings are others: matching would otherwise tie every observed link to its twin.
      const others = listings(gen, LINKS, PER_REQUEST);
      const acks = await ackRequests(ctx, ackedBatch, (i) => others[i]);
      const before = await hitCount(ctx);
      let ms = 0;
      let baseMs = 0;
      for (let i = 0; i < acks.length; i++) {
        if (i % 2 === 0) {
          ms += await send(ctx, t, observations[i], '/v1/observations');
          baseMs += await send(ctx, t, acks[i]);
        } else {
          baseMs += await send(ctx, t, acks[i]);
          ms += await send(ctx, t, observations[i], '/v1/observations');
        }
      }
      ackMs[run] = baseMs;
      await untilMatched(ctx);
      return { ms, ackMs: baseMs, hits: (await hitCount(ctx)) - before };
    },
    baseline: (_ctx, run) => Promise.resolve(ackMs[run]),
    describe: (run, api, base) =>
      `observations run ${run + 1}: ${fmt(api.ms, 0)} ms for ${LINKS} observations with listing evidence (${api.hits} watchlist hits), acknowledgements with evidence ${fmt(base, 0)} ms`,
    result(api, base) {
      const s = {
        api: stats(api.map((r) => r.ms)),
        baseline: stats(base),
        perRun: stats(api.map((r, i) => r.ms / base[i])),
        hits: api.map((r) => r.hits),
      };
      return {
        summary: s,
        rows: [
          ratioRow(
            `observations ${Math.ceil(LINKS / PER_REQUEST)} × 1,000`,
            s.api,
            s.baseline,
            'ms',
            '(ratio of the medians)',
          ),
          {
            label: '  … per run (paired)',
            text: `${fmt(s.perRun.median).padStart(9)}× median of ${api.map((r, i) => fmt(r.ms / base[i])).join(', ')}  goal ≤ 1.2× (baseline: acks with evidence)`,
          },
        ],
      };
    },
  };
}

/** An acknowledgement request's links, observed online with the listing as seen now. */
function asObservations(r: AckRequest): AckRequest {
  const { items } = JSON.parse(r.body) as { items: { linkId: string; listing: object }[] };
  const observedAt = new Date().toISOString();
  return {
    code: r.code,
    body: JSON.stringify({
      items: items.map((x) => ({ linkId: x.linkId, observedAt, result: 'online', listing: x.listing })),
    }),
  };
}

async function watchlist(ctx: BenchContext): Promise<void> {
  const t = await ctx.tokens();
  const words = vocabulary().slice(0, TERMS * 5);
  for (let i = 0; i < TERMS; i++) {
    const term = words[i * 5];
    // A term already there from an earlier run answers 409: it stays as it is.
    await ctx
      .call(t.kemendag, 'POST', '/v1/keywords', JSON.stringify({ term, variants: [`${term}x`] }))
      .catch(() => undefined);
  }
}

async function hitCount(ctx: BenchContext): Promise<number> {
  return Number((await ctx.pg.query('SELECT count(*)::int AS n FROM keyword_hits')).rows[0].n);
}
