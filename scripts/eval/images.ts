/** Generated "garment photos" and their evasion variants, hashed with sharp-phash as POST /v1/fingerprints does. */
import sharp, { type Sharp } from 'sharp';
import phash from 'sharp-phash';
import { hammingDistance, hashWords, phashBitsToHex } from '../../src/matching/image-hash';
import { Pair, pick, random } from './rates';

const W = 480;
const H = 600;
const COLOURS = '#1f3a5f|#8e2c2c|#2e6b3a|#c9a227|#5b3f8c|#d9d4c7|#222222|#b5651d|#4a90a4|#e07a5f'.split('|');
const GARMENTS = [
  // t-shirt, trousers, jacket, dress: silhouettes in a 100×100 box
  'M20 15 L38 8 Q50 16 62 8 L80 15 L95 35 L80 42 L76 30 L76 92 L24 92 L24 30 L20 42 L5 35 Z',
  'M28 8 L72 8 L78 95 L56 95 L50 35 L44 95 L22 95 Z',
  'M18 12 L40 6 L50 20 L60 6 L82 12 L92 60 L80 62 L78 94 L22 94 L20 62 L8 60 Z',
  'M38 6 L62 6 L64 28 L85 94 L15 94 L36 28 Z',
];

function patternSvg(rnd: () => number, id: string): string {
  const [a, b] = [pick(rnd, COLOURS), pick(rnd, COLOURS)];
  const size = 6 + Math.floor(rnd() * 18);
  const kind = Math.floor(rnd() * 4);
  const inner =
    kind === 0
      ? `<rect width="${size}" height="${size / 2}" fill="${b}"/>`
      : kind === 1
        ? `<rect width="${size / 2}" height="${size / 2}" fill="${b}"/><rect x="${size / 2}" y="${size / 2}" width="${size / 2}" height="${size / 2}" fill="${b}"/>`
        : kind === 2
          ? `<circle cx="${size / 2}" cy="${size / 2}" r="${size / 4}" fill="${b}"/>`
          : '';
  const rotate = Math.floor(rnd() * 90);
  return `<pattern id="${id}" width="${size}" height="${size}" patternUnits="userSpaceOnUse" patternTransform="rotate(${rotate})"><rect width="${size}" height="${size}" fill="${a}"/>${inner}</pattern>`;
}

/** One base photo: a lit backdrop, a patterned garment at some place and size, folds, clutter and sensor noise. */
async function basePhoto(seed: number): Promise<Buffer> {
  const rnd = random(seed);
  const [bg1, bg2] = [pick(rnd, COLOURS), pick(rnd, COLOURS)];
  const scale = 3 + rnd() * 2.5;
  const [x, y] = [rnd() * (W - 100 * scale), rnd() * (H - 100 * scale)];
  const folds = Array.from({ length: 3 + Math.floor(rnd() * 5) }, () => {
    const [fx, fy] = [rnd() * 100, rnd() * 100];
    return `<path d="M${fx} ${fy} q${rnd() * 30 - 15} ${rnd() * 30} ${rnd() * 40 - 20} ${rnd() * 40}" stroke="#000" stroke-opacity="0.25" stroke-width="${1 + rnd() * 2}" fill="none"/>`;
  }).join('');
  const clutter = Array.from({ length: Math.floor(rnd() * 6) }, () => {
    const c = pick(rnd, COLOURS);
    return `<circle cx="${rnd() * W}" cy="${rnd() * H}" r="${10 + rnd() * 50}" fill="${c}" fill-opacity="0.6"/>`;
  }).join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">
    <defs><linearGradient id="bg" x1="0" y1="0" x2="${rnd()}" y2="1"><stop offset="0" stop-color="${bg1}"/><stop offset="1" stop-color="${bg2}"/></linearGradient>${patternSvg(rnd, 'p')}</defs>
    <rect width="100%" height="100%" fill="url(#bg)"/>${clutter}
    <g transform="translate(${x} ${y}) scale(${scale})"><path d="${pick(rnd, GARMENTS)}" fill="url(#p)" stroke="#111" stroke-width="0.6"/>${folds}</g>
  </svg>`;
  const noise = Buffer.alloc(W * H * 4);
  for (let i = 0; i < noise.length; i += 4) {
    noise.fill(Math.floor(rnd() * 256), i, i + 3);
    noise[i + 3] = 28;
  }
  return sharp(Buffer.from(svg))
    .composite([{ input: noise, raw: { width: W, height: H, channels: 4 } }])
    .jpeg({ quality: 92 })
    .toBuffer();
}

const textOverlay = (width: number, height: number) =>
  Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><text x="50%" y="${height * 0.9}" text-anchor="middle" font-family="DejaVu Sans" font-weight="bold" font-size="${Math.round(width / 10)}" fill="#fff" stroke="#000" stroke-width="2">PRELOVED 100KG</text></svg>`,
  );

async function cropped(image: Buffer, rnd: () => number): Promise<Sharp> {
  const { width = W, height = H } = await sharp(image).metadata();
  const cut = (n: number) => Math.round(n * (0.03 + rnd() * 0.05));
  const [l, t, r, b] = [cut(width), cut(height), cut(width), cut(height)];
  const part = await sharp(image)
    .extract({ left: l, top: t, width: width - l - r, height: height - t - b })
    .toBuffer();
  return sharp(part).resize(width, height, { fit: 'fill' });
}

const brightness = (rnd: () => number) => (rnd() < 0.5 ? -1 : 1) * (0.15 + rnd() * 0.1) + 1;

/** The evasions a relisting seller applies, each deterministic from the seed. */
export const VARIANTS: Record<string, (image: Buffer, rnd: () => number) => Promise<Buffer>> = {
  'resized 50%': (i) =>
    sharp(i)
      .resize(W / 2)
      .jpeg({ quality: 85 })
      .toBuffer(),
  'resized 200%': (i) =>
    sharp(i)
      .resize(W * 2)
      .jpeg({ quality: 85 })
      .toBuffer(),
  'JPEG q30–60': (i, rnd) =>
    sharp(i)
      .jpeg({ quality: 30 + Math.floor(rnd() * 31) })
      .toBuffer(),
  'cropped 3–8%': async (i, rnd) => (await cropped(i, rnd)).jpeg({ quality: 85 }).toBuffer(),
  'brightness ±15–25%': (i, rnd) =>
    sharp(i)
      .modulate({ brightness: brightness(rnd) })
      .jpeg({ quality: 85 })
      .toBuffer(),
  'text overlaid': (i) =>
    sharp(i)
      .composite([{ input: textOverlay(W, H) }])
      .jpeg({ quality: 85 })
      .toBuffer(),
  combined: async (i, rnd) => {
    const c = await (await cropped(i, rnd)).modulate({ brightness: brightness(rnd) }).toBuffer();
    const t = await sharp(c)
      .composite([{ input: textOverlay(W, H) }])
      .toBuffer();
    return sharp(t)
      .resize(W / 2)
      .jpeg({ quality: 30 + Math.floor(rnd() * 31) })
      .toBuffer();
  },
};

const hashOf = async (image: Buffer) => hashWords(phashBitsToHex(await phash(image)));

/** Every base against each of its variants (positives), and every image against every other base's (negatives). */
export async function imagePairs(bases: number, seed: number): Promise<Pair[]> {
  const sets: { kind: string; hash: Uint32Array }[][] = [];
  for (let b = 0; b < bases; b++) {
    const rnd = random(seed * 1000 + b);
    const base = await basePhoto(seed * 1000 + b);
    const set = [{ kind: 'original', hash: await hashOf(base) }];
    for (const [kind, make] of Object.entries(VARIANTS))
      set.push({ kind, hash: await hashOf(await make(base, rnd)) });
    sets.push(set);
  }
  const pairs: Pair[] = [];
  for (const set of sets)
    for (const v of set.slice(1)) pairs.push({ kind: v.kind, value: hammingDistance(set[0].hash, v.hash) });
  for (let a = 0; a < sets.length; a++)
    for (let b = a + 1; b < sets.length; b++)
      for (const x of sets[a])
        for (const y of sets[b]) pairs.push({ kind: null, value: hammingDistance(x.hash, y.hash) });
  return pairs;
}

/** One base and its variants as files, to look at (EVAL_SAMPLES=dir). */
export async function writeSamples(dir: string, seed: number): Promise<void> {
  const base = await basePhoto(seed * 1000);
  const rnd = random(seed * 1000);
  await sharp(base).toFile(`${dir}/original.jpg`);
  for (const [kind, make] of Object.entries(VARIANTS))
    await sharp(await make(base, rnd)).toFile(`${dir}/${kind.replace(/[^a-z0-9]+/gi, '-')}.jpg`);
}
