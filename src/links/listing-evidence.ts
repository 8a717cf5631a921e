import { imageHashProblem } from '../matching/image-hash';
import type { ListingEvidence } from './link.entity';

/** At most this many image hashes per listing: a listing's photos, not a catalogue. */
export const MAX_IMAGE_HASHES = 20;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Text PostgreSQL cannot store fails the whole statement, so it must be caught here, as one item's error. */
export function unstorable(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  if (v.includes('\u0000')) return 'must not contain the NUL character (U+0000)';
  // jsonb refuses an escaped lone surrogate ("\ud800"): invalid input syntax for type json.
  if (LONE_SURROGATE.test(v)) return 'must be well-formed Unicode (a lone surrogate is not)';
  return null;
}

const text =
  (max: number, min = 0) =>
  (v: unknown) =>
    typeof v === 'string' && v.length >= min && v.length <= max
      ? null
      : `must be a string of ${min}-${max} characters`;

const RULES: Record<keyof ListingEvidence, (v: unknown) => string | null> = {
  title: text(500),
  description: text(5000),
  sellerRef: text(200, 1),
  sellerName: text(200),
  price: (v) =>
    typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1e15
      ? null
      : 'must be a number from 0 to 1e15',
  currency: (v) => (typeof v === 'string' && /^[A-Z]{3}$/.test(v) ? null : 'must be an ISO 4217 code'),
  screenshotSha256: (v) =>
    typeof v === 'string' && /^[0-9a-f]{64}$/.test(v) ? null : 'must be 64 lower-case hex characters',
  imageHashes: (v) => {
    if (!Array.isArray(v) || v.length > MAX_IMAGE_HASHES)
      return `must be a list of at most ${MAX_IMAGE_HASHES}`;
    for (let i = 0; i < v.length; i++) {
      const problem = imageHashProblem(v[i]);
      if (problem) return `[${i}]${problem}`;
    }
    return null;
  },
};

/**
 * Reads a listing's evidence (`at` names it in messages, e.g. "listing"); a string is the item's error. Hand-written:
 * it runs for every item of a 5,000-item request.
 */
export function readListingEvidence(raw: unknown, at = 'listing'): ListingEvidence | string {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return `${at} must be an object`;
  const l = raw as Record<string, unknown>;
  for (const key in l) {
    const rule = (RULES as Record<string, ((v: unknown) => string | null) | undefined>)[key];
    if (!rule) return `${at}.${key.slice(0, 50)} is not allowed`;
    const problem = rule(l[key]) ?? unstorable(l[key]);
    // A nested problem names its own path ("[0].hash must be ..."), joined without a space.
    if (problem) return `${at}.${key}${/^[.[]/.test(problem) ? '' : ' '}${problem}`;
  }
  return l;
}

/** An item's optional listing evidence: null when absent, a string when it is the item's error. */
export function readOptionalListing(raw: unknown): ListingEvidence | null | string {
  return raw === undefined ? null : readListingEvidence(raw);
}
