/** Perceptual image hashes as the exchange stores and compares them: lower-case hex, most significant bit first. */

export const IMAGE_HASH_ALGORITHMS = ['phash', 'pdq'] as const;
export type ImageHashAlgorithm = (typeof IMAGE_HASH_ALGORITHMS)[number];

/** Hex characters per hash: phash is 64 bits, PDQ 256. */
export const HASH_HEX_LENGTH: Record<ImageHashAlgorithm, number> = { phash: 16, pdq: 64 };

export interface ImageHash {
  algorithm: ImageHashAlgorithm;
  hash: string;
  quality?: number;
}

const HEX = /^[0-9a-f]+$/;

/** Why `raw` is not an image hash, or null when it is one. */
export function imageHashProblem(raw: unknown): string | null {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'must be an object';
  const o = raw as Record<string, unknown>;
  for (const key in o)
    if (key !== 'algorithm' && key !== 'hash' && key !== 'quality')
      return `.${key.slice(0, 50)} is not allowed`;
  if (!(IMAGE_HASH_ALGORITHMS as readonly unknown[]).includes(o.algorithm))
    return `.algorithm must be one of ${IMAGE_HASH_ALGORITHMS.join(', ')}`;
  const length = HASH_HEX_LENGTH[o.algorithm as ImageHashAlgorithm];
  if (typeof o.hash !== 'string' || o.hash.length !== length || !HEX.test(o.hash))
    return `.hash must be ${length} lower-case hex characters for ${String(o.algorithm)}`;
  if (
    o.quality !== undefined &&
    (typeof o.quality !== 'number' || !Number.isInteger(o.quality) || o.quality < 0 || o.quality > 100)
  )
    return '.quality must be an integer from 0 to 100';
  return null;
}

/** The hash as 32-bit words, most significant first: the form the index and the brute-force scan compare. */
export function hashWords(hex: string): Uint32Array {
  const words = new Uint32Array(hex.length / 8);
  for (let i = 0; i < words.length; i++) words[i] = parseInt(hex.slice(i * 8, i * 8 + 8), 16) >>> 0;
  return words;
}

export function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Hamming distance between two hashes of the same algorithm, as words. */
export function hammingDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d += popcount32((a[i] ^ b[i]) >>> 0);
  return d;
}

/** sharp-phash's answer (64 characters of "0"/"1", most significant first) as 16 hex characters. */
export function phashBitsToHex(bits: string): string {
  if (!/^[01]{64}$/.test(bits)) throw new Error('a phash is 64 binary digits');
  let hex = '';
  for (let i = 0; i < 64; i += 4) hex += parseInt(bits.slice(i, i + 4), 2).toString(16);
  return hex;
}
