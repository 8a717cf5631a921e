import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { zipOf } from '../../test/support/zip-writer';
import { keyFileProblem, parseArgs, readZip, run } from './verify-evidence';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'verify-evidence-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const at = path.join(dir, name);
  writeFileSync(at, content);
  return at;
}

function cli(...args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = run(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

const publicJwk = () =>
  generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }) as Record<string, string>;

describe('parseArgs', () => {
  const cases: [string[], ReturnType<typeof parseArgs>][] = [
    [['p.zip'], { file: 'p.zip', keyFile: undefined }],
    [['p.zip', '--key', 'k.json'], { file: 'p.zip', keyFile: 'k.json' }],
    [['--key=k.json', 'p.zip'], { file: 'p.zip', keyFile: 'k.json' }],
    [['--', '--odd-name.zip'], { file: '--odd-name.zip', keyFile: undefined }],
    [['p.zip', '-h'], { help: true }],
    [['--help'], { help: true }],
    [[], { error: 'no package given' }],
    [['p.zip', '--key'], { error: '--key needs a file: --key <audit-keys.json | key.pem>' }],
    [['p.zip', '--verbose'], { error: 'unknown option --verbose' }],
    [['a.zip', 'b.zip'], { error: 'one package at a time, not 2' }],
    [['p.zip', '--key', 'a', '--key', 'b'], { error: '--key is given more than once' }],
  ];
  it.each(cases)('%j', (args, expected) => expect(parseArgs(args)).toEqual(expected));
});

describe('keyFileProblem', () => {
  it('takes a PEM public key, a JWK and the JSON of GET /v1/audit/keys', () => {
    const { publicKey } = generateKeyPairSync('ed25519');
    expect(keyFileProblem(publicKey.export({ format: 'pem', type: 'spki' }).toString())).toBeNull();
    expect(keyFileProblem(JSON.stringify(publicJwk()))).toBeNull();
    expect(keyFileProblem(JSON.stringify({ keys: [publicJwk(), publicJwk()] }))).toBeNull();
  });

  it('names what is wrong with anything else', () => {
    expect(keyFileProblem('hello')).toMatch(
      /is not a PEM public key, a JWK or the JSON of GET \/v1\/audit\/keys/,
    );
    expect(keyFileProblem('{"kty":"OKP","crv":"Ed25519"}')).toMatch(/is not a PEM/);
    expect(keyFileProblem('{"keys":[]}')).toBe('holds no keys');
  });
});

describe('verify-evidence', () => {
  it('prints its usage for --help and -h and exits 0', () => {
    for (const flag of ['--help', '-h']) {
      const { code, out } = cli(flag);
      expect(code).toBe(0);
      expect(out).toContain('usage: node verify-evidence.cjs <evidence.zip> [--key <key file>]');
    }
  });

  it('exits 2 with a clear line for a usage error', () => {
    const zip = file('any.zip', zipOf([]));
    const key = file('not-a-key.json', 'hello');
    const cases: [string[], string][] = [
      [[], 'verify-evidence: no package given'],
      [[zip, '--fast'], 'verify-evidence: unknown option --fast'],
      [
        [path.join(dir, 'missing.zip')],
        `verify-evidence: cannot read the package ${path.join(dir, 'missing.zip')}: no such file`,
      ],
      [
        [zip, '--key', path.join(dir, 'nokey.json')],
        `verify-evidence: cannot read the key file ${path.join(dir, 'nokey.json')}: no such file`,
      ],
      [[zip, '--key', dir], `verify-evidence: cannot read the key file ${dir}: EISDIR`],
      [[zip, '--key', key], `verify-evidence: the key file ${key} is not a PEM public key`],
    ];
    for (const [args, line] of cases) {
      const { code, err, out } = cli(...args);
      expect({ args, code, out }).toEqual({ args, code: 2, out: '' });
      expect(err.split('\n')[0]).toContain(line);
    }
  });

  it('refuses a file that is not a ZIP with exit 1', () => {
    const { code, out } = cli(file('text.zip', 'just some text, long enough to be looked at'));
    expect(code).toBe(1);
    expect(out).toMatch(/✘ not a readable ZIP: not a ZIP: no end of central directory record/);
    expect(out.trimEnd().split('\n').pop()).toBe('package REFUSED');
  });

  it('prints every layout problem and refuses the package with exit 1', () => {
    const manifest = JSON.stringify({ files: [{ name: 'links.jsonl', bytes: 2, sha256: '00' }] });
    const zip = file(
      'extra.zip',
      zipOf([
        { name: 'manifest.json', data: manifest },
        { name: 'manifest.sig', data: 'c2ln' },
        { name: 'links.jsonl', data: '{}' },
        { name: 'links.jsonl', data: '{}', method: 'deflate' },
        { name: 'extra.txt', data: 'x' },
      ]),
    );
    const { code, out } = cli(zip);
    expect(code).toBe(1);
    expect(out.split('\n')).toEqual([
      `Evidence package ${zip}`,
      '  ✘ "links.jsonl": appears 2 times in the ZIP; expected exactly once',
      '  ✘ "extra.txt": is not listed in manifest.json; expected only manifest.json, manifest.sig and the listed files',
      'package REFUSED',
      '',
    ]);
  });

  it('hands a package whose layout holds to the verifier, which refuses a bad signature', () => {
    const manifest = JSON.stringify({
      request: { id: 'r', caseNumber: 'c' },
      files: [{ name: 'links.jsonl', bytes: 2, sha256: '00' }],
      keyId: 'k',
    });
    const zip = file(
      'layout-ok.zip',
      zipOf([
        { name: 'manifest.json', data: manifest },
        { name: 'manifest.sig', data: 'c2ln' },
        { name: 'links.jsonl', data: '{}' },
      ]),
    );
    const key = file('key.json', JSON.stringify({ ...publicJwk(), kid: 'k' }));
    const { code, out } = cli(zip, '--key', key);
    expect(code).toBe(1);
    expect(out).toContain('  ✔ layout: 3 files, each once, exactly those manifest.json lists\n');
    expect(out.trimEnd().split('\n').pop()).toBe('package REFUSED');
  });
});

describe('readZip', () => {
  it('gives the entries by name', async () => {
    const zip = file(
      'two.zip',
      zipOf([
        { name: 'a', data: '1' },
        { name: 'b', data: '2', method: 'deflate' },
      ]),
    );
    const entries = await readZip(zip);
    expect([...entries].map(([name, data]) => [name, data.toString()])).toEqual([
      ['a', '1'],
      ['b', '2'],
    ]);
  });

  it('refuses duplicate names, which a Map cannot hold', async () => {
    const zip = file(
      'dup.zip',
      zipOf([
        { name: 'a', data: '1' },
        { name: 'a', data: '2' },
      ]),
    );
    await expect(readZip(zip)).rejects.toThrow('entry "a" appears more than once');
  });
});
