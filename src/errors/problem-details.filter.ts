import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { isUnavailable, pgCode, pgConstraint, PgError, UNIQUE_CONSTRAINT_MESSAGES } from './pg-errors';
import { AppError, FieldError } from './app-error';
import { isTokenRequest, oauthErrorBody, TOKEN_RESPONSE_HEADERS } from '../auth/oauth-errors';

export const PROBLEM_BASE = 'https://takedown-exchange.local/problems/';

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance: string;
  requestId: string;
  errors?: FieldError[];
}

const slug = (code: string) => code.toLowerCase().replace(/_/g, '-');

/** Maps anything thrown to an AppError; unknown errors become a bare 500 so no internals leak. */
export function toAppError(exception: unknown): { error: AppError; unexpected: boolean } {
  if (exception instanceof AppError) return { error: exception, unexpected: false };
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const body = exception.getResponse();
    const message = typeof body === 'string' ? body : (body as { message?: unknown }).message;
    const detail = Array.isArray(message)
      ? message.join('; ')
      : typeof message === 'string'
        ? message
        : exception.message;
    const title = HttpStatus[status]
      ? HttpStatus[status].toString().toLowerCase().replace(/_/g, ' ')
      : 'Error';
    const code = HttpStatus[status] ? String(HttpStatus[status]) : 'HTTP_ERROR';
    return {
      error: new AppError(status, code, title.charAt(0).toUpperCase() + title.slice(1), detail),
      unexpected: status >= 500,
    };
  }
  const code = pgCode(exception);
  if (code === PgError.uniqueViolation) {
    const message =
      UNIQUE_CONSTRAINT_MESSAGES[pgConstraint(exception) ?? ''] ??
      'A resource with the same unique value already exists';
    return { error: AppError.conflict('ALREADY_EXISTS', message), unexpected: false };
  }
  if (code === PgError.characterNotInRepertoire || code === PgError.untranslatableCharacter) {
    // The statement failed, so its transaction rolled back: nothing was changed.
    return {
      error: AppError.badRequest('NUL_CHARACTER', 'Text may not contain the NUL character (U+0000)'),
      unexpected: false,
    };
  }
  if (code === PgError.lockNotAvailable || code === PgError.queryCanceled || isUnavailable(exception)) {
    return { error: AppError.unavailable(), unexpected: true };
  }
  return {
    error: new AppError(
      HttpStatus.INTERNAL_SERVER_ERROR,
      'INTERNAL',
      'Internal server error',
      'An unexpected error occurred; it has been logged with this request id',
    ),
    unexpected: true,
  };
}

export function problemBody(error: AppError, instance: string, requestId: string): ProblemDocument {
  return {
    type: PROBLEM_BASE + slug(error.code),
    title: error.title,
    status: error.status,
    ...(error.detail !== undefined ? { detail: error.detail } : {}),
    instance,
    requestId,
    ...(error.errors ? { errors: error.errors } : {}),
  };
}

export function sendProblem(req: Request, res: Response, error: AppError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  for (const [name, value] of Object.entries(error.headers ?? {})) res.setHeader(name, value);
  const requestId = String(req.id ?? res.getHeader('X-Request-Id') ?? '');
  const problem = problemBody(error, req.originalUrl.split('?')[0], requestId);
  if (isTokenRequest(req)) {
    // OAuth libraries read only application/json with RFC 6749 §5.2's `error`; the problem members ride along.
    for (const [name, value] of Object.entries(TOKEN_RESPONSE_HEADERS)) res.setHeader(name, value);
    res
      .status(error.status)
      .type('application/json')
      .send(JSON.stringify(oauthErrorBody(error, problem)));
    return;
  }
  res.status(error.status).type('application/problem+json').send(JSON.stringify(problem));
}

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problem');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request>();
    const res = ctx.getResponse<Response>();
    const { error, unexpected } = toAppError(exception);
    if (unexpected) {
      this.logger.error(
        {
          requestId: req.id,
          err:
            exception instanceof Error ? { message: exception.message, stack: exception.stack } : exception,
        },
        'request failed',
      );
    }
    sendProblem(req, res, error);
  }
}
