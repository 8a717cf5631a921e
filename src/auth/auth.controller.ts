import { Body, Controller, Get, Header, Headers, HttpCode, Inject, Ip, Post, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Accepts } from '../common/media-type.guard';
import { APP_CONFIG, AppConfig } from '../config/config';
import { AuthService } from './auth.service';
import { authorizationServerMetadata, baseUrlOf } from './authorization-server-metadata';
import { Public } from './decorators';
import { AuthorizationServerMetadataDto } from './dto/authorization-server-metadata.dto';
import { JwksDto } from './dto/jwks.dto';
import { ApiOAuthErrors, NO_STORE_HEADERS } from './dto/oauth-error.dto';
import { TOKEN_REQUEST_SCHEMA, TokenResponseDto } from './dto/token-request.dto';
import { TOKEN_ROUTE } from './oauth-errors';
import { TokenKeysService } from './token-keys.service';

@ApiTags('Authentication')
@Controller()
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly keys: TokenKeysService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  // The body is read by readTokenRequest, not a validated DTO: OAuth's own error codes, and RFC 6749 §3.2 has
  // unknown parameters ignored rather than refused.
  @Post(TOKEN_ROUTE)
  @Public()
  @HttpCode(200)
  @Accepts('form', 'json')
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  @ApiOperation({
    summary: 'Get an access token (OAuth 2.0 client credentials grant)',
    description:
      'RFC 6749 §4.4. The client authenticates with HTTP Basic (`client_secret_basic`: `Authorization: Basic base64(form-urlencoded client_id ":" form-urlencoded client_secret)`, RFC 6749 §2.3.1) or with `client_id` and `client_secret` in the body (`client_secret_post`), never both. `scope` is optional: the client is granted its role. Errors are RFC 6749 §5.2 bodies as `application/json` (`error`, `error_description`) with the problem-details members. Discovery: `GET /.well-known/oauth-authorization-server`.',
  })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBody({ schema: TOKEN_REQUEST_SCHEMA })
  @ApiOkResponse({ description: 'An access token', type: TokenResponseDto, headers: NO_STORE_HEADERS })
  @ApiOAuthErrors()
  token(
    @Body() body: Record<string, unknown>,
    @Headers('authorization') authorization: string | undefined,
    @Ip() ip: string,
  ): Promise<TokenResponseDto> {
    return this.auth.issueToken(body, authorization, ip);
  }

  @Get('.well-known/jwks.json')
  @Public()
  @ApiOperation({ summary: 'Public keys that verify access tokens (JWKS)' })
  @ApiOkResponse({ description: 'The JWK Set (RFC 7517)', type: JwksDto })
  jwks(): JwksDto {
    return this.keys.jwks();
  }

  @Get('.well-known/oauth-authorization-server')
  @Public()
  @ApiOperation({
    summary: 'OAuth 2.0 authorization server metadata (RFC 8414)',
    description:
      "The issuer is the access tokens' iss. Absolute URLs start with PUBLIC_BASE_URL when the server is configured with one, else with the request's scheme and host.",
  })
  @ApiOkResponse({ description: 'The metadata document', type: AuthorizationServerMetadataDto })
  metadata(@Req() req: Request): AuthorizationServerMetadataDto {
    return authorizationServerMetadata(this.config.tokenIssuer, baseUrlOf(req, this.config));
  }
}
