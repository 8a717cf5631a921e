/**
 * The layout of an evidence package is the set of its entry names: manifest.json, manifest.sig and exactly the files
 * manifest.json lists, each once, under a plain relative name that no other name resembles. Compression, entry order
 * and offsets are not part of it, so a package re-zipped by another tool still verifies.
 */
import type { ZipEntry } from './zip-reader';

export type PackageLayout = { ok: true; files: Map<string, Buffer> } | { ok: false; problems: string[] };

const MANIFEST = 'manifest.json';
const SIGNATURE = 'manifest.sig';

/**
 * Ways two different names can open the same file, or look the same to a person: case on case-insensitive file
 * systems, Unicode normalisation (macOS stores NFD; fullwidth and other compatibility forms fold under NFKC), accents
 * and other combining marks, and the trailing dots and spaces that Windows drops.
 */
const RESEMBLANCES: [string, (name: string) => string][] = [
  ['in lower case', (n) => n.toLowerCase()],
  ['in upper case', (n) => n.toUpperCase()],
  ['after NFC normalisation', (n) => n.normalize('NFC')],
  ['after NFKC normalisation', (n) => n.normalize('NFKC')],
  [
    'once case, compatibility forms, combining marks and trailing dots or spaces are set aside',
    (n) =>
      n
        .normalize('NFKD')
        .replace(/\p{M}/gu, '')
        .normalize('NFKC')
        .toUpperCase()
        .toLowerCase()
        .split('/')
        .map((part) => part.replace(/[. ]+$/u, ''))
        .join('/'),
  ],
];

export function checkPackageLayout(entries: ZipEntry[]): PackageLayout {
  const problems: string[] = [];
  const count = new Map<string, number>();
  for (const { name } of entries) count.set(name, (count.get(name) ?? 0) + 1);

  for (const [name, n] of count) {
    const unsafe = unsafeName(name);
    if (unsafe) problems.push(`${show(name)}: ${unsafe}; expected a plain relative file name`);
    if (n > 1) problems.push(`${show(name)}: appears ${n} times in the ZIP; expected exactly once`);
  }
  problems.push(...resemblances([...count.keys()], 'the ZIP'));

  const listed = listedNames(entries, count, problems);
  if (!count.has(SIGNATURE))
    problems.push(`${show(SIGNATURE)}: missing from the ZIP; expected beside manifest.json`);
  if (listed) {
    const expected = new Set([MANIFEST, SIGNATURE, ...listed]);
    for (const name of count.keys()) {
      if (!expected.has(name)) {
        const like = [...expected].find((e) => RESEMBLANCES.some(([, fold]) => fold(e) === fold(name)));
        problems.push(
          `${show(name)}: is not listed in manifest.json${like ? ` (it resembles the listed ${show(like)})` : ''}; expected only manifest.json, manifest.sig and the listed files`,
        );
      }
    }
    for (const name of new Set(listed)) {
      if (!count.has(name))
        problems.push(`${show(name)}: is listed in manifest.json but missing from the ZIP`);
    }
  }

  if (problems.length) return { ok: false, problems };
  return { ok: true, files: new Map(entries.map((e) => [e.name, e.data])) };
}

/** The names manifest.json lists, or null when there is no single readable manifest to take them from. */
function listedNames(entries: ZipEntry[], count: Map<string, number>, problems: string[]): string[] | null {
  const n = count.get(MANIFEST) ?? 0;
  if (n === 0) {
    problems.push(`${show(MANIFEST)}: missing from the ZIP; expected at the top of the package`);
    return null;
  }
  if (n > 1) return null; // already a problem: which of the copies would be the manifest is exactly the question
  const manifest = entries.find((e) => e.name === MANIFEST)!;
  let files: unknown;
  try {
    files = (JSON.parse(manifest.data.toString('utf8')) as { files?: unknown }).files;
  } catch {
    problems.push(`${show(MANIFEST)}: is not JSON; expected an object with files: [{name, bytes, sha256}]`);
    return null;
  }
  if (!Array.isArray(files) || files.some((f) => typeof (f as { name?: unknown })?.name !== 'string')) {
    problems.push(`${show(MANIFEST)}: has no files: [{name, …}] list of names`);
    return null;
  }
  const names = (files as { name: string }[]).map((f) => f.name);
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name))
      problems.push(`${show(name)}: is listed in manifest.json more than once; expected once`);
    seen.add(name);
    if (name === MANIFEST || name === SIGNATURE) {
      problems.push(`${show(name)}: is listed in manifest.json, which cannot hold the hash of ${name}`);
    }
    const unsafe = unsafeName(name);
    if (unsafe && !count.has(name)) {
      problems.push(
        `${show(name)}: is listed in manifest.json but ${unsafe}; expected a plain relative file name`,
      );
    }
  }
  problems.push(
    ...resemblances(
      [...seen].filter((name) => !count.has(name)),
      'manifest.json',
    ),
  );
  return names;
}

function unsafeName(name: string): string | null {
  if (name === '') return 'is empty';
  if (name.endsWith('/')) return 'is a directory entry';
  if (name.startsWith('/') || /^[A-Za-z]:/u.test(name)) return 'is an absolute path';
  if (name.includes('\\')) return 'contains a backslash';
  if (/\p{Cc}/u.test(name)) return 'contains a control character';
  // Bidirectional overrides, zero-width joiners and the like make a name read differently from what it is.
  if (/\p{Cf}/u.test(name)) return 'contains an invisible formatting character';
  if (name.split('/').some((part) => part === '..' || part === '.' || part === ''))
    return 'has an empty, "." or ".." path segment';
  return null;
}

/** Problems for every pair of distinct names that fold to the same name, each pair once. */
function resemblances(names: string[], where: string): string[] {
  const problems: string[] = [];
  const reported = new Set<string>();
  for (const [how, fold] of RESEMBLANCES) {
    const byFold = new Map<string, string>();
    for (const name of names) {
      const folded = fold(name);
      const other = byFold.get(folded);
      if (other === undefined) {
        byFold.set(folded, name);
        continue;
      }
      const pair = JSON.stringify([other, name].sort());
      if (reported.has(pair)) continue;
      reported.add(pair);
      problems.push(
        `${show(name)}: is the same name as ${show(other)} ${how} (in ${where}); expected names that differ by more than that`,
      );
    }
  }
  return problems;
}

/** A name as JSON, with everything outside printable ASCII escaped, so look-alikes show how they differ. */
export function show(name: string): string {
  return JSON.stringify(name).replace(
    /[^\x20-\x7e]/gu,
    (c) => `\\u{${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}}`,
  );
}

/** The files every package lists in its manifest (besides manifest.json and manifest.sig, which it cannot list). */
export const PACKAGE_FILES = [
  'README.txt',
  'links.jsonl',
  'links.csv',
  'seller-records.jsonl',
  'audit-events.jsonl',
  'keys.json',
];
