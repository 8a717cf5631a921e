import { ApiProperty } from '@nestjs/swagger';

/** RFC 8414 §2, the members that apply to a client-credentials-only server. */
export class AuthorizationServerMetadataDto {
  @ApiProperty({ format: 'uri', description: 'Equal to the iss of the access tokens' })
  issuer!: string;

  @ApiProperty({ format: 'uri' })
  token_endpoint!: string;

  @ApiProperty({ format: 'uri' })
  jwks_uri!: string;

  @ApiProperty({ type: [String], example: ['client_credentials'] })
  grant_types_supported!: string[];

  @ApiProperty({ type: [String], example: ['client_secret_basic', 'client_secret_post'] })
  token_endpoint_auth_methods_supported!: string[];

  @ApiProperty({
    type: [String],
    description: 'One per role; a client is granted its own',
    example: ['ministry'],
  })
  scopes_supported!: string[];

  @ApiProperty({ type: [String], description: 'Empty: there is no authorization endpoint', example: [] })
  response_types_supported!: string[];

  @ApiProperty({ format: 'uri', description: 'Swagger UI for the API' })
  service_documentation!: string;
}
