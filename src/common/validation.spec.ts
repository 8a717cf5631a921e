import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { AppError } from '../errors/app-error';
import { createValidationPipe } from './validation';

class Sample {
  @IsString()
  @Length(1, 10)
  name!: string;

  @IsIn(['a', 'b'])
  kind!: string;

  @IsOptional()
  @IsString()
  note?: string;
}

const pipe = createValidationPipe();
const sorted = (errors: unknown) =>
  [...(errors as { path: string; message: string }[])].sort((a, b) =>
    (a.path + a.message).localeCompare(b.path + b.message),
  );

async function errorsOf(body: object): Promise<unknown> {
  try {
    await pipe.transform(body, { type: 'body', metatype: Sample });
    return [];
  } catch (error) {
    return (error as AppError).errors;
  }
}

describe('createValidationPipe', () => {
  it.each([
    [
      'a missing field once, however many constraints it fails',
      {},
      [
        { path: 'name', message: 'name is required' },
        { path: 'kind', message: 'kind is required' },
      ],
    ],
    [
      'a null field by every constraint it fails',
      { name: null, kind: 'a' },
      [
        {
          path: 'name',
          message: 'name must be longer than or equal to 1 characters',
        },
        { path: 'name', message: 'name must be a string' },
      ],
    ],
    [
      'a wrong field by every constraint it fails',
      { name: '', kind: 'c' },
      [
        {
          path: 'name',
          message: 'name must be longer than or equal to 1 characters',
        },
        { path: 'kind', message: 'kind must be one of the following values: a, b' },
      ],
    ],
    ['an optional field left out', { name: 'n', kind: 'a' }, []],
    [
      'an unknown field',
      { name: 'n', kind: 'a', extra: 1 },
      [{ path: 'extra', message: 'property extra should not exist' }],
    ],
  ])('names %s', async (_, body, expected) => expect(sorted(await errorsOf(body))).toEqual(sorted(expected)));

  it('gives a missing field exactly one message', async () => {
    expect(await errorsOf({ kind: 'a' })).toEqual([{ path: 'name', message: 'name is required' }]);
  });
});
