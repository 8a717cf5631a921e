/**
 * How a listing title is made comparable before trigram similarity: the part done here, in code, is case, accents
 * (decomposed and stripped, so the code words below are found in "békas" too), punctuation and spacing, digits
 * written for letters inside words ("b3k4s" → "bekas", while "100kg" and "2023" stay), and the 2023 campaign's code
 * words folded onto the word they replaced. The stored column then passes through PostgreSQL's `unaccent()` as well
 * (for letters that do not decompose: ø, ß, æ, ł), which is why the normalised title is a column of its own: unaccent
 * is not immutable and cannot be indexed directly.
 */

/** Each family's variants fold onto its first word. Versioned with the code: stored titles were folded by it. */
export const CODE_WORD_FAMILIES: readonly (readonly string[])[] = [
  ['bekas', 'used', 'preloved', 'pre loved', 'pre optimized', 'preoptimized', 'second', 'seken', 'thrift'],
  ['bal', 'bola', 'karung', 'bale', 'ball'],
];

const LEET: Record<string, string> = {
  '0': 'o',
  '1': 'i',
  '2': 'z',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '6': 'g',
  '7': 't',
  '8': 'b',
  '9': 'g',
};

const HAS_LETTER = /\p{L}/u;
const HAS_DIGIT = /\d/;
/** A quantity with its unit ("100kg", "2pcs", "3xl") or a number with a suffix: digits that are digits. */
const QUANTITY = /^\d+(?:[.,]\d+)?\p{L}{1,4}$/u;

function unLeet(token: string): string {
  if (!HAS_DIGIT.test(token) || !HAS_LETTER.test(token) || QUANTITY.test(token)) return token;
  return token.replace(/\d/g, (d) => LEET[d]);
}

/** Longest variants first, so "pre loved" is folded before a shorter variant could take part of it. */
const VARIANTS: { words: string[]; canonical: string }[] = CODE_WORD_FAMILIES.flatMap((family) =>
  family.map((variant) => ({ words: variant.split(' '), canonical: family[0] })),
).sort((a, b) => b.words.length - a.words.length);

function foldCodeWords(tokens: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length;) {
    const hit = VARIANTS.find((v) => v.words.every((w, k) => tokens[i + k] === w));
    if (hit) {
      out.push(hit.canonical);
      i += hit.words.length;
    } else out.push(tokens[i++]);
  }
  return out;
}

/** The words of a text as matching compares them. */
export function titleTokens(text: string): string[] {
  return foldCodeWords(plainTokens(text));
}

/**
 * The words of a text with case, accents, punctuation and digits-for-letters undone, but the code words left as they
 * are: what the watchlist counts, since which word sellers use now is what it is there to learn.
 */
export function plainTokens(text: string): string[] {
  const plain = text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  if (plain === '') return [];
  return plain.split(' ').map(unLeet);
}

/** The title as stored (before unaccent) and compared: tokens joined by single spaces. */
export function normaliseTitle(text: string): string {
  return titleTokens(text).join(' ');
}

/** Whether `phrase` (already tokenised) occurs as whole words in `tokens`. */
export function containsPhrase(tokens: string[], phrase: string[]): boolean {
  if (phrase.length === 0) return false;
  outer: for (let i = 0; i + phrase.length <= tokens.length; i++) {
    for (let k = 0; k < phrase.length; k++) if (tokens[i + k] !== phrase[k]) continue outer;
    return true;
  }
  return false;
}

/** A seller name as compared across marketplaces: the same folding, without code words' meaning mattering. */
export function normaliseSellerName(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[^\p{L}\p{N}]+/gu, '');
}
