import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { IdempotencySecrets } from './idempotency-secrets';

const CLIENT = '6f1c2d4e-8a9b-4c3d-9e0f-112233445566';

describe('IdempotencySecrets', () => {
  const secrets = IdempotencySecrets.forTest(randomBytes(32));
  const hash = secrets.lookupHash(CLIENT, 'key-1');
  const body = Buffer.from('{"clientSecret":"s3cr3t"}');

  it('opens what it sealed, and the ciphertext shows nothing of it', () => {
    const sealed = secrets.seal(CLIENT, 'key-1', hash, body);
    expect(sealed.iv).toHaveLength(12);
    expect(sealed.sealed.includes(Buffer.from('s3cr3t'))).toBe(false);
    expect(secrets.open(CLIENT, 'key-1', hash, sealed).equals(body)).toBe(true);
  });

  it('seals the same response differently each time (a fresh IV per record)', () => {
    const a = secrets.seal(CLIENT, 'key-1', hash, body);
    const b = secrets.seal(CLIENT, 'key-1', hash, body);
    expect(a.iv.equals(b.iv)).toBe(false);
    expect(a.sealed.equals(b.sealed)).toBe(false);
  });

  it.each([
    ['another key', CLIENT, 'key-2', hash],
    ['another client', '00000000-0000-4000-8000-000000000000', 'key-1', hash],
    ['another record', CLIENT, 'key-1', secrets.lookupHash(CLIENT, 'key-3')],
  ])('refuses to open a record under %s', (_, client, key, lookup) => {
    const sealed = secrets.seal(CLIENT, 'key-1', hash, body);
    expect(() => secrets.open(client, key, lookup, sealed)).toThrow();
  });

  it('refuses an altered record', () => {
    const sealed = secrets.seal(CLIENT, 'key-1', hash, body);
    sealed.sealed[0] ^= 1;
    expect(() => secrets.open(CLIENT, 'key-1', hash, sealed)).toThrow();
  });

  it('finds records by a keyed hash: another pepper gives another hash', () => {
    expect(IdempotencySecrets.forTest(randomBytes(32)).lookupHash(CLIENT, 'key-1').equals(hash)).toBe(false);
    expect(secrets.lookupHash(CLIENT, 'key-1').equals(hash)).toBe(true);
  });

  it('generates the pepper file once, mode 0600, and refuses a short one', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pepper-'));
    const file = path.join(dir, 'keys', 'idempotency-pepper');
    const first = IdempotencySecrets.fromFile(file).lookupHash(CLIENT, 'k');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, 'utf8');
    expect(IdempotencySecrets.fromFile(file).lookupHash(CLIENT, 'k').equals(first)).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe(text);
    const short = path.join(dir, 'short');
    writeFileSync(short, 'too short\n');
    expect(() => IdempotencySecrets.fromFile(short)).toThrow(/at least 32 bytes/);
  });
});
