import { hammingDistance, hashWords, imageHashProblem, phashBitsToHex, popcount32 } from './image-hash';

describe('phashBitsToHex', () => {
  it.each([
    ['all zeros', '0'.repeat(64), '0000000000000000'],
    ['all ones', '1'.repeat(64), 'ffffffffffffffff'],
    ['the most significant bit first', '1' + '0'.repeat(63), '8000000000000000'],
    ['the least significant bit last', '0'.repeat(63) + '1', '0000000000000001'],
    [
      'each nibble in order',
      '0001001000110100010101100111100010011010101111001101111011110000',
      '123456789abcdef0',
    ],
  ])('%s', (_, bits, hex) => expect(phashBitsToHex(bits)).toBe(hex));

  it.each([
    ['too short', '0'.repeat(63)],
    ['too long', '0'.repeat(65)],
    ['not binary', '2'.repeat(64)],
  ])('refuses bits %s', (_, bits) => expect(() => phashBitsToHex(bits)).toThrow(/64 binary digits/));
});

describe('hashWords and hammingDistance', () => {
  it('reads hex as 32-bit words, most significant first', () => {
    expect(Array.from(hashWords('80000000ffffffff'))).toEqual([0x80000000, 0xffffffff]);
    expect(hashWords('0'.repeat(64))).toHaveLength(8);
  });

  it.each([
    ['equal hashes', '123456789abcdef0', '123456789abcdef0', 0],
    ['one bit at the top', '8000000000000000', '0000000000000000', 1],
    ['one bit at the bottom', '0000000000000001', '0000000000000000', 1],
    ['every bit', 'ffffffffffffffff', '0000000000000000', 64],
    ['a nibble each side', 'f00000000000000f', '0000000000000000', 8],
    ['pdq: every bit', 'f'.repeat(64), '0'.repeat(64), 256],
  ])('%s', (_, a, b, d) => expect(hammingDistance(hashWords(a), hashWords(b))).toBe(d));

  it('agrees with counting the differing binary digits', () => {
    const a = '1011'.repeat(16);
    const b = '0110'.repeat(16);
    const differing = [...a].filter((c, i) => c !== b[i]).length;
    expect(hammingDistance(hashWords(phashBitsToHex(a)), hashWords(phashBitsToHex(b)))).toBe(differing);
  });

  it.each([
    [0, 0],
    [0xffffffff, 32],
    [0x80000001, 2],
  ])('popcount32(%d) is %d', (x, n) => expect(popcount32(x)).toBe(n));
});

describe('imageHashProblem', () => {
  it.each([
    ['a phash', { algorithm: 'phash', hash: '0123456789abcdef' }, null],
    ['a pdq with quality', { algorithm: 'pdq', hash: 'a'.repeat(64), quality: 100 }, null],
    ['not an object', 'phash', 'must be an object'],
    ['an array', [], 'must be an object'],
    ['null', null, 'must be an object'],
    ['an unknown property', { algorithm: 'phash', hash: '0'.repeat(16), x: 1 }, '.x is not allowed'],
    [
      'an unknown algorithm',
      { algorithm: 'md5', hash: '0'.repeat(16) },
      '.algorithm must be one of phash, pdq',
    ],
    [
      'a phash too short',
      { algorithm: 'phash', hash: '0'.repeat(15) },
      '.hash must be 16 lower-case hex characters for phash',
    ],
    [
      'a phash of pdq length',
      { algorithm: 'phash', hash: '0'.repeat(64) },
      '.hash must be 16 lower-case hex characters for phash',
    ],
    [
      'upper-case hex',
      { algorithm: 'phash', hash: 'ABCDEF0123456789' },
      '.hash must be 16 lower-case hex characters for phash',
    ],
    [
      'not hex',
      { algorithm: 'pdq', hash: 'g'.repeat(64) },
      '.hash must be 64 lower-case hex characters for pdq',
    ],
    [
      'a hash that is a number',
      { algorithm: 'phash', hash: 1234567890123456 },
      '.hash must be 16 lower-case hex characters for phash',
    ],
    [
      'a quality over 100',
      { algorithm: 'pdq', hash: '0'.repeat(64), quality: 101 },
      '.quality must be an integer from 0 to 100',
    ],
    [
      'a fractional quality',
      { algorithm: 'pdq', hash: '0'.repeat(64), quality: 50.5 },
      '.quality must be an integer from 0 to 100',
    ],
    [
      'a negative quality',
      { algorithm: 'pdq', hash: '0'.repeat(64), quality: -1 },
      '.quality must be an integer from 0 to 100',
    ],
  ])('%s', (_, raw, problem) => expect(imageHashProblem(raw)).toBe(problem));
});
