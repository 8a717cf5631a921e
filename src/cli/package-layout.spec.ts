import { zipOf } from '../../test/support/zip-writer';
import { checkPackageLayout, PACKAGE_FILES, show } from './package-layout';
import { ZipEntry, readZipEntries } from './zip-reader';

const LISTED = PACKAGE_FILES;

const manifestOf = (names: unknown[]) =>
  JSON.stringify({ files: names.map((name) => ({ name, bytes: 1, sha256: '00' })) });

function entries(names: string[], listed: unknown[] = LISTED): ZipEntry[] {
  return names.map((name) => ({
    name,
    data: Buffer.from(name === 'manifest.json' ? manifestOf(listed) : `content of ${name}`),
  }));
}

const PACKAGE = ['manifest.json', 'manifest.sig', ...LISTED];

function problems(list: ZipEntry[]): string[] {
  const layout = checkPackageLayout(list);
  return layout.ok ? [] : layout.problems;
}

describe('checkPackageLayout', () => {
  it('accepts exactly manifest.json, manifest.sig and the listed files, in any order', () => {
    const layout = checkPackageLayout(entries([...PACKAGE].reverse()));
    expect(layout.ok).toBe(true);
    if (!layout.ok) return;
    expect([...layout.files.keys()].sort()).toEqual([...PACKAGE].sort());
    expect(layout.files.get('links.csv')!.toString()).toBe('content of links.csv');
  });

  it('accepts the same package re-zipped with stored entries instead of deflated ones', () => {
    const zip = (method: 'stored' | 'deflate') =>
      zipOf(entries(PACKAGE).map((e, i) => ({ ...e, method: i % 2 ? method : 'stored' })));
    const stored = checkPackageLayout(readZipEntries(zip('stored')));
    const deflated = checkPackageLayout(readZipEntries(zip('deflate')));
    expect(stored).toEqual(deflated);
    expect(stored.ok).toBe(true);
  });

  const cases: [string, string[], string[]][] = [
    [
      'a name that appears twice',
      [...PACKAGE, 'links.jsonl'],
      ['"links.jsonl": appears 2 times in the ZIP; expected exactly once'],
    ],
    [
      'a second manifest.json',
      [...PACKAGE, 'manifest.json'],
      ['"manifest.json": appears 2 times in the ZIP; expected exactly once'],
    ],
    [
      'an entry manifest.json does not list',
      [...PACKAGE, 'extra.txt'],
      [
        '"extra.txt": is not listed in manifest.json; expected only manifest.json, manifest.sig and the listed files',
      ],
    ],
    [
      'a listed file that is missing',
      PACKAGE.filter((n) => n !== 'seller-records.jsonl'),
      ['"seller-records.jsonl": is listed in manifest.json but missing from the ZIP'],
    ],
    [
      'a missing manifest.sig',
      PACKAGE.filter((n) => n !== 'manifest.sig'),
      ['"manifest.sig": missing from the ZIP; expected beside manifest.json'],
    ],
    [
      'names that differ only by case',
      [...PACKAGE, 'LINKS.jsonl'],
      [
        '"LINKS.jsonl": is the same name as "links.jsonl" in lower case (in the ZIP); expected names that differ by more than that',
        '"LINKS.jsonl": is not listed in manifest.json (it resembles the listed "links.jsonl"); expected only manifest.json, manifest.sig and the listed files',
      ],
    ],
    [
      'a name that equals another after NFC normalisation',
      [...PACKAGE, 'cafe\u0301.txt', 'caf\u00e9.txt'],
      [
        '"caf\\u{00E9}.txt": is the same name as "cafe\\u{0301}.txt" after NFC normalisation (in the ZIP); expected names that differ by more than that',
      ],
    ],
    [
      'a look-alike with a combining accent',
      [...PACKAGE, 'links.json\u0301l'],
      [
        '"links.json\\u{0301}l": is the same name as "links.jsonl" once case, compatibility forms, combining marks and trailing dots or spaces are set aside (in the ZIP); expected names that differ by more than that',
      ],
    ],
    [
      'a look-alike in fullwidth letters',
      [...PACKAGE, '\uff4cinks.jsonl'],
      [
        '"\\u{FF4C}inks.jsonl": is the same name as "links.jsonl" after NFKC normalisation (in the ZIP); expected names that differ by more than that',
      ],
    ],
    [
      'a name Windows would read without its trailing dot',
      [...PACKAGE, 'links.csv.'],
      [
        '"links.csv.": is the same name as "links.csv" once case, compatibility forms, combining marks and trailing dots or spaces are set aside (in the ZIP); expected names that differ by more than that',
      ],
    ],
    [
      'a directory entry',
      [...PACKAGE, 'data/'],
      ['"data/": is a directory entry; expected a plain relative file name'],
    ],
    [
      'an absolute path',
      [...PACKAGE, '/etc/passwd', 'C:/x'],
      [
        '"/etc/passwd": is an absolute path; expected a plain relative file name',
        '"C:/x": is an absolute path; expected a plain relative file name',
      ],
    ],
    [
      'a path that climbs out',
      [...PACKAGE, '../links.jsonl', 'a/../b', 'a\\b'],
      [
        '"../links.jsonl": has an empty, "." or ".." path segment; expected a plain relative file name',
        '"a/../b": has an empty, "." or ".." path segment; expected a plain relative file name',
        '"a\\\\b": contains a backslash; expected a plain relative file name',
      ],
    ],
    [
      'a name with a bidirectional override',
      [...PACKAGE, 'lsnoj\u202e.txt'],
      [
        '"lsnoj\\u{202E}.txt": contains an invisible formatting character; expected a plain relative file name',
      ],
    ],
  ];
  it.each(cases)('refuses %s', (_, names, expected) => {
    const found = problems(entries(names));
    for (const problem of expected) expect(found).toContain(problem);
    // Unless the case is about them, unlisted entries are refused too, and nothing else is.
    const unexpected = found.filter(
      (p) => !expected.includes(p) && !p.includes('is not listed in manifest.json'),
    );
    expect(unexpected).toEqual([]);
  });

  it('refuses a package without manifest.json', () => {
    expect(problems(entries(['manifest.sig', 'links.jsonl']))).toEqual([
      '"manifest.json": missing from the ZIP; expected at the top of the package',
    ]);
  });

  it('refuses a manifest.json that is not JSON or has no list of files', () => {
    const sig = { name: 'manifest.sig', data: Buffer.from('x') };
    expect(problems([{ name: 'manifest.json', data: Buffer.from('{') }, sig])).toEqual([
      '"manifest.json": is not JSON; expected an object with files: [{name, bytes, sha256}]',
    ]);
    expect(problems([{ name: 'manifest.json', data: Buffer.from('{"files":[{"name":3}]}') }, sig])).toEqual([
      '"manifest.json": has no files: [{name, …}] list of names',
    ]);
  });

  it('refuses a manifest.json that lists a file twice, lists itself, or lists an unsafe name', () => {
    const found = problems(entries(PACKAGE, [...LISTED, 'links.csv', 'manifest.json', '../up']));
    expect(found).toEqual([
      '"links.csv": is listed in manifest.json more than once; expected once',
      '"manifest.json": is listed in manifest.json, which cannot hold the hash of manifest.json',
      '"../up": is listed in manifest.json but has an empty, "." or ".." path segment; expected a plain relative file name',
      '"../up": is listed in manifest.json but missing from the ZIP',
    ]);
  });
});

describe('show', () => {
  it('escapes everything outside printable ASCII so look-alikes differ on screen', () => {
    expect(show('links.json\u0301l')).toBe('"links.json\\u{0301}l"');
    expect(show('a\u0000')).toBe('"a\\u0000"');
    expect(show('\u{1F600}')).toBe('"\\u{1F600}"');
  });
});
