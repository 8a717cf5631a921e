/** The CRC-32 and the code page 437 names of ZIP entries, on Node's standard library alone (the verifier bundles it). */
import * as zlib from 'node:zlib';

type Crc32 = (data: Uint8Array) => number;
// zlib.crc32 exists from Node 20.15 and 22.2; the verifier also runs on older 20.x.
const nativeCrc32 = (zlib as unknown as { crc32?: Crc32 }).crc32;
let table: Uint32Array | undefined;

export function crc32(data: Uint8Array): number {
  return nativeCrc32 ? nativeCrc32(data) : tableCrc32(data);
}

export function tableCrc32(data: Uint8Array): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const byte of data) crc = table[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

// Bytes 0x80–0xFF of code page 437, the names' encoding when the UTF-8 flag is not set.
const CP437_HIGH = [
  'ÇüéâäàåçêëèïîìÄÅ',
  'ÉæÆôöòûùÿÖÜ¢£¥₧ƒ',
  'áíóúñÑªº¿⌐¬½¼¡«»',
  '░▒▓│┤╡╢╖╕╣║╗╝╜╛┐',
  '└┴┬├─┼╞╟╚╔╩╦╠═╬╧',
  '╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀',
  'αßΓπΣσµτΦΘΩδ∞φε∩',
  '≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0',
].join('');

/** A name without the UTF-8 flag, read as code page 437. */
export function decodeCp437(raw: Uint8Array): string {
  let name = '';
  for (const byte of raw) name += byte < 0x80 ? String.fromCharCode(byte) : CP437_HIGH[byte - 0x80];
  return name;
}
