import { termsInFolded, termsInTitle, watchTerm } from './watchlist';
import { titleTokens } from '../matching/title-normalisation';

const term = (t: string, variants: string[] = [], matchType: 'token' | 'phrase' = 'token') =>
  watchTerm({ id: t, term: t, variants, match_type: matchType });
const found = (title: string, terms: ReturnType<typeof term>[]) =>
  termsInTitle(title, terms).map((t) => t.term);

describe('watchlist matching', () => {
  it('finds a token term as whole words, in any case, accent or digits-for-letters', () => {
    const bal = term('bal');
    expect(found('BAL pakaian', [bal])).toEqual(['bal']);
    expect(found('Bál pakaian', [bal])).toEqual(['bal']);
    expect(found('b4l pakaian', [bal])).toEqual(['bal']);
    expect(found('Balon ulang tahun', [bal])).toEqual([]);
    expect(found('kebal', [bal])).toEqual([]);
  });

  it('finds a phrase term anywhere, inside words too', () => {
    const optim = term('optimiz', [], 'phrase');
    expect(found('Kaos pre-optimized', [optim])).toEqual(['optimiz']);
    expect(found('Kaos optimal', [optim])).toEqual([]);
    expect(found('preloved impor', [term('loved imp', [], 'phrase')])).toEqual(['loved imp']);
  });

  it('counts a variant as the term, and a multi-word form only in order', () => {
    const preloved = term('preloved', ['pre loved', 'prelove']);
    expect(found('Celana pre-loved', [preloved])).toEqual(['preloved']);
    expect(found('Celana prelove', [preloved])).toEqual(['preloved']);
    expect(found('Celana loved pre', [preloved])).toEqual([]);
  });

  it('keeps code words as written for hits, but folds them for matching’s keyword signal', () => {
    const preloved = term('preloved');
    // The seller wrote "bekas": not a hit of "preloved", which is what the watchlist learns from.
    expect(found('Kemeja bekas', [preloved])).toEqual([]);
    // Matching's keyword signal folds both onto "bekas": the same goods under another word.
    expect(termsInFolded(titleTokens('Kemeja bekas'), [preloved]).map((t) => t.term)).toEqual(['preloved']);
  });

  it('ignores a term that has no words once normalised', () => {
    expect(found('anything', [term('---')])).toEqual([]);
  });
});
