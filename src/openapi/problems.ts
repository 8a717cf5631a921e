import { applyDecorators } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  getSchemaPath,
} from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty({ example: 'links[3].url' })
  path!: string;

  @ApiProperty({ example: 'is required' })
  message!: string;
}

/** RFC 9457 problem details, as every error of the API is answered (extension members may follow). */
export class ProblemDetailsDto {
  @ApiProperty({ format: 'uri', example: 'https://takedown-exchange.local/problems/validation-failed' })
  type!: string;

  @ApiProperty({ example: 'Validation failed' })
  title!: string;

  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599, example: 400 })
  status!: number;

  @ApiPropertyOptional({ example: 'links[3].url: is required' })
  detail?: string;

  @ApiProperty({ description: 'The request path', example: '/v1/link-batches' })
  instance!: string;

  @ApiProperty({ description: 'Quote it when you report a problem; also the X-Request-Id header' })
  requestId!: string;

  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'One entry per refused field' })
  errors?: FieldErrorDto[];
}

export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

const DESCRIPTIONS = {
  400: 'Bad request: the body, a parameter or a header is invalid',
  401: 'Missing, invalid or expired access token',
  403: 'The caller’s role may not call this, or the record is not theirs',
  404: 'Not found (or not visible to the caller)',
  406: 'None of the media types the Accept header allows is one this route answers',
  409: 'Conflict with the current state',
  410: 'Gone',
  413: 'The body exceeds the limit for its media type',
  415: 'The body’s media type is not one this route accepts',
  422: 'Well-formed but refused by a rule',
  429: 'Too many requests: wait Retry-After seconds',
  431: 'The request’s header fields are too large',
  503: 'Temporarily unavailable: retry after Retry-After seconds',
} satisfies Record<number, string>;

export type ProblemStatus = keyof typeof DESCRIPTIONS;
export const PROBLEM_STATUSES = Object.keys(DESCRIPTIONS).map((s) => Number(s) as ProblemStatus);

/** The problem response of one status, as an OpenAPI response object (for the document's post-processing too). */
export function problemResponse(
  status: number,
  description = (DESCRIPTIONS as Record<number, string>)[status] ?? 'Error',
) {
  return {
    description,
    content: { [PROBLEM_MEDIA_TYPE]: { schema: { $ref: getSchemaPath(ProblemDetailsDto) } } },
  };
}

/**
 * The error statuses a route can answer, each with the problem-details schema. Pass a status, or [status, what it
 * means here]. 401, 403, 429, 431 and 503 are added to every route that needs them by the document itself.
 */
export const ApiProblems = (...problems: (ProblemStatus | [ProblemStatus, string])[]) =>
  applyDecorators(
    ApiExtraModels(ProblemDetailsDto),
    ...problems.map((p) => {
      const [status, description] = Array.isArray(p) ? p : [p, undefined];
      return ApiResponse({ status, ...problemResponse(status, description) });
    }),
  );
