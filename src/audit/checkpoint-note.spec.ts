import { generateKeyPairSync } from 'node:crypto';
import { signCheckpoint, verifyCheckpoint } from './checkpoint-note';

describe('signed checkpoints', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const other = generateKeyPairSync('ed25519').publicKey;
  const root = 'ab'.repeat(32);
  const first = signCheckpoint(
    privateKey,
    'k1',
    'takedown-exchange.local/audit',
    10,
    root,
    '2026-11-25T10:00:00.000Z',
  );
  const second = signCheckpoint(
    privateKey,
    'k1',
    'takedown-exchange.local/audit',
    12,
    'cd'.repeat(32),
    '2026-11-25T10:01:00.000Z',
  );

  it('round-trips: a checkpoint verifies with its key', () => {
    expect(first.note).toBe('takedown-exchange.local/audit\n10\n' + root + '\n2026-11-25T10:00:00.000Z\n');
    expect(verifyCheckpoint(first, publicKey)).toBe(true);
    expect(verifyCheckpoint(second, publicKey, first)).toBe(true);
  });

  it('refuses a wrong key', () => {
    expect(verifyCheckpoint(first, other)).toBe(false);
  });

  it('refuses an edited size or root, in the fields or in the note', () => {
    expect(verifyCheckpoint({ ...first, treeSize: 11 }, publicKey)).toBe(false);
    expect(verifyCheckpoint({ ...first, rootHash: 'cd'.repeat(32) }, publicKey)).toBe(false);
    expect(
      verifyCheckpoint({ ...first, treeSize: 11, note: first.note.replace('\n10\n', '\n11\n') }, publicKey),
    ).toBe(false);
    expect(verifyCheckpoint({ ...first, signature: Buffer.alloc(64).toString('base64') }, publicKey)).toBe(
      false,
    );
  });

  it('refuses a checkpoint whose time does not move forward, or whose tree shrank', () => {
    const same = signCheckpoint(privateKey, 'k1', first.origin, 12, second.rootHash, first.issuedAt);
    const earlier = signCheckpoint(
      privateKey,
      'k1',
      first.origin,
      12,
      second.rootHash,
      '2026-11-25T09:59:59.000Z',
    );
    const smaller = signCheckpoint(
      privateKey,
      'k1',
      first.origin,
      9,
      second.rootHash,
      '2026-11-25T10:02:00.000Z',
    );
    expect(verifyCheckpoint(same, publicKey, first)).toBe(false);
    expect(verifyCheckpoint(earlier, publicKey, first)).toBe(false);
    expect(verifyCheckpoint(smaller, publicKey, first)).toBe(false);
  });
});
