/** Indonesian used-clothing titles, their 2023 evasions, and unrelated titles; seller names beside them. */
import { Pair, pick, random } from './rates';

const list = (s: string) => s.split('|');

const ITEMS = list(
  'baju|kaos|kemeja|jaket|celana jeans|hoodie|sweater|rok|dress|blazer|celana chino|jaket kulit|kardigan|celana cargo|jaket parka',
);
const ORIGINS = ['Korea', 'Jepang', 'Bangkok', 'Eropa', 'USA', 'Hongkong', 'Australia', 'Taiwan'];
const FORMS = [
  (i: string, o: string) => `Karung ${i} bekas import ${o} 100kg`,
  (i: string, o: string) => `Bal ${i} bekas ${o} grade A`,
  (i: string, o: string) => `${i} used import ${o} original branded`,
  (i: string, o: string) => `Bola ${i} second ${o} isi 200 pcs`,
];
const UNRELATED = [
  'Rice cooker Miyako 1.8 liter garansi resmi',
  'Sepatu lari Nike Air Zoom ukuran 42',
  'Kopi arabika Gayo 500 gram',
  'Headset gaming RGB 7.1 surround',
  'Minyak goreng Bimoli 2 liter',
  'Tas ransel laptop anti air 15 inch',
  'Mainan lego city polisi 300 pcs',
  'Madu hutan asli Sumbawa 1 kg',
  'Kaos polos cotton combed 30s baru',
  'Kemeja batik pria lengan panjang baru',
  'Jaket hoodie polos baru sablon custom',
  'Celana jeans pria slim fit baru',
  'Beras pandan wangi 5 kg',
  'Powerbank 20000 mAh fast charging',
  'Panci presto 8 liter stainless',
  'Sabun cuci piring 800 ml',
  'Kursi kantor ergonomis',
  'Lampu LED 12 watt Philips',
  'Sepeda lipat 20 inch',
  'Karpet bulu 160x210',
];
const SHOPS = list(
  'Toko Berkah Jaya|Grosir Thrift Mania|Gudang Import Murah|Lapak Mbak Sri|Bal Kita Store|Sinar Abadi Fashion|Raja Karung 88|Ukay Ukay Medan',
);

/** The base titles: every item × origin × form would be too many near-twins; a seeded draw of 64 distinct ones. */
export function baseTitles(count: number, seed: number): { title: string; seller: string }[] {
  const rnd = random(seed);
  const seen = new Set<string>();
  const out: { title: string; seller: string }[] = [];
  while (out.length < count) {
    const title = pick(rnd, FORMS)(pick(rnd, ITEMS), pick(rnd, ORIGINS));
    const t = title[0].toUpperCase() + title.slice(1);
    if (seen.has(t)) continue;
    seen.add(t);
    out.push({ title: t, seller: `${pick(rnd, SHOPS)} ${out.length + 1}` });
  }
  return out;
}

const replaceWords = (t: string, map: Record<string, string>) =>
  t.replace(/\p{L}+/gu, (w) => map[w.toLowerCase()] ?? w);
const LEET: Record<string, string> = { a: '4', e: '3', i: '1', o: '0' };
const leet = (w: string) => w.replace(/[aeio]/g, (c) => LEET[c]);
const ACCENT: Record<string, string> = { a: 'á', e: 'é', i: 'í', o: 'ö', u: 'ü' };

/** The ways a relisting seller rewrote a title in 2023. */
export const TITLE_VARIANTS: Record<string, (t: string, rnd: () => number) => string> = {
  'code words': (t, rnd) =>
    replaceWords(t, {
      bekas: pick(rnd, ['preloved', 'pre-optimized']),
      used: 'preloved',
      second: 'preloved',
      bal: 'karung',
      bola: 'karung',
    }),
  leetspeak: (t) =>
    replaceWords(t, {
      bekas: 'b3k4s',
      used: 'us3d',
      second: 's3c0nd',
      import: leet('import'),
      original: leet('original'),
      branded: leet('branded'),
    }),
  accents: (t) => t.replace(/[aeiou]/g, (c, i: number) => (i % 3 === 0 ? ACCENT[c] : c)),
  'spacing, punctuation': (t) =>
    `${t.toUpperCase().replace(/ /g, (_, i: number) => (i % 2 ? ' - ' : '  '))} !!!`,
  'word order': (t) => {
    const w = t.split(' ');
    return [...w.slice(2), ...w.slice(0, 2)].join(' ');
  },
  'extra word': (t, rnd) => `${t} ${pick(rnd, ['murah', 'termurah', 'ready stock', 'COD'])}`,
  'dropped word': (t) =>
    t
      .split(' ')
      .filter((_, i, a) => i !== Math.floor(a.length / 2))
      .join(' '),
  combined: (t, rnd) => `${TITLE_VARIANTS.leetspeak(TITLE_VARIANTS['code words'](t, rnd), rnd)} murah`,
};

/** The same shop under another marketplace's handle: the forms normaliseSellerName is to see through. */
export const SELLER_VARIANTS: Record<string, (s: string) => string> = {
  'case, spacing': (s) => s.toUpperCase().replace(/ /g, '  '),
  punctuation: (s) => s.replace(/ /g, '_'),
  'joined, accents': (s) => s.replace(/ /g, '').replace(/a/g, 'á'),
  'new shop name': (s) => `Official ${s.split(' ').reverse().join(' ')} Baru`,
};

export interface TitleSet {
  titles: string[];
  /** Which base a title belongs to (unrelated titles each their own). */
  group: number[];
  kind: (string | null)[];
  usedClothing: boolean[];
}

export function titleSet(bases: number, seed: number): TitleSet {
  const set: TitleSet = { titles: [], group: [], kind: [], usedClothing: [] };
  const add = (title: string, group: number, kind: string | null, used: boolean) => {
    set.titles.push(title);
    set.group.push(group);
    set.kind.push(kind);
    set.usedClothing.push(used);
  };
  baseTitles(bases, seed).forEach(({ title }, g) => {
    const rnd = random(seed * 7919 + g);
    add(title, g, null, true);
    for (const [kind, make] of Object.entries(TITLE_VARIANTS)) add(make(title, rnd), g, kind, true);
  });
  UNRELATED.forEach((title, k) => add(title, bases + k, null, false));
  return set;
}

/** Index pairs: each base with its variants (labelled by kind), and every two titles of different groups. */
export function titlePairs(set: TitleSet): { i: number[]; j: number[]; kind: (string | null)[] } {
  const out = { i: [] as number[], j: [] as number[], kind: [] as (string | null)[] };
  for (let a = 0; a < set.titles.length; a++)
    for (let b = a + 1; b < set.titles.length; b++) {
      const same = set.group[a] === set.group[b];
      if (same && set.kind[a] !== null) continue; // two variants of one base: neither is the taken-down original
      out.i.push(a);
      out.j.push(b);
      out.kind.push(same ? set.kind[b] : null);
    }
  return out;
}

export function sellerPairs(bases: number, seed: number, normalise: (s: string) => string): Pair[] {
  const sellers = baseTitles(bases, seed).map((b) => b.seller);
  const pairs: Pair[] = [];
  for (const s of sellers)
    for (const [kind, make] of Object.entries(SELLER_VARIANTS))
      pairs.push({ kind, value: normalise(s) === normalise(make(s)) ? 1 : 0 });
  for (let a = 0; a < sellers.length; a++)
    for (let b = 0; b < sellers.length; b++)
      if (a !== b)
        pairs.push({
          kind: null,
          value: normalise(sellers[a]) === normalise(SELLER_VARIANTS.punctuation(sellers[b])) ? 1 : 0,
        });
  return pairs;
}
