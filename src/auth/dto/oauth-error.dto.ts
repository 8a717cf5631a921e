import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import { ProblemDetailsDto } from '../../openapi/problems';
import { BASIC_CHALLENGE, OAUTH_ERROR_CODES, OAuthErrorCode } from '../oauth-errors';

/** RFC 6749 §5.2's error response, carrying the problem-details members as well. */
export class OAuthErrorDto extends ProblemDetailsDto {
  @ApiProperty({ enum: OAUTH_ERROR_CODES, example: 'invalid_client' })
  error!: OAuthErrorCode;

  @ApiProperty({ description: 'What was wrong, in printable ASCII', example: 'Invalid client credentials' })
  error_description!: string;
}

export const NO_STORE_HEADERS = {
  'Cache-Control': { description: 'no-store: a token answer is never cached', schema: { type: 'string' } },
  Pragma: { description: 'no-cache, for HTTP/1.0 caches', schema: { type: 'string' } },
};

const OAUTH_ERRORS = {
  400: 'invalid_request (malformed, a parameter repeated, two authentication methods), unsupported_grant_type, or invalid_scope',
  401: `invalid_client: unknown client, wrong secret, revoked client or suspended agency (one answer for all), or no or unsupported client authentication. With WWW-Authenticate: ${BASIC_CHALLENGE} when HTTP Basic was used or no credentials were sent`,
  413: 'invalid_request: the body exceeds the limit for its media type',
  415: 'invalid_request: the body is neither application/x-www-form-urlencoded nor application/json',
  429: 'temporarily_unavailable: too many failed attempts for this client id from this address, or too many requests from it; retry after Retry-After seconds',
  503: 'temporarily_unavailable: retry after Retry-After seconds',
} as const;

/** The token endpoint's errors: application/json (the only type OAuth libraries read) with the OAuth error schema. */
export const ApiOAuthErrors = () =>
  applyDecorators(
    ApiExtraModels(OAuthErrorDto),
    ...Object.entries(OAUTH_ERRORS).map(([status, description]) =>
      ApiResponse({
        status: Number(status),
        description,
        headers: {
          ...NO_STORE_HEADERS,
          ...(status === '401'
            ? { 'WWW-Authenticate': { description: 'The Basic challenge', schema: { type: 'string' } } }
            : {}),
        },
        content: { 'application/json': { schema: { $ref: getSchemaPath(OAuthErrorDto) } } },
      }),
    ),
  );
