/**
 * The screening bench's corpus: BENCH_FINGERPRINTS taken-down links with fingerprints, COPYed in chunks (one
 * transaction each, stamped with its own txid as the API stamps its rows), and the brute-force scan the screening's
 * image matches are checked against: every stored hash in typed arrays, compared with popcount.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { popcount32 } from '../src/matching/image-hash';
import { normaliseSellerName } from '../src/matching/title-normalisation';
import { copyChunks, csvChunks } from '../test/support/factories';
import { BenchContext, generateLinks } from './context';
import { ListingGenerator } from './listings';
import { fmt, now } from './measure';

export const FINGERPRINTS = Number(process.env.BENCH_FINGERPRINTS ?? 1_000_000);
const CHUNK = 50_000;
/** One fingerprint in this many is a relisting of an earlier one (title edited, photo 0–6 bits off). */
const RELISTING_EVERY = 1000;
/** One fingerprint in this many also has a PDQ hash. */
const PDQ_EVERY = 10;

const LINK_COLUMNS =
  'id, batch_id, marketplace_id, url, canonical_url, listing_key, status, due_at, created_at, updated_at, resolved_at, source, seller_ref';
const FINGERPRINT_COLUMNS = 'link_id, marketplace_id, title, seller_ref, seller_name, taken_down_at, txid';
const HASH_COLUMNS = 'fingerprint_id, algorithm, hash';

interface SeedRow {
  linkId: string;
  marketplaceId: string;
  url: string;
  title: string;
  sellerRef: string;
  sellerName: string;
  phash: string;
  pdq: string | null;
}

const quote = (v: string) => `"${v.replace(/"/g, '""')}"`;

/**
 * FINGERPRINTS links of one ministry batch, taken down a month ago, each with a fingerprint (a title of 6–12 words,
 * the seller, one phash, one in PDQ_EVERY a PDQ too). The stored title is the normalised one, which for the
 * generator's lower-case words is the title itself. Progress goes to the console.
 */
export async function seedFingerprints(ctx: BenchContext, gen: ListingGenerator): Promise<void> {
  const pg = ctx.pg;
  const t0 = now();
  const at = new Date(Date.now() - 30 * 86_400_000).toISOString();
  const batchId = randomUUID();
  await pg.query(
    `INSERT INTO link_batches (id, reference, legal_basis, due_at, submitted_by_agency_id, link_count, created_at)
     SELECT $1, 'BENCH/FINGERPRINTS', 'bench', $2, id, $3, $2 FROM agencies WHERE code = 'kemendag'`,
    [batchId, at, FINGERPRINTS],
  );
  for (let from = 0; from < FINGERPRINTS; from += CHUNK) {
    const rows = seedRows(ctx, gen, Math.min(CHUNK, FINGERPRINTS - from));
    const links = csvChunks(
      rows,
      (r) =>
        `${r.linkId},${batchId},${r.marketplaceId},${quote(r.url)},${quote(r.url)},fp-${r.linkId},taken_down,${at},${at},${at},${at},ministry,${r.sellerRef}\n`,
    );
    await pg.query('BEGIN');
    const txid = (await pg.query<{ x: string }>('SELECT pg_current_xact_id()::text AS x')).rows[0].x;
    const fingerprints = csvChunks(
      rows,
      (r) =>
        `${r.linkId},${r.marketplaceId},${quote(r.title)},${r.sellerRef},${quote(normaliseSellerName(r.sellerName))},${at},${txid}\n`,
    );
    await copyChunks(pg, 'links', LINK_COLUMNS, links);
    await copyChunks(pg, 'listing_fingerprints', FINGERPRINT_COLUMNS, fingerprints);
    const ids = new Map(
      (
        await pg.query<{ id: string; link_id: string }>(
          'SELECT id::text AS id, link_id FROM listing_fingerprints WHERE txid = $1',
          [txid],
        )
      ).rows.map((r) => [r.link_id, r.id]),
    );
    const hashes = rows.flatMap((r) => {
      const id = ids.get(r.linkId)!;
      return [`${id},phash,\\x${r.phash}\n`, ...(r.pdq ? [`${id},pdq,\\x${r.pdq}\n`] : [])];
    });
    await copyChunks(
      pg,
      'listing_image_hashes',
      HASH_COLUMNS,
      csvChunks(hashes, (line) => line),
    );
    await pg.query('COMMIT');
    const done = from + rows.length;
    if (done % 200_000 === 0 || done === FINGERPRINTS)
      console.log(
        `  fingerprints seeded: ${done.toLocaleString('en')} of ${FINGERPRINTS.toLocaleString('en')} (${fmt((now() - t0) / 1000, 0)} s)`,
      );
  }
  await pg.query('ANALYZE links, listing_fingerprints, listing_image_hashes');
}

function seedRows(ctx: BenchContext, gen: ListingGenerator, n: number): SeedRow[] {
  const urls = generateLinks(n, ctx.codes);
  const rows: SeedRow[] = [];
  for (let i = 0; i < n; i++) {
    const source = i > 0 && gen.random.int(RELISTING_EVERY) === 0 ? rows[gen.random.int(i)] : null;
    const pdq = source
      ? source.pdq && gen.flip(source.pdq, gen.random.int(21))
      : gen.random.int(PDQ_EVERY) === 0
        ? gen.hash(256)
        : null;
    rows.push({
      linkId: randomUUID(),
      marketplaceId: ctx.mkIds[i % ctx.mkIds.length],
      url: urls[i],
      title: source ? gen.edit(source.title) : gen.title(),
      sellerRef: gen.sellerRef(),
      sellerName: gen.sellerName(),
      phash: source ? gen.flip(source.phash, gen.random.int(7)) : gen.hash(64),
      pdq,
    });
  }
  return rows;
}

/** Every stored hash of one algorithm, as 32-bit words (`words` per hash), with its fingerprint's id. */
export interface StoredHashes {
  ids: Uint32Array;
  words: Uint32Array;
  wordsPerHash: number;
  size: number;
}

/** The `i`th stored hash as hex. */
export function storedHex(s: StoredHashes, i: number): string {
  let hex = '';
  for (let w = 0; w < s.wordsPerHash; w++)
    hex += s.words[i * s.wordsPerHash + w].toString(16).padStart(8, '0');
  return hex;
}

/** Every stored image hash, read in pages before any clock starts. */
export async function loadStoredHashes(pg: Client): Promise<Record<'phash' | 'pdq', StoredHashes>> {
  const count = async (algorithm: string) =>
    Number(
      (await pg.query('SELECT count(*) AS n FROM listing_image_hashes WHERE algorithm = $1', [algorithm]))
        .rows[0].n,
    );
  const of = async (algorithm: string, wordsPerHash: number): Promise<StoredHashes> => {
    const n = await count(algorithm);
    return { ids: new Uint32Array(n), words: new Uint32Array(n * wordsPerHash), wordsPerHash, size: 0 };
  };
  const out = { phash: await of('phash', 2), pdq: await of('pdq', 8) };
  for (let after = '0'; ;) {
    const page = (
      await pg.query<{ id: string; algorithm: 'phash' | 'pdq'; hash: Buffer }>(
        `SELECT fingerprint_id::text AS id, algorithm, hash FROM listing_image_hashes
          WHERE fingerprint_id > $1::int8 ORDER BY fingerprint_id LIMIT 100000`,
        [after],
      )
    ).rows;
    for (const r of page) {
      const into = out[r.algorithm];
      const n = into.wordsPerHash;
      if (into.size === into.ids.length) continue; // written after the count: not in the scan
      into.ids[into.size] = Number(r.id);
      for (let w = 0; w < n; w++) into.words[into.size * n + w] = r.hash.readUInt32BE(w * 4);
      into.size++;
    }
    if (page.length < 100000) break;
    after = page[page.length - 1].id;
  }
  return out;
}

export interface BruteImageMatch {
  id: number;
  algorithm: 'phash' | 'pdq';
  distance: number;
}

/**
 * What the engine answers for one query, found by comparing with every stored hash: per fingerprint the closest of
 * the query's hashes within its algorithm's limit (the first hash on a tie), closest first, then by id, at most `cap`.
 * `total` is the count before the cap.
 */
export function bruteForceImages(
  stored: Record<'phash' | 'pdq', StoredHashes>,
  hashes: { algorithm: 'phash' | 'pdq'; hash: string }[],
  max: Record<'phash' | 'pdq', number>,
  cap: number,
): { matches: BruteImageMatch[]; total: number } {
  const best = new Map<number, BruteImageMatch>();
  for (const { algorithm, hash } of hashes) {
    const s = stored[algorithm];
    const n = s.wordsPerHash;
    const q = new Uint32Array(n);
    for (let w = 0; w < n; w++) q[w] = parseInt(hash.slice(w * 8, w * 8 + 8), 16) >>> 0;
    const limit = max[algorithm];
    for (let i = 0; i < s.size; i++) {
      let d = 0;
      for (let w = 0; w < n && d <= limit; w++) d += popcount32((s.words[i * n + w] ^ q[w]) >>> 0);
      if (d > limit) continue;
      const id = s.ids[i];
      const before = best.get(id);
      if (!before || d < before.distance) best.set(id, { id, algorithm, distance: d });
    }
  }
  const all = [...best.values()].sort((a, b) => a.distance - b.distance || a.id - b.id);
  return { matches: all.slice(0, cap), total: all.length };
}
