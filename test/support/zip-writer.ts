/**
 * A tiny ZIP writer for tests: well-formed archives by default, and every field the strict reader checks can be set
 * wrong on purpose. Written by hand so malformed archives do not depend on what an archiving library allows.
 */
import { deflateRawSync } from 'node:zlib';
import { tableCrc32 } from '../../src/cli/zip-reader';

export interface TestZipEntry {
  /** A string is written as UTF-8 (flag bit 11 set when it is not ASCII); a Buffer as raw bytes, without the flag. */
  name: string | Buffer;
  data?: string | Buffer;
  method?: 'stored' | 'deflate';
  /** Flag bits to add in both headers (1 = encrypted, 1 << 11 = UTF-8, …). */
  flags?: number;
  /** Flag bits to clear in both headers. */
  clearFlags?: number;
  /** The CRC-32 written in both headers instead of the right one. */
  crc?: number;
  /** The size written in both headers instead of the right one. */
  size?: number;
  /** The compression method number written in both headers instead of 0 or 8. */
  methodNumber?: number;
  /** Written in the local header instead of the name. */
  localName?: string;
  /** The local header's CRC-32 instead of the right one. */
  localCrc?: number;
  /** The local header's method number instead of the right one. */
  localMethodNumber?: number;
  /** Sizes and CRC in a data descriptor after the data (bit 3), the local header's left zero. */
  descriptor?: 'signed' | 'unsigned';
  /** The CRC-32 written in the data descriptor instead of the right one. */
  descriptorCrc?: number;
  /** Bytes written after the compressed data and counted in the compressed size. */
  appendToData?: Buffer;
  /** Extra field, in both headers. */
  extra?: Buffer;
  /** The central directory points at the local header of that earlier entry (by index) instead of its own. */
  localOf?: number;
}

export interface TestZipOptions {
  /** The end record's entry count instead of the right one. */
  entryCount?: number;
  /** The end record's disk number. */
  disk?: number;
  comment?: string;
  /** Bytes between the entries and the central directory, with offsets that account for them. */
  gap?: Buffer;
}

export function zipOf(entries: TestZipEntry[], options: TestZipOptions = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  const offsets: number[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = typeof entry.name === 'string' ? Buffer.from(entry.name, 'utf8') : entry.name;
    const utf8 = typeof entry.name === 'string' && /[^\x00-\x7f]/u.test(entry.name) ? 1 << 11 : 0;
    const content = Buffer.from(entry.data ?? '');
    const deflate = entry.method === 'deflate';
    const packed = Buffer.concat([
      deflate ? deflateRawSync(content) : content,
      entry.appendToData ?? Buffer.alloc(0),
    ]);
    const crc = entry.crc ?? tableCrc32(content);
    const size = entry.size ?? content.length;
    const method = entry.methodNumber ?? (deflate ? 8 : 0);
    const flags = ((entry.descriptor ? 1 << 3 : 0) | utf8 | (entry.flags ?? 0)) & ~(entry.clearFlags ?? 0);
    const extra = entry.extra ?? Buffer.alloc(0);
    const localName = entry.localName === undefined ? name : Buffer.from(entry.localName, 'utf8');

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(entry.localMethodNumber ?? method, 8);
    local.writeUInt16LE(0x0021, 12); // 1980-01-01
    if (!entry.descriptor) {
      local.writeUInt32LE(entry.localCrc ?? crc, 14);
      local.writeUInt32LE(packed.length, 18);
      local.writeUInt32LE(size, 22);
    }
    local.writeUInt16LE(localName.length, 26);
    local.writeUInt16LE(extra.length, 28);
    let descriptor = Buffer.alloc(0);
    if (entry.descriptor) {
      const fields = Buffer.alloc(12);
      fields.writeUInt32LE(entry.descriptorCrc ?? crc, 0);
      fields.writeUInt32LE(packed.length, 4);
      fields.writeUInt32LE(size, 8);
      const signature = Buffer.alloc(4);
      signature.writeUInt32LE(0x08074b50, 0);
      descriptor = entry.descriptor === 'signed' ? Buffer.concat([signature, fields]) : fields;
    }
    const whole = Buffer.concat([local, localName, extra, packed, descriptor]);
    offsets.push(offset);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(0x0314, 4); // made by Unix, version 2.0
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(0x0021, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(extra.length, 30);
    central.writeUInt32LE(entry.localOf === undefined ? offset : offsets[entry.localOf], 42);
    centrals.push(Buffer.concat([central, name, extra]));
    if (entry.localOf === undefined) {
      locals.push(whole);
      offset += whole.length;
    }
  }
  const gap = options.gap ?? Buffer.alloc(0);
  const directory = Buffer.concat(centrals);
  const comment = Buffer.from(options.comment ?? '', 'utf8');
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(options.disk ?? 0, 4);
  end.writeUInt16LE(options.entryCount ?? entries.length, 8);
  end.writeUInt16LE(options.entryCount ?? entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset + gap.length, 16);
  end.writeUInt16LE(comment.length, 20);
  return Buffer.concat([...locals, gap, directory, end, comment]);
}
