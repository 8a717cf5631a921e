import { AppError } from '../errors/app-error';
import { readItemsBody } from './items-body';

function refusal(body: unknown, max = 3): { path: string; message: string }[] | undefined {
  try {
    readItemsBody(body, max);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('VALIDATION_FAILED');
    return (error as AppError).errors;
  }
  return undefined;
}

describe('readItemsBody', () => {
  it('returns the items as they were parsed, not copies', () => {
    const items = [{ linkId: 'a', listing: { title: 't' } }];
    expect(readItemsBody({ items }, 3).items).toBe(items);
  });

  it.each([
    ['no items', {}, [{ path: 'items', message: 'items is required' }]],
    ['items not an array', { items: 'x' }, [{ path: 'items', message: 'items must be an array' }]],
    ['items null', { items: null }, [{ path: 'items', message: 'items must be an array' }]],
    ['no item', { items: [] }, [{ path: 'items', message: 'items must contain at least 1 elements' }]],
    [
      'one too many',
      { items: [1, 2, 3, 4] },
      [{ path: 'items', message: 'items must contain no more than 3 elements' }],
    ],
    [
      'another property',
      { items: [1], extra: true },
      [{ path: 'extra', message: 'property extra should not exist' }],
    ],
    ['an array body', [{ items: [1] }], [{ path: 'body', message: 'must be a JSON object with items' }]],
    ['no body', undefined, [{ path: 'body', message: 'must be a JSON object with items' }]],
  ])('refuses %s', (_, body, errors) => {
    expect(refusal(body)).toEqual(errors);
  });

  it('names every problem of the envelope at once', () => {
    expect(refusal({ extra: 1, items: [] })).toEqual([
      { path: 'extra', message: 'property extra should not exist' },
      { path: 'items', message: 'items must contain at least 1 elements' },
    ]);
  });
});
