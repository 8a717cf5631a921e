/** When two listings are the same goods: the defaults are justified by `npm run eval:matching` (docs/matching.md). */
export interface MatchThresholds {
  /** Largest Hamming distance, in bits of 64, at which two phashes are one photo. */
  phashDistance: number;
  /** Largest Hamming distance, in bits of 256, at which two PDQ hashes are one photo (Meta recommends 31). */
  pdqDistance: number;
  /** Smallest trigram similarity of normalised titles, in percent (pg_trgm's similarity() × 100). */
  titleSimilarityPercent: number;
}

export const DEFAULT_THRESHOLDS: MatchThresholds = {
  phashDistance: 10,
  pdqDistance: 31,
  titleSimilarityPercent: 70,
};
