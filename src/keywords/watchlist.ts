import { containsPhrase, plainTokens, titleTokens } from '../matching/title-normalisation';

export const MATCH_TYPES = ['token', 'phrase'] as const;
export type MatchType = (typeof MATCH_TYPES)[number];

/** An active watchlist term as matching uses it: the term and its variants, each as the words it is made of. */
export interface WatchTerm {
  id: string;
  term: string;
  matchType: MatchType;
  /** The term and each variant as plain words (code words left as written). */
  forms: string[][];
  /** The same as matching's folded words (code words folded onto the word they replaced). */
  folded: string[][];
}

export function watchTerm(row: {
  id: string;
  term: string;
  variants: string[];
  match_type: MatchType;
}): WatchTerm {
  const spellings = [row.term, ...row.variants];
  return {
    id: row.id,
    term: row.term,
    matchType: row.match_type,
    forms: spellings.map(plainTokens).filter((f) => f.length > 0),
    folded: spellings.map(titleTokens).filter((f) => f.length > 0),
  };
}

/** Whether a form occurs in a title's words: as whole words (token) or anywhere in its text, inside words too (phrase). */
function occurs(words: string[], text: string, form: string[], type: MatchType): boolean {
  return type === 'token' ? containsPhrase(words, form) : text.includes(form.join(' '));
}

/**
 * The terms a title holds, in the words sellers wrote: "preloved" is a hit of the term "preloved", not of "bekas".
 * What the watchlist's hits and suggestions count.
 */
export function termsInTitle(title: string, terms: readonly WatchTerm[]): WatchTerm[] {
  if (terms.length === 0) return [];
  const words = plainTokens(title);
  const text = words.join(' ');
  return terms.filter((t) => t.forms.some((f) => occurs(words, text, f, t.matchType)));
}

/**
 * The terms among already folded title words (matching's keyword signal): a term is there as written or as any word
 * its code-word family folds onto, so "bal" finds "karung" too.
 */
export function termsInFolded(words: string[], terms: readonly WatchTerm[]): WatchTerm[] {
  if (terms.length === 0) return [];
  const text = words.join(' ');
  return terms.filter((t) => t.folded.some((f) => occurs(words, text, f, t.matchType)));
}
