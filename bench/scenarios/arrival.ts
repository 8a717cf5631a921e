import { batchBody, BenchContext, generateLinks, LINKS, untilMatched } from '../context';
import { ListingGenerator, listings, Random } from '../listings';
import { fmt, now, stats } from '../measure';
import { ratioRow, Scenario } from '../scenario';

export const PER_REQUEST = 1000;

/** One acknowledgement request, serialised before the clock starts, and the marketplace that sends it. */
export interface AckRequest {
  code: string;
  body: string;
}

interface ArrivalRun {
  ms: number;
  /** From the last acknowledgement's answer until matching (after commit) had done every job. */
  drainMs: number;
  /** Links of the with-evidence batch that matching tied to an earlier taken-down link. */
  signalled: number;
}

/**
 * Matching on arrival: LINKS fresh links acknowledged taken_down 1,000 at a time with listing evidence (title, seller,
 * one phash; one in 100 relists an earlier request's listing), against the same acknowledgements of a twin batch
 * without it. The two are sent alternately, request by request, so the machine's drift falls on both alike: the
 * baseline is the without-evidence half of the same loop.
 */
export function arrivalScenario(): Scenario<ArrivalRun, number> {
  const gen = new ListingGenerator(new Random(1401));
  const withoutMs: number[] = [];
  return {
    name: 'arrival',
    async run(ctx, run) {
      const withBatch = await submitBatch(ctx, `BENCH/arrival/${run}/with`);
      const withoutBatch = await submitBatch(ctx, `BENCH/arrival/${run}/without`);
      const evidence = listings(gen, LINKS, PER_REQUEST);
      const withEvidence = await ackRequests(ctx, withBatch, (i) => evidence[i]);
      const without = await ackRequests(ctx, withoutBatch, () => undefined);
      if (withEvidence.length !== without.length) throw new Error('arrival: the twin batches differ');
      const t = await ctx.tokens();
      let ms = 0;
      let baseMs = 0;
      for (let i = 0; i < withEvidence.length; i++) {
        // Which of the pair goes first alternates too.
        const first = i % 2 === 0 ? withEvidence[i] : without[i];
        const second = i % 2 === 0 ? without[i] : withEvidence[i];
        const a = await send(ctx, t, first);
        const b = await send(ctx, t, second);
        ms += i % 2 === 0 ? a : b;
        baseMs += i % 2 === 0 ? b : a;
      }
      withoutMs[run] = baseMs;
      const drainMs = await untilMatched(ctx);
      const signalled = Number(
        (
          await ctx.pg.query(
            `SELECT count(DISTINCT s.link_id) AS n FROM relisting_signals s JOIN links l ON l.id = s.link_id
              WHERE l.batch_id = $1 AND s.signal <> 'keyword'`,
            [withBatch],
          )
        ).rows[0].n,
      );
      return { ms, drainMs, signalled };
    },
    // Measured in run's loop, interleaved with the API's requests (see above).
    baseline: (_ctx, run) => Promise.resolve(withoutMs[run]),
    describe: (run, api, base) =>
      `arrival run ${run + 1}: with listing evidence ${fmt(api.ms, 0)} ms (${api.signalled} links matched an earlier one, all matched ${fmt(api.drainMs, 0)} ms after the last answer), without ${fmt(base, 0)} ms`,
    result(api, base) {
      const s = {
        api: stats(api.map((r) => r.ms)),
        baseline: stats(base),
        signalled: api.map((r) => r.signalled),
        drainMs: stats(api.map((r) => r.drainMs)),
        // The halves are paired request by request, so each run's own ratio is the measure: the ratio of the two
        // medians can take them from different runs, and the machine drifts 2–3× between runs.
        perRun: stats(api.map((r, i) => r.ms / base[i])),
      };
      const name = `acks ${Math.ceil(LINKS / PER_REQUEST)} × 1,000 with evidence`;
      return {
        summary: s,
        rows: [
          ratioRow(name, s.api, s.baseline, 'ms', '(ratio of the medians)'),
          {
            label: '  … per run (paired)',
            text: `${fmt(s.perRun.median).padStart(9)}× median of ${api.map((r, i) => fmt(r.ms / base[i])).join(', ')}  goal ≤ 1.2× (baseline: without evidence)`,
          },
          {
            label: '  … all matched after the last',
            text: `${fmt(s.drainMs.median, 0).padStart(9)} ms (${fmt(s.drainMs.min, 0)}–${fmt(s.drainMs.max, 0)})  matching runs after each commit`,
          },
        ],
      };
    },
  };
}

export async function submitBatch(ctx: BenchContext, reference: string): Promise<string> {
  const body = batchBody(reference, generateLinks(LINKS, ctx.codes));
  const res = await ctx.call((await ctx.tokens()).kemendag, 'POST', '/v1/link-batches', body);
  if (res.counts.accepted !== LINKS) throw new Error(`arrival: intake accepted ${res.counts.accepted}`);
  return res.id as string;
}

/** The batch's links per marketplace, 1,000 to a request, each item with `listing(i)` (i counts over the batch). */
export async function ackRequests(
  ctx: BenchContext,
  batchId: string,
  listing: (i: number) => object | undefined,
): Promise<AckRequest[]> {
  const rows = (
    await ctx.pg.query<{ id: string; marketplace_id: string }>(
      'SELECT id, marketplace_id FROM links WHERE batch_id = $1 ORDER BY marketplace_id, id',
      [batchId],
    )
  ).rows;
  const out: AckRequest[] = [];
  let n = 0;
  for (const mk of ctx.mkIds) {
    const ids = rows.filter((r) => r.marketplace_id === mk).map((r) => r.id);
    for (let i = 0; i < ids.length; i += PER_REQUEST) {
      const items = ids.slice(i, i + PER_REQUEST).map((linkId) => {
        const evidence = listing(n++);
        return { linkId, status: 'taken_down', ...(evidence ? { listing: evidence } : {}) };
      });
      out.push({ code: ctx.byId.get(mk)!, body: JSON.stringify({ items }) });
    }
  }
  return out;
}

export async function send(
  ctx: BenchContext,
  t: Record<string, string>,
  r: AckRequest,
  path = '/v1/links/acknowledgements',
): Promise<number> {
  const t0 = now();
  const res = await ctx.call(t[r.code], 'POST', path, r.body);
  const ms = now() - t0;
  const refused = (res.results as { ok: boolean; error?: string }[]).find((x) => !x.ok);
  if (refused) throw new Error(`arrival: an item of ${path} was refused: ${JSON.stringify(refused)}`);
  return ms;
}
