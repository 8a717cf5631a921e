/**
 * The in-process index of every kept fingerprint: titles by trigram, image hashes by multi-index hashing. Both answer
 * exactly what a brute-force scan answers (pg_trgm's similarity() ≥ t; Hamming distance ≤ t); the index only decides
 * which rows are worth comparing. Built from listing_fingerprints and kept current by FingerprintIndexService.
 */
import type { ImageHashAlgorithm } from './image-hash';
import { hashWords, popcount32 } from './image-hash';
import { trigramsOf, trigramSimilarity } from './title-trigrams';

/** A Uint32Array that grows by doubling. */
class U32List {
  data = new Uint32Array(4);
  length = 0;

  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = new Uint32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }

  /** Makes room for index `i` (zero-filled). */
  ensure(i: number): void {
    while (i >= this.data.length) {
      const bigger = new Uint32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    if (i >= this.length) this.length = i + 1;
  }
}

/** Bits kept per row for the most frequent trigrams, whose posting lists would dominate every search. */
const MASK_BITS = 64;

/**
 * Trigram postings per title row, except for the up to 64 most frequent trigrams (a word's first letter, "  b", is in
 * most titles): those are one bit each in the row's mask. A search counts shared trigrams through the postings of the
 * rest and adds the mask overlap, so every row's count is exact.
 */
export class TitleIndex {
  private readonly dictionary = new Map<string, number>();
  private postings: (U32List | null)[] = [];
  /** Trigram id → bit of the mask, for the frequent trigrams. */
  private readonly maskBit = new Map<number, number>();
  private readonly rowLength = new U32List();
  private readonly maskLow = new U32List();
  private readonly maskHigh = new U32List();
  private readonly rowId: number[] = [];
  private counts = new Uint16Array(0);
  private touched = new Uint32Array(0);
  private plannedAt = 0;

  get size(): number {
    return this.rowId.length;
  }

  add(id: number, title: string): void {
    const row = this.rowId.length;
    this.rowId.push(id);
    const grams = trigramsOf(title);
    this.rowLength.push(grams.size);
    this.maskLow.push(0);
    this.maskHigh.push(0);
    for (const g of grams) {
      let t = this.dictionary.get(g);
      if (t === undefined) {
        t = this.dictionary.size;
        this.dictionary.set(g, t);
        this.postings.push(new U32List());
      }
      this.note(row, t);
    }
    if (row + 1 >= 1024 && row + 1 >= 2 * this.plannedAt) this.replan();
  }

  private note(row: number, t: number): void {
    const bit = this.maskBit.get(t);
    if (bit === undefined) this.postings[t]!.push(row);
    else if (bit < 32) this.maskLow.data[row] |= 1 << bit;
    else this.maskHigh.data[row] |= 1 << (bit - 32);
  }

  private rowsWithBit(bit: number): U32List {
    const rows = new U32List();
    const words = bit < 32 ? this.maskLow.data : this.maskHigh.data;
    const flag = 1 << (bit % 32);
    for (let row = 0; row < this.rowId.length; row++) if (words[row] & flag) rows.push(row);
    return rows;
  }

  /** Chooses the frequent trigrams again as the index doubles: at most 64 moves between postings and masks. */
  private replan(): void {
    this.plannedAt = this.rowId.length;
    const frequency = (t: number) => {
      const list = this.postings[t];
      if (list) return list.length;
      const bit = this.maskBit.get(t)!;
      let n = 0;
      const words = bit < 32 ? this.maskLow.data : this.maskHigh.data;
      for (let row = 0; row < this.rowId.length; row++) if (words[row] & (1 << (bit % 32))) n++;
      return n;
    };
    const ids = [...this.dictionary.values()];
    const freq = new Map(ids.map((t) => [t, frequency(t)]));
    const chosen = new Set(ids.sort((a, b) => freq.get(b)! - freq.get(a)!).slice(0, MASK_BITS));
    const freed: number[] = [];
    for (const [t, bit] of [...this.maskBit]) {
      if (chosen.has(t)) continue;
      this.postings[t] = this.rowsWithBit(bit);
      this.maskBit.delete(t);
      const words = bit < 32 ? this.maskLow.data : this.maskHigh.data;
      const clear = ~(1 << (bit % 32));
      for (let row = 0; row < this.rowId.length; row++) words[row] &= clear;
      freed.push(bit);
    }
    const used = new Set(this.maskBit.values());
    for (let bit = 0; bit < MASK_BITS; bit++) if (!used.has(bit) && !freed.includes(bit)) freed.push(bit);
    for (const t of chosen) {
      if (this.maskBit.has(t)) continue;
      const bit = freed.pop()!;
      const list = this.postings[t]!;
      this.maskBit.set(t, bit);
      this.postings[t] = null;
      for (let k = 0; k < list.length; k++) this.note(list.data[k], t);
    }
  }

  /**
   * Every row whose similarity to `title` is at least `min` (0–1), with that similarity. A row similar enough shares
   * at least need(n2) = ⌈min·(n1 + n2)/(1 + min)⌉ of the title's n1 trigrams, so it shares one among any n1 − need + 1
   * of them: the rows the rarest lists hold (the prefix) are the only candidates, and the longer lists only count.
   * Each list read beyond the prefix raises by one how many of the lists read a candidate must be in.
   */
  search(title: string, min: number): { id: number; similarity: number }[] {
    const grams = trigramsOf(title);
    const n1 = grams.size;
    const rows = this.rowId.length;
    if (n1 === 0 || rows === 0) return [];
    if (this.counts.length < rows) this.counts = new Uint16Array(rows * 2);
    const { lists, qLow, qHigh } = this.queryOf(grams);
    const fromMask = popcount32(qLow) + popcount32(qHigh);
    // The fewest trigrams any row can share and still be similar enough: the shortest possible row (n2 = need).
    const leastNeed = Math.max(1, Math.ceil(min * n1 - 1e-9));
    const prefix = lists.length + fromMask - leastNeed + 1;
    if (prefix <= 0) return [];
    // More frequent trigrams in the title than a match needs: a row sharing only those could match.
    if (prefix > lists.length) return this.scanAll(lists, qLow, qHigh, n1, min);
    const counts = this.counts;
    if (this.touched.length < rows) this.touched = new Uint32Array(rows * 2);
    const touched = this.touched;
    let found = 0;
    // Reading EXTRA lists past the prefix raises what a candidate must share among the lists read from 1 to
    // 1 + EXTRA: a row is a candidate only once its count gets there, so few rows are looked at one by one.
    const read = Math.min(lists.length, prefix + EXTRA_LISTS);
    const least = 1 + read - prefix;
    for (let i = 0; i < read; i++) {
      const { data, length } = lists[i];
      for (let k = 0; k < length; k++) {
        const row = data[k];
        if (++counts[row] === least) touched[found++] = row;
      }
    }
    // The longer lists only add to the candidates: a row they alone share cannot be similar enough. A candidate that
    // could not reach what it needs even if it held every one of them is dropped before they are read.
    const lengths = this.rowLength.data;
    const low = this.maskLow.data;
    const high = this.maskHigh.data;
    const rest = lists.length - read;
    const need = (n2: number) => Math.ceil((min * (n1 + n2)) / (1 + min) - 1e-9);
    let kept = 0;
    for (let k = 0; k < found; k++) {
      const row = touched[k];
      const possible = counts[row] + popcount32(low[row] & qLow) + popcount32(high[row] & qHigh) + rest;
      if (possible >= need(lengths[row])) touched[kept++] = row;
    }
    for (let i = read; i < lists.length; i++) this.countKept(lists[i], kept);
    const out: { id: number; similarity: number }[] = [];
    for (let k = 0; k < kept; k++) {
      const row = touched[k];
      const shared = counts[row] + popcount32(low[row] & qLow) + popcount32(high[row] & qHigh);
      const s = trigramSimilarity(shared, n1, lengths[row]);
      if (s >= min) out.push({ id: this.rowId[row], similarity: s });
    }
    // Rows short of a candidate's count were counted too: zeroing the array is cheaper than walking the lists again.
    counts.fill(0, 0, rows);
    return out;
  }

  /** The title's posting lists, shortest first, and its frequent trigrams as a mask. */
  private queryOf(grams: Set<string>): { lists: U32List[]; qLow: number; qHigh: number } {
    let qLow = 0;
    let qHigh = 0;
    const lists: U32List[] = [];
    for (const g of grams) {
      const t = this.dictionary.get(g);
      if (t === undefined) continue;
      const bit = this.maskBit.get(t);
      if (bit === undefined) lists.push(this.postings[t]!);
      else if (bit < 32) qLow |= 1 << bit;
      else qHigh |= 1 << (bit - 32);
    }
    lists.sort((a, b) => a.length - b.length);
    return { lists, qLow, qHigh };
  }

  /** Adds a long list to the counts of the first `kept` touched rows (and of no other). */
  private countKept({ data, length }: U32List, kept: number): void {
    const counts = this.counts;
    const touched = this.touched;
    // Few rows left against a long list: look each up (the list is in row order) rather than read it all.
    if (kept * LOOKUP_COST < length) {
      for (let k = 0; k < kept; k++) if (contains(data, length, touched[k])) counts[touched[k]]++;
      return;
    }
    for (let k = 0; k < length; k++) {
      const row = data[k];
      if (counts[row] !== 0) counts[row]++;
    }
  }

  private maskOverlap(row: number, qLow: number, qHigh: number): number {
    return popcount32(this.maskLow.data[row] & qLow) + popcount32(this.maskHigh.data[row] & qHigh);
  }

  /** When the title is mostly frequent trigrams, any row may match: every row is counted. */
  private scanAll(
    lists: U32List[],
    qLow: number,
    qHigh: number,
    n1: number,
    min: number,
  ): { id: number; similarity: number }[] {
    const counts = this.counts;
    for (const { data, length } of lists) for (let k = 0; k < length; k++) counts[data[k]]++;
    const out: { id: number; similarity: number }[] = [];
    for (let row = 0; row < this.rowId.length; row++) {
      const shared = counts[row] + this.maskOverlap(row, qLow, qHigh);
      counts[row] = 0;
      const s = trigramSimilarity(shared, n1, this.rowLength.data[row]);
      if (s >= min) out.push({ id: this.rowId[row], similarity: s });
    }
    return out;
  }
}

/**
 * Posting lists read past the prefix before candidates are looked at one by one: measured at 1,000,000 bench titles,
 * 4 → 4.0×, 8 → 5.0×, 12 → 4.7× faster than none (2.7 ms a title with 8), as each list read costs more than the
 * candidates it rules out once the rest are few.
 */
const EXTRA_LISTS = 8;

/** A binary search costs about this many sequential reads of a posting list. */
const LOOKUP_COST = 24;

/** Whether the first `length` entries of the ascending `data` hold `row`. */
function contains(data: Uint32Array, length: number, row: number): boolean {
  let lo = 0;
  let hi = length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = data[mid];
    if (v === row) return true;
    if (v < row) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** How a hash is cut into chunks for multi-index hashing: each chunk's bit width, in order. */
export type ChunkLayout = readonly number[];

/**
 * phash: three chunks (22 + 21 + 21 bits) probe the most buckets but find the fewest candidates in them, four (16 bits
 * each) the other way round; at the default 10 bits the four are cheaper up to some 100,000 hashes and the three
 * beyond (a search of random phashes, best of 5 rounds: 20 against 37 µs at 40,000; 142 against 211 at 200,000;
 * 619 against 2,200 at 1,000,000). PDQ: sixteen chunks of 16 bits.
 */
const LAYOUTS: Record<number, ChunkLayout[]> = {
  64: [
    [22, 21, 21],
    [16, 16, 16, 16],
  ],
  256: [new Array<number>(16).fill(16)],
};

/** One cut of the hashes into chunks: per chunk, the first entry of each bucket (−1: empty), each entry's next. */
interface ChunkTable {
  chunks: { start: number; width: number }[];
  heads: Int32Array[];
  /** Per chunk, a bit per bucket that holds an entry: looked at before the heads, it stays in the cache they miss. */
  occupied: Uint32Array[];
  next: U32List[];
}

/**
 * Multi-index hashing: a hash is cut into m chunks, each chunk a table of buckets. Two hashes within distance t agree
 * to within ⌊t / m⌋ bits on at least one chunk (pigeonhole), so probing every chunk value that near finds every
 * match; each candidate is then compared in full. Each search takes the cut that costs it least (buckets probed plus
 * candidates expected), or compares everything when that is cheaper still, as it is below a few thousand hashes:
 * the same answer every way.
 */
export class ImageHashIndex {
  readonly words: number;
  private readonly layouts: ChunkLayout[];
  private readonly hashes = new U32List();
  private readonly owner: number[] = [];
  /** Built once the index holds LINEAR_LIMIT hashes; one per layout. */
  private tables: ChunkTable[] | null = null;
  private seen = new Uint32Array(0);
  private stamp = 0;

  constructor(
    readonly bits: number,
    layouts: ChunkLayout[] = LAYOUTS[bits],
  ) {
    this.words = bits / 32;
    this.layouts = layouts;
  }

  get size(): number {
    return this.owner.length;
  }

  add(id: number, words: Uint32Array): void {
    const entry = this.owner.length;
    this.owner.push(id);
    for (let w = 0; w < this.words; w++) this.hashes.push(words[w]);
    if (this.tables) for (const table of this.tables) this.link(table, entry);
    else if (this.owner.length >= LINEAR_LIMIT) {
      this.tables = this.layouts.map((widths) => {
        let start = 0;
        return {
          chunks: widths.map((width) => ({ start: (start += width) - width, width })),
          heads: widths.map((width) => new Int32Array(1 << width).fill(-1)),
          occupied: widths.map((width) => new Uint32Array(Math.max(1, (1 << width) >>> 5))),
          next: widths.map(() => new U32List()),
        };
      });
      for (const table of this.tables) for (let e = 0; e < this.owner.length; e++) this.link(table, e);
    }
  }

  private link(table: ChunkTable, entry: number): void {
    const words = this.hashes.data.subarray(entry * this.words, (entry + 1) * this.words);
    table.chunks.forEach(({ start, width }, c) => {
      const heads = table.heads[c];
      const value = bitsAt(words, start, width);
      table.next[c].ensure(entry);
      table.next[c].data[entry] = heads[value] >>> 0;
      heads[value] = entry;
      table.occupied[c][value >>> 5] |= 1 << (value & 31);
    });
  }

  /** Every indexed id with a hash within `max` bits of `query`, with its smallest distance. */
  search(query: Uint32Array, max: number, into: Map<number, number> = new Map()): Map<number, number> {
    const n = this.owner.length;
    if (n === 0) return into;
    const words = this.words;
    const hashes = this.hashes.data;
    const consider = (entry: number) => {
      let d = 0;
      for (let w = 0, at = entry * words; w < words && d <= max; w++, at++)
        d += popcount32((query[w] ^ hashes[at]) >>> 0);
      if (d > max) return;
      const id = this.owner[entry];
      const before = into.get(id);
      if (before === undefined || d < before) into.set(id, d);
    };
    const plan = this.tables ? cheapestProbe(this.tables, max, n) : null;
    if (!plan) {
      for (let entry = 0; entry < n; entry++) consider(entry);
      return into;
    }
    if (this.seen.length < n) this.seen = new Uint32Array(n * 2);
    const seen = this.seen;
    const stamp = (this.stamp = (this.stamp + 1) >>> 0 || 1);
    const { table, probes } = plan;
    table.chunks.forEach(({ start, width }, c) => {
      const value = bitsAt(query, start, width);
      const heads = table.heads[c];
      const occupied = table.occupied[c];
      const next = table.next[c].data;
      for (const mask of probes[c]) {
        const bucket = value ^ mask;
        if ((occupied[bucket >>> 5] & (1 << (bucket & 31))) === 0) continue;
        for (let entry = heads[bucket]; entry !== -1; entry = next[entry] | 0) {
          if (seen[entry] === stamp) continue;
          seen[entry] = stamp;
          consider(entry);
        }
      }
    });
    return into;
  }
}

/**
 * A candidate found through a bucket costs about this many buckets looked at (following its chain and reading its
 * hash miss the cache; an empty bucket is one bit of `occupied`, which stays in it): measured before that bitmap,
 * 45 ns a bucket and 70–300 ns a candidate from 40,000 to 1,000,000 phashes.
 */
const CANDIDATE_COST = 6;

/**
 * The table whose probes at distance `max` cost least — buckets looked at, plus candidates compared (expected as for
 * hashes spread evenly) at CANDIDATE_COST each — with its probe masks per chunk; null when comparing all `n` costs
 * less (a comparison of the scan counting as one bucket).
 */
function cheapestProbe(
  tables: ChunkTable[],
  max: number,
  n: number,
): { table: ChunkTable; probes: number[][] } | null {
  let best: { table: ChunkTable; probes: number[][] } | null = null;
  let bestCost = n;
  for (const table of tables) {
    const radius = Math.floor(max / table.chunks.length);
    const probes = table.chunks.map(({ width }) => masksWithin(width, radius));
    if (probes.some((p) => p === null)) continue;
    const cost = table.chunks.reduce(
      (sum, { width }, c) => sum + probes[c]!.length * (1 + (CANDIDATE_COST * n) / 2 ** width),
      0,
    );
    if (cost < bestCost) {
      best = { table, probes: probes as number[][] };
      bestCost = cost;
    }
  }
  return best;
}

/** Below this many hashes a search compares them all. */
const LINEAR_LIMIT = 4096;

/** `width` bits of the hash from bit `start`, most significant first (width ≤ 32). */
function bitsAt(words: ArrayLike<number>, start: number, width: number): number {
  const w = start >>> 5;
  const offset = start & 31;
  let v = (words[w] << offset) >>> 0;
  if (offset + width > 32) v = (v | (words[w + 1] >>> (32 - offset))) >>> 0;
  return v >>> (32 - width);
}

const maskCache = new Map<string, number[] | null>();

/** Every `width`-bit value with at most `radius` bits set; null when there would be more than a million. */
function masksWithin(width: number, radius: number): number[] | null {
  const key = `${width}/${radius}`;
  if (maskCache.has(key)) return maskCache.get(key)!;
  let count = 0;
  for (let r = 0, c = 1; r <= radius; r++, c = (c * (width - r + 1)) / r) count += c;
  let masks: number[] | null = null;
  if (count <= 1_000_000) {
    masks = [];
    const grow = (from: number, left: number, mask: number) => {
      masks!.push(mask >>> 0);
      if (left === 0) return;
      for (let b = from; b < width; b++) grow(b + 1, left - 1, mask | (1 << b));
    };
    grow(0, radius, 0);
  }
  maskCache.set(key, masks);
  return masks;
}

export interface IndexedFingerprint {
  id: number;
  /** The stored title: normalised and unaccented. */
  title: string | null;
  images: { algorithm: ImageHashAlgorithm; hash: string }[];
}

export interface ImageMatch {
  id: number;
  algorithm: ImageHashAlgorithm;
  distance: number;
}

/** The whole index: titles, phash and PDQ. */
export class FingerprintIndex {
  readonly titles = new TitleIndex();
  readonly images: Record<ImageHashAlgorithm, ImageHashIndex> = {
    phash: new ImageHashIndex(64),
    pdq: new ImageHashIndex(256),
  };

  add(fp: IndexedFingerprint): void {
    if (fp.title) this.titles.add(fp.id, fp.title);
    for (const image of fp.images) this.images[image.algorithm].add(fp.id, hashWords(image.hash));
  }

  /** Per fingerprint, the closest of the query's hashes within its algorithm's limit. */
  searchImages(
    hashes: { algorithm: ImageHashAlgorithm; hash: string }[],
    max: Record<ImageHashAlgorithm, number>,
  ): ImageMatch[] {
    const best = new Map<number, ImageMatch>();
    for (const { algorithm, hash } of hashes) {
      for (const [id, distance] of this.images[algorithm].search(hashWords(hash), max[algorithm])) {
        const before = best.get(id);
        if (!before || distance < before.distance) best.set(id, { id, algorithm, distance });
      }
    }
    return [...best.values()];
  }
}
