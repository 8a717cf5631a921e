/** The image media types POST /v1/fingerprints takes, and the magic bytes that say which one a body really is. */
export const IMAGE_MEDIA_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type ImageMediaType = (typeof IMAGE_MEDIA_TYPES)[number];

/** Largest decoded image hashed: width × height. */
export const MAX_IMAGE_PIXELS = 50_000_000;

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Which of the three formats the bytes begin as, or null: no other decoder of sharp's (SVG, TIFF, GIF…) is reached. */
export function sniffImageType(body: Buffer): ImageMediaType | null {
  if (body.length >= 3 && body[0] === 0xff && body[1] === 0xd8 && body[2] === 0xff) return 'image/jpeg';
  if (body.length >= 8 && body.subarray(0, 8).equals(PNG)) return 'image/png';
  if (
    body.length >= 12 &&
    body.toString('latin1', 0, 4) === 'RIFF' &&
    body.toString('latin1', 8, 12) === 'WEBP'
  )
    return 'image/webp';
  return null;
}

/** The declared media type without parameters, lower-cased. */
export function declaredImageType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}
