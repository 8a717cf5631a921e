import archiver from 'archiver';
import { PassThrough } from 'node:stream';
import { zipOf } from '../../test/support/zip-writer';
import { crc32, readZipEntries, tableCrc32 } from './zip-reader';

const lines = '{"id":"a"}\n'.repeat(500);

function withArchiver(add: (zip: archiver.Archiver) => void): Promise<Buffer> {
  const zip = archiver('zip', { zlib: { level: 6 } });
  const chunks: Buffer[] = [];
  zip.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    zip.on('end', () => resolve(Buffer.concat(chunks)));
    zip.on('error', reject);
  });
  add(zip);
  void zip.finalize();
  return done;
}

describe('readZipEntries', () => {
  it('reads stored and deflated entries in central-directory order, duplicates included', () => {
    const zip = zipOf([
      { name: 'b.txt', data: 'stored' },
      { name: 'a.jsonl', data: lines, method: 'deflate' },
      { name: 'b.txt', data: 'again', method: 'deflate' },
      { name: 'empty', data: '' },
      { name: 'empty-deflated', data: '', method: 'deflate' },
    ]);
    expect(readZipEntries(zip).map((e) => [e.name, e.data.toString()])).toEqual([
      ['b.txt', 'stored'],
      ['a.jsonl', lines],
      ['b.txt', 'again'],
      ['empty', ''],
      ['empty-deflated', ''],
    ]);
  });

  it('reads entries whose sizes follow in a data descriptor, with or without its signature', () => {
    const zip = zipOf([
      { name: 'signed', data: lines, method: 'deflate', descriptor: 'signed' },
      { name: 'unsigned', data: 'x', descriptor: 'unsigned' },
    ]);
    expect(readZipEntries(zip).map((e) => e.data.toString())).toEqual([lines, 'x']);
  });

  it('reads what archiver streams (data descriptors, UTF-8 names, stored and deflated)', async () => {
    const zip = await withArchiver((a) => {
      const stream = new PassThrough();
      a.append(stream, { name: 'links.jsonl' });
      stream.end(lines);
      a.append('kept as is', { name: 'manifest.sig', store: true });
      a.append('ü', { name: 'naïve.txt' });
    });
    expect(readZipEntries(zip).map((e) => [e.name, e.data.toString()])).toEqual([
      ['links.jsonl', lines],
      ['manifest.sig', 'kept as is'],
      ['naïve.txt', 'ü'],
    ]);
  });

  it('decodes names as UTF-8 when flagged, else as code page 437', () => {
    const zip = zipOf([
      { name: 'catatan-ñ.txt', data: '1' },
      { name: Buffer.from([0x6e, 0x61, 0x8b, 0x76, 0x65]), data: '2' },
    ]);
    expect(readZipEntries(zip).map((e) => e.name)).toEqual(['catatan-ñ.txt', 'naïve']);
  });

  it('reads an empty archive and one with an archive comment', () => {
    expect(readZipEntries(zipOf([]))).toEqual([]);
    expect(readZipEntries(zipOf([{ name: 'a', data: '1' }], { comment: 'made by hand' }))).toHaveLength(1);
  });

  const good = [
    { name: 'manifest.json', data: '{"files":[]}' },
    { name: 'links.jsonl', data: lines, method: 'deflate' as const },
  ];
  const whole = zipOf(good);
  const cases: [string, () => Buffer, RegExp][] = [
    [
      'a CRC-32 that does not match the content',
      () => zipOf([good[0], { ...good[1], crc: 1234 }]),
      /"links.jsonl": CRC-32 /,
    ],
    ['a truncated file', () => whole.subarray(0, whole.length - 5), /does not end the file/],
    [
      'a file cut in the middle',
      () => whole.subarray(0, Math.floor(whole.length / 2)),
      /no end of central directory/,
    ],
    [
      'trailing data after the end record',
      () => Buffer.concat([whole, Buffer.from('junk')]),
      /trailing data/,
    ],
    ['data prepended to the archive', () => Buffer.concat([Buffer.from('MZ-stub'), whole]), /prepended/],
    [
      'bytes between entries that belong to none',
      () => zipOf(good, { gap: Buffer.from('hidden') }),
      /belong to no entry/,
    ],
    [
      'two entries sharing one local header',
      () => zipOf([...good, { name: 'links.jsonl', data: lines, method: 'deflate', localOf: 1 }]),
      /overlaps entry "links.jsonl"/,
    ],
    [
      'a local header naming another file',
      () => zipOf([good[0], { ...good[1], localName: 'links.csv' }]),
      /"links.jsonl": its local header names it "links.csv"/,
    ],
    [
      'a local header with another CRC-32',
      () => zipOf([good[0], { ...good[1], localCrc: 7 }]),
      /"links.jsonl": CRC-32 7 in the local header/,
    ],
    [
      'a local header with another method',
      () => zipOf([good[0], { ...good[1], localMethodNumber: 0 }]),
      /"links.jsonl": compression method 0 in the local header, 8 in the central directory/,
    ],
    ['an encrypted entry', () => zipOf([{ ...good[0], flags: 1 }]), /"manifest.json": is encrypted/],
    ['an unknown general purpose flag', () => zipOf([{ ...good[0], flags: 1 << 13 }]), /flags 0x2000/],
    [
      'a compression method other than stored or deflate',
      () => zipOf([{ ...good[0], methodNumber: 12 }]),
      /method 12/,
    ],
    [
      'a data descriptor that disagrees with the central directory',
      () => zipOf([{ ...good[1], descriptor: 'signed', descriptorCrc: 99 }]),
      /"links.jsonl": its data descriptor does not state/,
    ],
    [
      'a deflated entry larger than its stated size',
      () => zipOf([{ ...good[1], size: 10 }]),
      /"links.jsonl": its deflate data does not inflate to 10 bytes/,
    ],
    [
      'a deflated entry smaller than its stated size',
      () => zipOf([{ ...good[1], size: lines.length + 1 }]),
      /"links.jsonl": holds 5500 bytes, the central directory says 5501/,
    ],
    [
      'bytes after the end of a deflate stream',
      () => zipOf([{ ...good[1], appendToData: Buffer.from('x') }]),
      /"links.jsonl": its deflate stream ends after/,
    ],
    [
      'corrupt deflate data',
      () => zipOf([{ ...good[1], data: 'x', method: 'stored', methodNumber: 8 }]),
      /inflate/,
    ],
    [
      'a stored entry whose sizes differ',
      () => zipOf([{ ...good[0], size: 3 }]),
      /"manifest.json": stored \(not compressed\) but its compressed size 12 differs from its size 3/,
    ],
    [
      'a name flagged UTF-8 that is not',
      () => zipOf([{ name: Buffer.from([0x61, 0xff]), data: '1', flags: 1 << 11 }]),
      /flagged UTF-8 but is not/,
    ],
    [
      'a second, Info-ZIP Unicode name',
      () => zipOf([{ ...good[0], extra: Buffer.from([0x75, 0x70, 0x01, 0x00, 0x00]) }]),
      /second \(Info-ZIP Unicode path\) name/,
    ],
    [
      'a ZIP64 extra field',
      () => zipOf([{ ...good[0], extra: Buffer.from([0x01, 0x00, 0x00, 0x00]) }]),
      /"manifest.json": carries a ZIP64 extra field/,
    ],
    ['a ZIP64 end record', () => zipOf(good, { entryCount: 0xffff }), /ZIP64 archives are not supported/],
    ['a multi-disk archive', () => zipOf(good, { disk: 1 }), /multi-disk/],
    ['an end record counting fewer entries', () => zipOf(good, { entryCount: 1 }), /more than its 1 entries/],
    [
      'an end record counting more entries',
      () => zipOf(good, { entryCount: 3 }),
      /entry 3 of 3: no central directory header/,
    ],
    [
      'something that is not a ZIP',
      () => Buffer.from('not a zip at all, just text that is long enough'),
      /not a ZIP/,
    ],
    ['an empty file', () => Buffer.alloc(0), /not a ZIP/],
  ];
  it.each(cases)('refuses %s', (_, build, message) => {
    expect(() => readZipEntries(build())).toThrow(message);
  });
});

describe('crc32', () => {
  it("the table CRC-32 agrees with zlib's, when Node has it", () => {
    for (const text of ['', 'a', 'The quick brown fox jumps over the lazy dog', lines]) {
      expect(tableCrc32(Buffer.from(text))).toBe(crc32(Buffer.from(text)));
    }
    expect(tableCrc32(Buffer.from('The quick brown fox jumps over the lazy dog'))).toBe(0x414fa339);
  });
});
