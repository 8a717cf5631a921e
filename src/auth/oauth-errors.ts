import { HttpStatus } from '@nestjs/common';
import type { Request } from 'express';
import { AppError } from '../errors/app-error';
import type { ProblemDocument } from '../errors/problem-details.filter';

/** The token endpoint's route, as the controller declares it. */
export const TOKEN_ROUTE = 'v1/auth/token';

/** RFC 6749 §5.2's codes, and RFC 6749 §4.1.2.1's two for a server that cannot answer now. */
export const OAUTH_ERROR_CODES = [
  'invalid_request',
  'invalid_client',
  'unsupported_grant_type',
  'invalid_scope',
  'temporarily_unavailable',
  'server_error',
] as const;
export type OAuthErrorCode = (typeof OAUTH_ERROR_CODES)[number];

/** RFC 6749 §5.2 with the problem-details members every other error of the API carries. */
export interface OAuthErrorBody extends ProblemDocument {
  error: OAuthErrorCode;
  error_description: string;
}

/** The challenge of RFC 7617: user-id and password are UTF-8 (each form-urlencoded first, RFC 6749 §2.3.1). */
export const BASIC_CHALLENGE = 'Basic realm="takedown-exchange", charset="UTF-8"';

/** On every answer of the token endpoint, success or error (RFC 6749 §5.1). */
export const TOKEN_RESPONSE_HEADERS = { 'Cache-Control': 'no-store', Pragma: 'no-cache' } as const;

const TITLES: Record<OAuthErrorCode, string> = {
  invalid_request: 'Invalid request',
  invalid_client: 'Invalid client',
  unsupported_grant_type: 'Unsupported grant type',
  invalid_scope: 'Invalid scope',
  temporarily_unavailable: 'Temporarily unavailable',
  server_error: 'Server error',
};

/** An error of the token endpoint with its OAuth code; the code is also the problem type's last segment. */
export function oauthError(
  code: Exclude<OAuthErrorCode, 'invalid_client' | 'temporarily_unavailable' | 'server_error'>,
  description: string,
): AppError {
  return new AppError(HttpStatus.BAD_REQUEST, code.toUpperCase(), TITLES[code], description);
}

/**
 * invalid_client is 401. A client that tried HTTP Basic, or sent no credentials at all, is told which scheme to use
 * (RFC 6749 §5.2 requires the challenge when the Authorization header was used); one that sent its secret in the
 * body gets none, as the RFC asks no challenge of it.
 */
export function invalidClient(description: string, challenge: boolean): AppError {
  return new AppError(
    HttpStatus.UNAUTHORIZED,
    'INVALID_CLIENT',
    TITLES.invalid_client,
    description,
    undefined,
    challenge ? { 'WWW-Authenticate': BASIC_CHALLENGE } : undefined,
  );
}

/**
 * Whether this request is one for the token endpoint, answered the OAuth way even when the refusal comes before
 * routing (rate limits, body parsing). Express routes case-insensitively and forgives a trailing slash; so does this.
 */
export function isTokenRequest(req: Request): boolean {
  if (req.method !== 'POST') return false;
  const path = req.originalUrl.split('?')[0].toLowerCase().replace(/\/+$/, '');
  return path === `/${TOKEN_ROUTE}`;
}

/**
 * The OAuth code of any error the token endpoint answers. Errors raised as OAuth errors keep theirs; the pipeline's
 * (a body it cannot read, a media type it does not take, a rate limit) are mapped by status: a rate limit is
 * temporarily_unavailable, so a library retries after Retry-After rather than report a malformed request.
 */
export function oauthErrorCode(error: AppError): OAuthErrorCode {
  const own = OAUTH_ERROR_CODES.find((code) => code === error.code.toLowerCase());
  if (own) return own;
  if (error.status === 401) return 'invalid_client';
  if (error.status === 429 || error.status === 503) return 'temporarily_unavailable';
  if (error.status >= 500) return 'server_error';
  return 'invalid_request';
}

/** RFC 6749 §5.2 allows error_description only printable ASCII without `"` and `\`. */
function describe(text: string): string {
  return text.replace(/["\\]/g, "'").replace(/[^\x20-\x7e]/g, '?');
}

export function oauthErrorBody(error: AppError, problem: ProblemDocument): OAuthErrorBody {
  return {
    error: oauthErrorCode(error),
    error_description: describe(error.detail ?? error.title),
    ...problem,
  };
}
