import { HttpStatus } from '@nestjs/common';

export interface FieldError {
  path: string;
  message: string;
}

/**
 * A domain error with a stable code; the global filter turns it into RFC 9457 problem details.
 * `code` becomes the last segment of the problem `type`.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(detail ?? title);
  }

  static badRequest(code: string, detail: string, errors?: FieldError[]) {
    return new AppError(HttpStatus.BAD_REQUEST, code, 'Bad request', detail, errors);
  }
  static validation(errors: FieldError[]) {
    return new AppError(
      HttpStatus.BAD_REQUEST,
      'VALIDATION_FAILED',
      'Validation failed',
      errors.map((e) => `${e.path}: ${e.message}`).join('; '),
      errors,
    );
  }
  static unauthorized(detail = 'Missing, invalid or expired credentials') {
    return new AppError(HttpStatus.UNAUTHORIZED, 'UNAUTHORIZED', 'Unauthorized', detail, undefined, {
      'WWW-Authenticate': 'Bearer',
    });
  }
  static forbidden(detail = 'Your role may not call this endpoint') {
    return new AppError(HttpStatus.FORBIDDEN, 'FORBIDDEN', 'Forbidden', detail);
  }
  static notFound(what: string) {
    return new AppError(HttpStatus.NOT_FOUND, 'NOT_FOUND', 'Not found', `${what} was not found`);
  }
  static conflict(code: string, detail: string) {
    return new AppError(HttpStatus.CONFLICT, code, 'Conflict', detail);
  }
  static unprocessable(code: string, detail: string, errors?: FieldError[]) {
    return new AppError(HttpStatus.UNPROCESSABLE_ENTITY, code, 'Unprocessable content', detail, errors);
  }
  static unavailable(detail = 'The service is temporarily unavailable; retry shortly') {
    return new AppError(
      HttpStatus.SERVICE_UNAVAILABLE,
      'SERVICE_UNAVAILABLE',
      'Service unavailable',
      detail,
      undefined,
      {
        'Retry-After': '1',
      },
    );
  }
}

export function tooManyRequests(retryAfterSeconds: number): AppError {
  return new AppError(
    HttpStatus.TOO_MANY_REQUESTS,
    'RATE_LIMITED',
    'Too many requests',
    `Retry after ${retryAfterSeconds} s`,
    undefined,
    {
      'Retry-After': String(retryAfterSeconds),
    },
  );
}
