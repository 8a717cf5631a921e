/**
 * The demo's product photo, drawn rather than fetched: a flannel shirt on a bale of clothes, an SVG that sharp
 * rasterises the same way on every run (no randomness, no fonts, nothing from the network).
 */
import sharp from 'sharp';

const SIZE = 800;

function plaid(): string {
  const lines: string[] = [];
  for (let i = 0; i < 9; i++) {
    const at = 180 + i * 52;
    lines.push(
      `<rect x="${at}" y="150" width="${i % 3 === 0 ? 22 : 8}" height="560" fill="#1d2a44" opacity="0.7"/>`,
    );
    lines.push(
      `<rect x="120" y="${at}" width="560" height="${i % 3 === 0 ? 22 : 8}" fill="#1d2a44" opacity="0.6"/>`,
    );
  }
  return lines.join('');
}

const SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}">
  <defs>
    <linearGradient id="floor" x1="0" y1="0" x2="0.3" y2="1">
      <stop offset="0" stop-color="#e9dcc3"/><stop offset="1" stop-color="#8a6f4e"/>
    </linearGradient>
    <clipPath id="shirt">
      <path d="M250 150 L330 120 Q400 170 470 120 L550 150 L690 280 L610 360 L560 320 L560 710 L240 710 L240 320 L190 360 L110 280 Z"/>
    </clipPath>
  </defs>
  <rect width="${SIZE}" height="${SIZE}" fill="url(#floor)"/>
  <ellipse cx="400" cy="690" rx="360" ry="110" fill="#5b4a36"/>
  <ellipse cx="170" cy="600" rx="150" ry="90" fill="#3f6e8c"/>
  <ellipse cx="640" cy="590" rx="140" ry="95" fill="#9c8a2e"/>
  <g clip-path="url(#shirt)">
    <rect x="100" y="100" width="600" height="620" fill="#b3262e"/>
    ${plaid()}
  </g>
  <path d="M330 120 Q400 210 470 120 L445 112 Q400 165 355 112 Z" fill="#f1ece2"/>
  <rect x="385" y="200" width="30" height="500" fill="#7d1b21" opacity="0.5"/>
  <rect x="560" y="80" width="170" height="70" rx="8" fill="#f7f3ea"/>
  <rect x="575" y="98" width="140" height="12" fill="#222"/><rect x="575" y="120" width="90" height="10" fill="#222"/>
</svg>`;

/** The seller's photo as first listed: 800 × 800, JPEG quality 90. */
export function garmentPhoto(): Promise<Buffer> {
  return sharp(Buffer.from(SVG)).jpeg({ quality: 90 }).toBuffer();
}

/** The same photo as a relister uploads it again: resized to 480 px and recompressed at JPEG quality 40. */
export function recompressed(photo: Buffer): Promise<Buffer> {
  return sharp(photo).resize(480).jpeg({ quality: 40 }).toBuffer();
}
