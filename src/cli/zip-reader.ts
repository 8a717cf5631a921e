/**
 * A strict ZIP reader on Node's standard library alone (it is bundled into the standalone verifier): every byte of
 * the archive must belong to exactly one entry, the central directory or the end record, and every entry must read
 * the same from its local header as from the central directory. Anything else is refused with the entry's name.
 */
import { readFileSync } from 'node:fs';
import * as zlib from 'node:zlib';
import { crc32, decodeCp437 } from './zip-codec';

export { crc32, tableCrc32 } from './zip-codec';

export interface ZipEntry {
  name: string;
  data: Buffer;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const DESCRIPTOR = 0x08074b50;
const EOCD_SIZE = 22;
const CENTRAL_SIZE = 46;
const LOCAL_SIZE = 30;

const FLAG_ENCRYPTED = 1 << 0;
const FLAG_DESCRIPTOR = 1 << 3;
const FLAG_UTF8 = 1 << 11;
// Bits 1–2 are deflate's speed hints; every other bit (strong encryption, patched data, masked headers, …) is refused.
const FLAGS_UNDERSTOOD = (1 << 1) | (1 << 2) | FLAG_DESCRIPTOR | FLAG_UTF8;

const STORED = 0;
const DEFLATED = 8;

const ZIP64_EXTRA = 0x0001;
const UNICODE_PATH_EXTRA = 0x7075;

export function readZipFile(file: string): ZipEntry[] {
  return readZipEntries(readFileSync(file));
}

/** All entries in central-directory order, duplicates included: judging the names is the layout check's work. */
export function readZipEntries(zip: Buffer): ZipEntry[] {
  const end = findEndOfCentralDirectory(zip);
  const central = readCentralDirectory(zip, end);
  checkTiling(zip, central, end.cdOffset);
  return central.map((entry) => ({ name: entry.name, data: extract(zip, entry) }));
}

interface EndOfCentralDirectory {
  offset: number;
  entries: number;
  cdSize: number;
  cdOffset: number;
}

interface CentralEntry {
  index: number;
  name: string;
  rawName: Buffer;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  /** Where the compressed bytes start and where the entry (data descriptor included) ends, once the local header is read. */
  dataStart: number;
  entryEnd: number;
}

function findEndOfCentralDirectory(zip: Buffer): EndOfCentralDirectory {
  if (zip.length < EOCD_SIZE) throw new Error(`not a ZIP: ${zip.length} bytes is shorter than an end record`);
  // The end record is followed only by its own comment: the first one from the end whose comment reaches exactly
  // the end of the file. Anything after the comment is trailing data and is refused.
  const lowest = Math.max(0, zip.length - EOCD_SIZE - 0xffff);
  let offset = -1;
  for (let i = zip.length - EOCD_SIZE; i >= lowest; i--) {
    if (zip.readUInt32LE(i) === EOCD && i + EOCD_SIZE + zip.readUInt16LE(i + 20) === zip.length) {
      offset = i;
      break;
    }
  }
  if (offset < 0) {
    const anywhere = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    throw new Error(
      anywhere >= 0
        ? `the end of central directory record at byte ${anywhere} does not end the file: trailing data after it, or a truncated file`
        : 'not a ZIP: no end of central directory record (truncated, or not a ZIP at all)',
    );
  }
  const disk = zip.readUInt16LE(offset + 4);
  const cdDisk = zip.readUInt16LE(offset + 6);
  const diskEntries = zip.readUInt16LE(offset + 8);
  const entries = zip.readUInt16LE(offset + 10);
  const cdSize = zip.readUInt32LE(offset + 12);
  const cdOffset = zip.readUInt32LE(offset + 16);
  if (
    entries === 0xffff ||
    cdSize === 0xffffffff ||
    cdOffset === 0xffffffff ||
    (offset >= 20 && zip.readUInt32LE(offset - 20) === ZIP64_LOCATOR)
  ) {
    throw new Error(
      'ZIP64 archives are not supported (an evidence package is far below 4 GB and 65,535 entries; this one was re-packed as ZIP64)',
    );
  }
  if (disk !== 0 || cdDisk !== 0 || diskEntries !== entries) {
    throw new Error('multi-disk (split or spanned) ZIP archives are not supported');
  }
  if (cdOffset + cdSize !== offset) {
    throw new Error(
      `the central directory (${cdSize} bytes at byte ${cdOffset}) does not end where the end record starts (byte ${offset}): data was prepended, inserted or cut`,
    );
  }
  return { offset, entries, cdSize, cdOffset };
}

function readCentralDirectory(zip: Buffer, end: EndOfCentralDirectory): CentralEntry[] {
  const entries: CentralEntry[] = [];
  let at = end.cdOffset;
  for (let index = 0; index < end.entries; index++) {
    const where = `central directory entry ${index + 1} of ${end.entries}`;
    if (at + CENTRAL_SIZE > end.offset || zip.readUInt32LE(at) !== CENTRAL) {
      throw new Error(`${where}: no central directory header at byte ${at}`);
    }
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const next = at + CENTRAL_SIZE + nameLength + extraLength + commentLength;
    if (next > end.offset) throw new Error(`${where}: runs past the end of the central directory`);
    const rawName = zip.subarray(at + CENTRAL_SIZE, at + CENTRAL_SIZE + nameLength);
    const flags = zip.readUInt16LE(at + 8);
    const name = decodeName(rawName, flags, where);
    const entry: CentralEntry = {
      index,
      name,
      rawName,
      flags,
      method: zip.readUInt16LE(at + 10),
      crc: zip.readUInt32LE(at + 16),
      compressedSize: zip.readUInt32LE(at + 20),
      size: zip.readUInt32LE(at + 24),
      localOffset: zip.readUInt32LE(at + 42),
      dataStart: 0,
      entryEnd: 0,
    };
    const label = `entry ${JSON.stringify(name)}`;
    if (zip.readUInt16LE(at + 34) !== 0)
      throw new Error(`${label}: lies on another disk of a multi-disk archive`);
    checkFlagsAndMethod(entry, label);
    if (
      entry.compressedSize === 0xffffffff ||
      entry.size === 0xffffffff ||
      entry.localOffset === 0xffffffff
    ) {
      throw new Error(`${label}: ZIP64 sizes or offset are not supported`);
    }
    checkExtra(
      zip.subarray(at + CENTRAL_SIZE + nameLength, at + CENTRAL_SIZE + nameLength + extraLength),
      label,
    );
    if (entry.method === STORED && entry.compressedSize !== entry.size) {
      throw new Error(
        `${label}: stored (not compressed) but its compressed size ${entry.compressedSize} differs from its size ${entry.size}`,
      );
    }
    entries.push(entry);
    at = next;
  }
  if (at !== end.offset) {
    throw new Error(
      `the central directory holds ${end.offset - at} bytes more than its ${end.entries} entries (the end record counts fewer entries than there are)`,
    );
  }
  return entries;
}

function checkFlagsAndMethod(entry: { flags: number; method: number }, label: string): void {
  if (entry.flags & FLAG_ENCRYPTED) throw new Error(`${label}: is encrypted`);
  const unknown = entry.flags & ~FLAGS_UNDERSTOOD;
  if (unknown) {
    throw new Error(
      `${label}: uses general purpose flags 0x${unknown.toString(16)} this reader does not accept`,
    );
  }
  if (entry.method !== STORED && entry.method !== DEFLATED) {
    throw new Error(
      `${label}: compression method ${entry.method} is not supported (only 0, stored, and 8, deflate)`,
    );
  }
}

function checkExtra(extra: Buffer, label: string): void {
  let at = 0;
  while (at + 4 <= extra.length) {
    const id = extra.readUInt16LE(at);
    const size = extra.readUInt16LE(at + 2);
    if (id === ZIP64_EXTRA) throw new Error(`${label}: carries a ZIP64 extra field; ZIP64 is not supported`);
    // A second name beside the header's would let two readers see two different files.
    if (id === UNICODE_PATH_EXTRA) throw new Error(`${label}: carries a second (Info-ZIP Unicode path) name`);
    at += 4 + size;
  }
  if (at !== extra.length) throw new Error(`${label}: its extra field is malformed`);
}

/** Reads the local header of every entry and checks that, in offset order, the entries tile the bytes before the central directory. */
function checkTiling(zip: Buffer, entries: CentralEntry[], cdOffset: number): void {
  for (const entry of entries) readLocalHeader(zip, entry, cdOffset);
  const byOffset = [...entries].sort((a, b) => a.localOffset - b.localOffset);
  let expected = 0;
  let previous: CentralEntry | undefined;
  for (const entry of byOffset) {
    const label = `entry ${JSON.stringify(entry.name)}`;
    if (entry.localOffset < expected) {
      throw new Error(
        `${label}: overlaps ${previous ? `entry ${JSON.stringify(previous.name)}` : 'another entry'} (starts at byte ${entry.localOffset}, before byte ${expected})`,
      );
    }
    if (entry.localOffset > expected) {
      throw new Error(
        `${label}: starts at byte ${entry.localOffset}, but the bytes from ${expected} belong to no entry${expected === 0 ? ' (data prepended to the archive)' : ''}`,
      );
    }
    expected = entry.entryEnd;
    previous = entry;
  }
  if (expected !== cdOffset) {
    throw new Error(
      `the bytes from ${expected} to the central directory at byte ${cdOffset} belong to no entry${entries.length ? '' : ' (an empty archive with data in it)'}`,
    );
  }
}

function readLocalHeader(zip: Buffer, entry: CentralEntry, cdOffset: number): void {
  const label = `entry ${JSON.stringify(entry.name)}`;
  const at = entry.localOffset;
  if (at + LOCAL_SIZE > cdOffset || zip.readUInt32LE(at) !== LOCAL) {
    throw new Error(`${label}: no local header at byte ${at}`);
  }
  const flags = zip.readUInt16LE(at + 6);
  const method = zip.readUInt16LE(at + 8);
  const crc = zip.readUInt32LE(at + 14);
  const compressedSize = zip.readUInt32LE(at + 18);
  const size = zip.readUInt32LE(at + 22);
  const nameLength = zip.readUInt16LE(at + 26);
  const extraLength = zip.readUInt16LE(at + 28);
  const nameStart = at + LOCAL_SIZE;
  const dataStart = nameStart + nameLength + extraLength;
  if (dataStart > cdOffset) throw new Error(`${label}: its local header runs into the central directory`);
  const localName = zip.subarray(nameStart, nameStart + nameLength);
  if (!localName.equals(entry.rawName)) {
    throw new Error(
      `${label}: its local header names it ${JSON.stringify(localName.toString('latin1'))}; the central directory and the local header must agree`,
    );
  }
  if (flags !== entry.flags) {
    throw new Error(
      `${label}: general purpose flags 0x${flags.toString(16)} in the local header, 0x${entry.flags.toString(16)} in the central directory`,
    );
  }
  if (method !== entry.method) {
    throw new Error(
      `${label}: compression method ${method} in the local header, ${entry.method} in the central directory`,
    );
  }
  checkExtra(zip.subarray(nameStart + nameLength, dataStart), label);
  const fields: [string, number, number][] = [
    ['CRC-32', crc, entry.crc],
    ['compressed size', compressedSize, entry.compressedSize],
    ['size', size, entry.size],
  ];
  for (const [what, local, central] of fields) {
    // With a data descriptor the local header may leave these zero; whatever it states must still agree.
    if (local !== central && !(entry.flags & FLAG_DESCRIPTOR && local === 0)) {
      throw new Error(`${label}: ${what} ${local} in the local header, ${central} in the central directory`);
    }
  }
  const dataEnd = dataStart + entry.compressedSize;
  if (dataEnd > cdOffset) {
    throw new Error(`${label}: its ${entry.compressedSize} compressed bytes run into the central directory`);
  }
  entry.dataStart = dataStart;
  entry.entryEnd =
    entry.flags & FLAG_DESCRIPTOR ? dataEnd + descriptorLength(zip, entry, dataEnd, cdOffset) : dataEnd;
}

/** The data descriptor after an entry's data: 16 bytes with its optional signature, 12 without. */
function descriptorLength(zip: Buffer, entry: CentralEntry, at: number, cdOffset: number): number {
  const matches = (from: number) =>
    from + 12 <= cdOffset &&
    zip.readUInt32LE(from) === entry.crc &&
    zip.readUInt32LE(from + 4) === entry.compressedSize &&
    zip.readUInt32LE(from + 8) === entry.size;
  if (at + 4 <= cdOffset && zip.readUInt32LE(at) === DESCRIPTOR && matches(at + 4)) return 16;
  if (matches(at)) return 12;
  throw new Error(
    `entry ${JSON.stringify(entry.name)}: its data descriptor does not state the CRC-32 and sizes of the central directory`,
  );
}

function extract(zip: Buffer, entry: CentralEntry): Buffer {
  const label = `entry ${JSON.stringify(entry.name)}`;
  const compressed = zip.subarray(entry.dataStart, entry.dataStart + entry.compressedSize);
  let data: Buffer;
  if (entry.method === STORED) {
    data = compressed;
  } else {
    let result: { buffer: Buffer; engine: { bytesWritten: number } };
    try {
      result = zlib.inflateRawSync(compressed, {
        // Never more than the central directory announced: a bomb stops here, not in memory.
        maxOutputLength: Math.max(entry.size, 1),
        info: true,
      }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new Error(`${label}: its deflate data does not inflate to ${entry.size} bytes: ${why}`);
    }
    data = result.buffer;
    if (result.engine.bytesWritten !== compressed.length) {
      throw new Error(
        `${label}: its deflate stream ends after ${result.engine.bytesWritten} of its ${compressed.length} compressed bytes`,
      );
    }
  }
  if (data.length !== entry.size) {
    throw new Error(`${label}: holds ${data.length} bytes, the central directory says ${entry.size}`);
  }
  const crc = crc32(data);
  if (crc !== entry.crc) {
    throw new Error(
      `${label}: CRC-32 ${hex32(crc)} of its content differs from ${hex32(entry.crc)} in the central directory`,
    );
  }
  return data;
}

function decodeName(raw: Buffer, flags: number, where: string): string {
  if (raw.length === 0) throw new Error(`${where}: has an empty name`);
  if (flags & FLAG_UTF8) {
    try {
      return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(raw);
    } catch {
      throw new Error(
        `${where}: its name ${JSON.stringify(raw.toString('latin1'))} is flagged UTF-8 but is not`,
      );
    }
  }
  return decodeCp437(raw);
}

const hex32 = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;
