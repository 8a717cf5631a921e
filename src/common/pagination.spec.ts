import { AppError } from '../errors/app-error';
import { decodeCursor, encodeCursor } from './pagination';

const ID = '6f9619ff-8b86-4011-b42d-00cf4fc964ff';
const AT = new Date('2026-01-02T03:04:05.678Z').toISOString();

describe('decodeCursor', () => {
  it('gives back what encodeCursor wrote, position by position', () => {
    expect(decodeCursor(encodeCursor([AT, ID]), ['timestamp', 'uuid'])).toEqual([AT, ID]);
    expect(decodeCursor(encodeCursor(['shopee', ID]), ['string', 'uuid'])).toEqual(['shopee', ID]);
    expect(decodeCursor(encodeCursor([42]), ['integer'])).toEqual([42]);
    expect(decodeCursor(undefined, ['uuid'])).toBeNull();
  });

  it.each([
    ['the old untyped form', encodeCursor(['zzz', 'zzz']), ['string', 'string'], ['zzz', 'zzz']],
    ['the old number form', encodeCursor([7]), ['number'], [7]],
  ] as const)('still accepts %s', (_, cursor, shape, expected) => {
    expect(decodeCursor(cursor, shape)).toEqual(expected);
  });

  it.each([
    ['the old untyped form, wrong arity', encodeCursor(['a']), ['string', 'string']],
    ['the old untyped form, a number for a string', encodeCursor([1, 'a']), ['string', 'string']],
    ['the old number form, a fraction', encodeCursor([1.5]), ['number']],
    [
      'a timestamp Date would roll over',
      encodeCursor(['2026-02-30T00:00:00.000Z', ID]),
      ['timestamp', 'uuid'],
    ],
  ] as const)('refuses %s with a 400 naming cursor', (_, cursor, shape) => {
    expect(() => decodeCursor(cursor, shape)).toThrow(
      expect.objectContaining<Partial<AppError>>({
        status: 400,
        errors: [expect.objectContaining({ path: 'cursor' })],
      }),
    );
  });
});
