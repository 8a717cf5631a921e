import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

/**
 * An integer read from the query string, from `min` to `max`. The upper bound defaults to the largest safe integer:
 * 7.2e208 is an integer to JavaScript, and the database's bigint would refuse it with a 500.
 */
export function IntQueryParam(min: number, max = Number.MAX_SAFE_INTEGER): PropertyDecorator {
  return applyDecorators(
    Type(() => Number),
    IsInt(),
    Min(min),
    Max(max),
  );
}
