/**
 * npm run eval:matching: builds a labelled set (generated garment photos and their evasions, Indonesian used-clothing
 * titles and their 2023 rewrites, seller names) and prints, as Markdown, the true- and false-match rate of each
 * signal over a sweep of thresholds, and the thresholds the rule below picks. Deterministic; no network. Title
 * similarity is PostgreSQL's (pg_trgm on unaccent), in a scratch database on DATABASE_URL's server or the embedded one.
 * EVAL_SAMPLES=<dir> also writes one base photo and its variants there, to look at.
 */
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { Client } from 'pg';
import { DEFAULT_THRESHOLDS } from '../src/matching/thresholds';
import { containsPhrase, normaliseSellerName, titleTokens } from '../src/matching/title-normalisation';
import { adminQuery, databaseServer, withDatabase } from './db-server';
import { imagePairs, writeSamples } from './eval/images';
import { Pair, percent, rates, table } from './eval/rates';
import { sellerPairs, titlePairs, titleSet, TitleSet } from './eval/titles';

const SEED = 2023;
const IMAGE_BASES = 80;
const TITLE_BASES = 64;
const WATCHLIST = ['bekas', 'bal', 'preloved', 'karung', 'pre-optimized'];
/** Images: ≤ 10 false matches per screened image against 1,000,000 fingerprints. */
const IMAGE_MAX_FPR = 0.00001;
/** Titles: a signal for a person to weigh (see docs/matching.md), measured on near-twin negatives. */
const TITLE_MAX_FPR = 0.01;

/**
 * The pick: the highest true-match rate whose false-match rate per pair stays within `maxFpr` (ties: the fewer false
 * pairs). Per pair, because screening compares each item with every fingerprint: at 1,000,000 taken-down listings a
 * per-pair rate of 10⁻⁵ is already 10 false matches per screened image.
 */
function choose(
  thresholds: number[],
  pairs: Pair[],
  matches: (t: number) => (v: number) => boolean,
  maxFpr: number,
): number {
  let best = { t: thresholds[0], tpr: -1, fpr: 1 };
  for (const t of thresholds) {
    const r = rates(pairs, matches(t));
    if (r.fpr <= maxFpr && (r.tpr > best.tpr || (r.tpr === best.tpr && r.fpr < best.fpr))) best = { t, ...r };
  }
  return best.t;
}

function sweep(
  name: string,
  thresholds: number[],
  pairs: Pair[],
  matches: (t: number) => (v: number) => boolean,
  show: (t: number) => string,
): string {
  const rows = thresholds.map((t) => {
    const r = rates(pairs, matches(t));
    return [
      show(t),
      ...Object.values(r.byKind).map((x) => percent(x, 0)),
      percent(r.tpr),
      percent(r.fpr, 3),
      r.falsePairs,
    ];
  });
  const kinds = Object.keys(rates(pairs, () => true).byKind);
  return table([name, ...kinds, 'TPR', 'FPR', 'false pairs'], rows);
}

async function titleSimilarities(
  set: TitleSet,
  i: number[],
  j: number[],
): Promise<{ norm: number[]; raw: number[] }> {
  const server = await databaseServer();
  const scratch = `eval_${randomBytes(5).toString('hex')}`;
  await adminQuery(server.url, `CREATE DATABASE ${scratch}`);
  const client = new Client({ connectionString: withDatabase(server.url, scratch) });
  try {
    await client.connect();
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_trgm; CREATE EXTENSION IF NOT EXISTS unaccent');
    const normalised = set.titles.map((t) => titleTokens(t).join(' '));
    const { rows } = await client.query<{ norm: number; raw: number }>(
      `WITH t AS (SELECT k::int AS k, unaccent(n) AS n, lower(r) AS r FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS u(n, r, k))
       SELECT similarity(a.n, b.n) AS norm, similarity(a.r, b.r) AS raw
       FROM unnest($3::int[], $4::int[]) WITH ORDINALITY AS p(i, j, o) JOIN t a ON a.k = p.i JOIN t b ON b.k = p.j
       ORDER BY p.o`,
      [normalised, set.titles, i.map((x) => x + 1), j.map((x) => x + 1)],
    );
    return { norm: rows.map((r) => Number(r.norm)), raw: rows.map((r) => Number(r.raw)) };
  } finally {
    await client.end();
    await adminQuery(server.url, `DROP DATABASE IF EXISTS ${scratch}`);
    await server.stop();
  }
}

/** Whether a watchlist term is in the title: as matching does (normalised tokens) or naively (lower-case words). */
function keywordPairs(set: TitleSet, normalised: boolean): Pair[] {
  const words = (t: string) => (normalised ? titleTokens(t) : t.toLowerCase().split(/[^\p{L}\p{N}]+/u));
  const terms = WATCHLIST.map((w) => (normalised ? titleTokens(w) : w.split(' ')));
  return set.titles.map((t, k) => ({
    kind: set.usedClothing[k] ? (set.kind[k] ?? 'base title') : null,
    value:
      terms.some((p) => containsPhrase(words(t), p)) ||
      (!normalised && terms.some((p) => words(t).includes(p.join(''))))
        ? 1
        : 0,
  }));
}

async function main(): Promise<void> {
  if (process.env.EVAL_SAMPLES) await writeSamples(process.env.EVAL_SAMPLES, SEED);
  const out: string[] = [];
  const say = (s = '') => out.push(s);
  say(
    `# Matching evaluation (seed ${SEED}, ${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpus()[0]?.model.trim()})`,
  );

  const images = await imagePairs(IMAGE_BASES, SEED);
  const phashT = Array.from({ length: 13 }, (_, k) => k + 4);
  const atMost = (t: number) => (d: number) => d <= t;
  const positives = images.filter((p) => p.kind !== null).length;
  say(
    `\n## Image: phash Hamming distance ≤ t (${IMAGE_BASES} bases, ${positives} positive pairs, ${images.length - positives} negative)\n`,
  );
  say(sweep('t', phashT, images, atMost, String));
  const chosenPhash = choose(
    phashT.filter((t) => t >= 6),
    images,
    atMost,
    IMAGE_MAX_FPR,
  );
  say(
    `\nChosen (highest TPR with FPR ≤ ${percent(IMAGE_MAX_FPR, 3)}): **${chosenPhash}** (default now ${DEFAULT_THRESHOLDS.phashDistance}).`,
  );
  say(
    `PDQ: not measured, since no npm package computes PDQ; Meta's ${DEFAULT_THRESHOLDS.pdqDistance} is kept (docs/matching.md).`,
  );

  const set = titleSet(TITLE_BASES, SEED);
  const pairs = titlePairs(set);
  const sims = await titleSimilarities(set, pairs.i, pairs.j);
  const simT = Array.from({ length: 11 }, (_, k) => Math.round((0.3 + k * 0.05) * 100) / 100);
  const atLeast = (t: number) => (s: number) => s >= t;
  const titlePairsOf = (values: number[]): Pair[] =>
    values.map((value, k) => ({ kind: pairs.kind[k], value }));
  const norm = titlePairsOf(sims.norm);
  const tp = norm.filter((p) => p.kind !== null).length;
  say(
    `\n## Title: similarity(unaccent(normalised a), unaccent(normalised b)) ≥ t (${TITLE_BASES} bases, ${tp} positive pairs, ${norm.length - tp} negative)\n`,
  );
  say(sweep('t', simT, norm, atLeast, (t) => t.toFixed(2)));
  const chosenTitle = choose(simT, norm, atLeast, TITLE_MAX_FPR);
  say(
    `\nChosen (highest TPR with FPR ≤ ${percent(TITLE_MAX_FPR)}): **${chosenTitle.toFixed(2)}** (default now ${DEFAULT_THRESHOLDS.titleSimilarityPercent / 100}).`,
  );
  say('\n### Without normalisation: similarity(lower(a), lower(b))\n');
  say(sweep('t', simT, titlePairsOf(sims.raw), atLeast, (t) => t.toFixed(2)));

  say('\n## Seller: normaliseSellerName(a) = normaliseSellerName(b)\n');
  const sellerRow = (name: string, f: (s: string) => string) => {
    const r = rates(sellerPairs(TITLE_BASES, SEED, f), (v) => v === 1);
    return [name, ...Object.values(r.byKind).map((x) => percent(x, 0)), percent(r.fpr, 3)];
  };
  say(
    table(
      ['compared', 'case, spacing', 'punctuation', 'joined, accents', 'new shop name', 'FPR'],
      [sellerRow('normaliseSellerName', normaliseSellerName), sellerRow('exact', (s) => s)],
    ),
  );

  say(
    `\n## Keyword: a watchlist term (${WATCHLIST.join(', ')}) in the title; negatives are unrelated products\n`,
  );
  const kwRow = (name: string, p: Pair[]) => {
    const r = rates(p, (v) => v === 1);
    return [name, ...Object.values(r.byKind).map((x) => percent(x, 0)), percent(r.tpr), percent(r.fpr)];
  };
  const kinds = Object.keys(rates(keywordPairs(set, true), () => true).byKind);
  say(
    table(
      ['compared', ...kinds, 'TPR', 'FPR'],
      [
        kwRow('normalised tokens', keywordPairs(set, true)),
        kwRow('lower-case words', keywordPairs(set, false)),
      ],
    ),
  );
  console.log(out.join('\n'));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
