/**
 * Listings the matching benches send and store: titles of 6–12 words from a generated vocabulary, seller names and
 * image hashes, all from one seeded generator so every run draws the same corpus. The words look Indonesian
 * (syllables of weighted consonants and vowels, now and then a rare letter) and are drawn by a Zipf–Mandelbrot law,
 * so some words are in many titles and most in few, as in real marketplace titles, and trigram statistics with them.
 */
import { CODE_WORD_FAMILIES, normaliseTitle } from '../src/matching/title-normalisation';

/** A seeded generator (mulberry32): the same sequence on every run. */
export class Random {
  constructor(private state: number) {}

  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  weighted<T>(choices: readonly (readonly [T, number])[]): T {
    const total = choices.reduce((s, [, w]) => s + w, 0);
    let x = this.next() * total;
    for (const [v, w] of choices) if ((x -= w) < 0) return v;
    return choices[choices.length - 1][0];
  }
}

/** "letters:weight" pairs; "-" is no letter (a syllable without an onset or a coda). */
const weights = (spec: string): [string, number][] =>
  spec.split(' ').map((p) => {
    const [letters, w] = p.split(':');
    return [letters === '-' ? '' : letters, Number(w)];
  });
const ONSETS = weights(
  'k:10 s:9 t:9 n:8 m:8 p:7 r:7 l:6 b:6 d:5 g:5 j:4 h:4 c:3 w:3 y:3 ng:2 ny:2 -:4 f:1 v:0.6 z:0.6 kh:0.5 sy:0.5 q:0.2 x:0.2',
);
const VOWELS = weights('a:10 i:6 u:6 e:5 o:4');
const CODAS = weights('-:60 n:9 ng:6 k:5 r:5 s:4 t:4 h:3 l:3 m:2 p:2');

/** Words the title normalisation would fold or treat specially: kept out, so a stored title is the title itself. */
const FOLDED = new Set(CODE_WORD_FAMILIES.flat().flatMap((v) => v.split(' ')));

export const VOCABULARY_SIZE = 6000;

/** VOCABULARY_SIZE distinct words of 3–10 letters, most frequent first. */
export function vocabulary(random = new Random(14)): string[] {
  const words = new Set<string>();
  while (words.size < VOCABULARY_SIZE) {
    let w = '';
    const syllables = 1 + random.int(4);
    for (let s = 0; s < syllables; s++)
      w += random.weighted(ONSETS) + random.weighted(VOWELS) + random.weighted(CODAS);
    if (w.length >= 3 && w.length <= 10 && !FOLDED.has(w) && normaliseTitle(w) === w) words.add(w);
  }
  return [...words];
}

/** Draws titles, seller names and hashes; word ranks follow 1 / (rank + 2.7). */
export class ListingGenerator {
  readonly words: string[];
  private readonly cumulative: Float64Array;
  private sellers = 0;

  constructor(readonly random = new Random(2023)) {
    this.words = vocabulary();
    this.cumulative = new Float64Array(this.words.length);
    let sum = 0;
    for (let r = 0; r < this.words.length; r++) this.cumulative[r] = sum += 1 / (r + 2.7);
  }

  word(): string {
    const x = this.random.next() * this.cumulative[this.cumulative.length - 1];
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    return this.words[lo];
  }

  /** 6 to 12 distinct words, lower case: as stored, and as normaliseTitle leaves it. */
  title(): string {
    const n = 6 + this.random.int(7);
    const words = new Set<string>();
    while (words.size < n) words.add(this.word());
    return [...words].join(' ');
  }

  /** A relisting's title: one word swapped, dropped or added. */
  edit(title: string): string {
    const words = title.split(' ');
    const at = this.random.int(words.length);
    const op = this.random.int(3);
    if (op === 0) words[at] = this.word();
    else if (op === 1 && words.length > 1) words.splice(at, 1);
    else words.splice(at, 0, this.word());
    return words.join(' ');
  }

  sellerRef(): string {
    return `bench-seller-${++this.sellers}-${this.random.int(1e9)}`;
  }

  sellerName(): string {
    return `Toko ${capitalise(this.word())} ${capitalise(this.word())} ${this.random.int(1e6)}`;
  }

  /** A random hash of `bits` bits as lower-case hex. */
  hash(bits: 64 | 256): string {
    let hex = '';
    for (let i = 0; i < bits / 32; i++)
      hex += this.random
        .int(2 ** 32)
        .toString(16)
        .padStart(8, '0');
    return hex;
  }

  /** `hex` with `k` distinct bits flipped. */
  flip(hex: string, k: number): string {
    const bits = hex.length * 4;
    const picked = new Set<number>();
    while (picked.size < Math.min(k, bits)) picked.add(this.random.int(bits));
    const nibbles = [...hex].map((c) => parseInt(c, 16));
    for (const b of picked) nibbles[b >> 2] ^= 8 >> (b & 3);
    return nibbles.map((n) => n.toString(16)).join('');
  }
}

/** What a marketplace sends as listing evidence: the title as a shop writes it (capitalised words). */
export interface BenchListing {
  title: string;
  sellerRef: string;
  sellerName: string;
  imageHashes: { algorithm: 'phash'; hash: string }[];
}

/**
 * Listing evidence for `n` listings sent `perRequest` at a time; one in 100 relists a listing of an earlier request (a
 * word edited, the photo's hash 0–6 bits off, a new shop), so matching on arrival finds something and groups it.
 */
export function listings(gen: ListingGenerator, n: number, perRequest: number): BenchListing[] {
  const out: BenchListing[] = [];
  for (let i = 0; i < n; i++) {
    const sent = i - (i % perRequest);
    const source = sent > 0 && gen.random.int(100) === 0 ? out[gen.random.int(sent)] : null;
    const title = source ? gen.edit(source.title.toLowerCase()) : gen.title();
    const hash = source ? gen.flip(source.imageHashes[0].hash, gen.random.int(7)) : gen.hash(64);
    out.push({
      title: title.split(' ').map(capitalise).join(' '),
      sellerRef: gen.sellerRef(),
      sellerName: gen.sellerName(),
      imageHashes: [{ algorithm: 'phash', hash }],
    });
  }
  return out;
}

export const capitalise = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);
