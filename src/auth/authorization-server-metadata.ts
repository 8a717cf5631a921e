import type { Request } from 'express';
import type { AppConfig } from '../config/config';
import { ROLES } from './actor';
import type { AuthorizationServerMetadataDto } from './dto/authorization-server-metadata.dto';
import { TOKEN_ROUTE } from './oauth-errors';

/**
 * The base of the metadata's absolute URLs: PUBLIC_BASE_URL when configured, as it should be in production (it does
 * not depend on what a client puts in Host). Otherwise the request's own scheme and host (X-Forwarded-* only from
 * TRUST_PROXY's proxies), so an unconfigured server still points a client back where it came from.
 */
export function baseUrlOf(req: Request, config: Pick<AppConfig, 'publicBaseUrl'>): string {
  return config.publicBaseUrl ?? `${req.protocol}://${req.host}`;
}

/** RFC 8414 §2 for a server that only issues tokens for client credentials. */
export function authorizationServerMetadata(issuer: string, baseUrl: string): AuthorizationServerMetadataDto {
  return {
    issuer,
    token_endpoint: `${baseUrl}/${TOKEN_ROUTE}`,
    jwks_uri: `${baseUrl}/.well-known/jwks.json`,
    grant_types_supported: ['client_credentials'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    scopes_supported: [...ROLES],
    response_types_supported: [],
    service_documentation: `${baseUrl}/docs`,
  };
}
