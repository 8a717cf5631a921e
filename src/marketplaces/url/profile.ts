import type { CanonicalParts } from './canonical-url';

/** A marketplace's own identity of a listing, read from its canonical URL; null when the URL names no listing. */
export interface UrlProfile {
  code: string;
  listingKey(parts: CanonicalParts): string | null;
  /** Parameters this marketplace adds to shared links, beyond the trackers removed everywhere. */
  isTrackingParam?: (name: string) => boolean;
}
