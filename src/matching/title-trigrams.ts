/**
 * Trigrams exactly as PostgreSQL's pg_trgm makes them, so an in-process index answers what `similarity()` would:
 * each word (a run of letters and digits, lower-cased) padded with two spaces before and one after, every three
 * consecutive characters of that, duplicates dropped. Similarity is shared / (|a| + |b| − shared), in float4.
 */

const WORD = /[\p{L}\p{N}]+/gu;

export function trigramsOf(text: string): Set<string> {
  const out = new Set<string>();
  for (const [word] of text.toLowerCase().matchAll(WORD)) {
    const chars = [...`  ${word} `];
    for (let i = 0; i + 3 <= chars.length; i++) out.add(chars[i] + chars[i + 1] + chars[i + 2]);
  }
  return out;
}

/** pg_trgm's CALCSML: the count and lengths are float4 in C, and so is the quotient. */
export function trigramSimilarity(shared: number, lengthA: number, lengthB: number): number {
  if (lengthA === 0 || lengthB === 0) return 0;
  return Math.fround(Math.fround(shared) / Math.fround(lengthA + lengthB - shared));
}

/** similarity(a, b) computed from the texts, for specs and brute-force checks. */
export function similarity(a: string, b: string): number {
  const ta = trigramsOf(a);
  const tb = trigramsOf(b);
  let shared = 0;
  for (const g of ta) if (tb.has(g)) shared++;
  return trigramSimilarity(shared, ta.size, tb.size);
}
