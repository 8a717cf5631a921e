import { ApiProperty } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

/**
 * The client credentials grant's body (RFC 6749 §4.4), for both media types; the names are OAuth's, hence snake_case.
 * Inline rather than a component, and open: RFC 6749 §3.2 has the server ignore parameters it does not know.
 */
export const TOKEN_REQUEST_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['grant_type'],
  properties: {
    grant_type: { type: 'string', enum: ['client_credentials'] },
    client_id: {
      type: 'string',
      description:
        'client_secret_post: the API client id (a UUID). With HTTP Basic, omit it or send the same id',
      example: '6f9619ff-8b86-4011-b42d-00cf4fc964ff',
    },
    client_secret: {
      type: 'string',
      description:
        'client_secret_post: the secret. Not with HTTP Basic (one authentication method per request)',
    },
    scope: {
      type: 'string',
      description: "Optional: the client's role (its agency's type), the only scope it can be granted",
      example: 'ministry',
    },
  },
  additionalProperties: true,
};

export class TokenResponseDto {
  @ApiProperty({ description: 'A JWT access token (RFC 9068: typ at+jwt), sent as Authorization: Bearer' })
  access_token!: string;

  @ApiProperty({ enum: ['Bearer'], example: 'Bearer' })
  token_type!: 'Bearer';

  @ApiProperty({ type: 'integer', minimum: 1, description: 'Seconds the token is valid', example: 900 })
  expires_in!: number;

  @ApiProperty({ description: "The scope granted: the client's role", example: 'ministry' })
  scope!: string;
}
