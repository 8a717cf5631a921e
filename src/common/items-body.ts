import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { AppError, FieldError } from '../errors/app-error';

/** The body of a bulk route: its items as parsed, for the service to judge one by one. */
export interface BulkItems {
  items: unknown[];
}

/**
 * Checks a bulk body's envelope, `{items: [...]}` with 1 to `max` items and nothing else, in ValidationPipe's words.
 * The items are left as the JSON parser made them (body parsing has refused prototype keys and deep nesting):
 * ValidationPipe would first deep-copy every one through class-transformer, which for 1,000 acknowledgements with
 * listing evidence cost more than judging them.
 */
export function readItemsBody(body: unknown, max: number): BulkItems {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw AppError.validation([{ path: 'body', message: 'must be a JSON object with items' }]);
  }
  const errors: FieldError[] = Object.keys(body)
    .filter((key) => key !== 'items')
    .map((key) => ({ path: key, message: `property ${key} should not exist` }));
  const { items } = body as { items?: unknown };
  const problem =
    items === undefined
      ? 'items is required'
      : !Array.isArray(items)
        ? 'items must be an array'
        : items.length < 1
          ? 'items must contain at least 1 elements'
          : items.length > max
            ? `items must contain no more than ${max} elements`
            : null;
  if (problem) errors.push({ path: 'items', message: problem });
  if (errors.length > 0) throw AppError.validation(errors);
  return { items: items as unknown[] };
}

/**
 * A bulk route's body, read by readItemsBody: `@ItemsBody(5000) body: BulkItems`. The route documents its schema
 * with `@ApiBody({ type: TheDto })`, since no DTO passes through here.
 */
export const ItemsBody = createParamDecorator((max: number, ctx: ExecutionContext) =>
  readItemsBody(ctx.switchToHttp().getRequest<Request>().body, max),
);
