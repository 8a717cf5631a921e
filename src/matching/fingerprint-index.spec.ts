import { FingerprintIndex, ImageHashIndex, TitleIndex } from './fingerprint-index';
import { hammingDistance, hashWords } from './image-hash';
import { similarity, trigramsOf, trigramSimilarity } from './title-trigrams';

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 1) / 0x80000000;
  };
}

const rnd = random(7);
const letters = 'abcdeghiklmnoprstuy';
const vocabulary = Array.from({ length: 400 }, () =>
  Array.from({ length: 3 + Math.floor(rnd() * 6) }, () => letters[Math.floor(rnd() * letters.length)]).join(
    '',
  ),
);
const title = () =>
  Array.from(
    { length: 3 + Math.floor(rnd() * 6) },
    () => vocabulary[Math.floor(rnd() * vocabulary.length)],
  ).join(' ');
/** A word of `t` swapped for another, dropped or added. */
function edited(t: string): string {
  const words = t.split(' ');
  const at = Math.floor(rnd() * words.length);
  const word = vocabulary[Math.floor(rnd() * vocabulary.length)];
  const kind = Math.floor(rnd() * 3);
  if (kind === 0) words[at] = word;
  else if (kind === 1 && words.length > 1) words.splice(at, 1);
  else words.splice(at, 0, word);
  return words.join(' ');
}
const hex = (chars: number) =>
  Array.from({ length: chars }, () => Math.floor(rnd() * 16).toString(16)).join('');
/** `hash` with `bits` random bits flipped. */
function flip(hash: string, bits: number): string {
  const words = hashWords(hash);
  for (let i = 0; i < bits; i++) {
    const b = Math.floor(rnd() * words.length * 32);
    words[b >> 5] ^= 1 << (31 - (b & 31));
  }
  return [...words].map((w) => (w >>> 0).toString(16).padStart(8, '0')).join('');
}

describe('trigrams as pg_trgm makes them', () => {
  it.each([
    ['cat', ['  c', ' ca', 'cat', 'at ']],
    ['a b', ['  a', ' a ', '  b', ' b ']],
    ['Ab-ab', ['  a', ' ab', 'ab ']],
  ])('%s', (text, expected) => expect([...trigramsOf(text)].sort()).toEqual([...expected].sort()));

  it("computes similarity as pg_trgm's documentation's example: word vs two words", () => {
    // similarity('word', 'two words') = 4 shared / (5 + 8 − 4)... as PostgreSQL answers: 0.36363637.
    expect(similarity('word', 'two words')).toBe(Math.fround(4 / 11));
  });
});

describe('TitleIndex', () => {
  it.each([0.3, 0.5, 0.7, 0.9])(
    'answers exactly what a brute-force scan answers at %f, across replans of its frequent trigrams',
    (min) => {
      const index = new TitleIndex();
      const titles: string[] = [];
      for (let i = 0; i < 5000; i++) {
        // Near copies of earlier titles too, so there is something to find at the higher thresholds.
        const near = i > 0 && i % 4 === 0 ? edited(titles[Math.floor(rnd() * i)]) : title();
        titles.push(near);
        index.add(i, near);
      }
      const grams = titles.map(trigramsOf);
      for (let q = 0; q < 24; q++) {
        const stored = titles[Math.floor(rnd() * titles.length)];
        // A new title, a stored one, or a stored one edited (a word swapped, dropped or added; letters unseen).
        const query = [title(), stored, edited(stored), `${stored} qqxz`][q % 4];
        // similarity(query, title) of every title, from trigram sets made once.
        const asked = trigramsOf(query);
        const expected = grams
          .map((g, id) => {
            let shared = 0;
            for (const x of asked) if (g.has(x)) shared++;
            return { id, similarity: trigramSimilarity(shared, asked.size, g.size) };
          })
          .filter((r) => r.similarity >= min);
        const got = index.search(query, min).sort((a, b) => a.id - b.id);
        expect(got).toEqual(expected);
      }
    },
  );

  it('finds rows that share only frequent trigrams when the query is made of them', () => {
    const index = new TitleIndex();
    for (let i = 0; i < 3000; i++) index.add(i, i % 2 ? 'a b c' : title());
    const got = index.search('a b c', 0.9);
    expect(got).toHaveLength(1500);
  });
});

describe('ImageHashIndex', () => {
  it.each([
    [64, 10, 'the cheaper of its cuts', undefined],
    [64, 10, 'three chunks', [[22, 21, 21]]],
    [64, 10, 'four chunks', [[16, 16, 16, 16]]],
    [64, 16, 'a scan (probing would cost more at this size)', undefined],
    [256, 31, 'sixteen chunks', undefined],
    [256, 70, 'a scan (probing would cost more at this size)', undefined],
  ])('answers a %i-bit search within %i bits through %s as a scan does', (bits, max, _, layouts) => {
    const index = new ImageHashIndex(bits, layouts);
    const stored: string[] = [];
    // Past the size below which every search compares every hash: the chunk tables answer.
    for (let i = 0; i < 6000; i++) {
      const near = i > 0 && i % 3 === 0;
      stored.push(near ? flip(stored[i - 1], Math.floor(rnd() * (max + 6))) : hex(bits / 4));
      index.add(i, hashWords(stored[i]));
    }
    for (let q = 0; q < 30; q++) {
      const query = flip(stored[Math.floor(rnd() * stored.length)], Math.floor(rnd() * max));
      const expected = new Map<number, number>();
      stored.forEach((h, id) => {
        const d = hammingDistance(hashWords(query), hashWords(h));
        if (d <= max) expected.set(id, d);
      });
      expect(new Map([...index.search(hashWords(query), max)].sort((a, b) => a[0] - b[0]))).toEqual(expected);
    }
  });
});

describe('FingerprintIndex', () => {
  it("keeps a fingerprint's closest hash across algorithms", () => {
    const index = new FingerprintIndex();
    index.add({ id: 1, title: 'karung bekas', images: [{ algorithm: 'phash', hash: '0000000000000000' }] });
    index.add({ id: 2, title: null, images: [{ algorithm: 'phash', hash: '00000000000000ff' }] });
    const got = index.searchImages(
      [
        { algorithm: 'phash', hash: '0000000000000003' },
        { algorithm: 'phash', hash: '000000000000000f' },
      ],
      { phash: 10, pdq: 31 },
    );
    expect(got.sort((a, b) => a.id - b.id)).toEqual([
      { id: 1, algorithm: 'phash', distance: 2 },
      { id: 2, algorithm: 'phash', distance: 4 },
    ]);
  });
});
