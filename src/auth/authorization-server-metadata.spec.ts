import { loadConfig } from '../config/config';
import { authorizationServerMetadata } from './authorization-server-metadata';

const env = { DATABASE_URL: 'postgres://u@h/db' };

describe('PUBLIC_BASE_URL', () => {
  it('is the issuer unless TOKEN_ISSUER says otherwise, without its trailing slash', () => {
    expect(loadConfig({ ...env, PUBLIC_BASE_URL: 'https://api.example/takedown/' })).toEqual(
      expect.objectContaining({
        publicBaseUrl: 'https://api.example/takedown',
        tokenIssuer: 'https://api.example/takedown',
      }),
    );
    expect(
      loadConfig({ ...env, PUBLIC_BASE_URL: 'https://api.example', TOKEN_ISSUER: 'https://issuer.example' }),
    ).toEqual(
      expect.objectContaining({
        publicBaseUrl: 'https://api.example',
        tokenIssuer: 'https://issuer.example',
      }),
    );
  });

  it('leaves the issuer at its placeholder when unset', () => {
    expect(loadConfig(env)).toEqual(
      expect.objectContaining({ publicBaseUrl: null, tokenIssuer: 'https://takedown-exchange.local' }),
    );
  });

  it.each([
    ['ftp://api.example', 'PUBLIC_BASE_URL must be a http:// or https:// URL'],
    ['api.example', 'PUBLIC_BASE_URL is not a valid URL'],
    ['https://api.example/?x=1', 'PUBLIC_BASE_URL must not carry credentials, a query or a fragment'],
    ['https://api.example/#top', 'PUBLIC_BASE_URL must not carry credentials, a query or a fragment'],
    ['https://user:pw@api.example', 'PUBLIC_BASE_URL must not carry credentials, a query or a fragment'],
  ])('refuses %s', (value, message) => {
    expect(() => loadConfig({ ...env, PUBLIC_BASE_URL: value })).toThrow(message);
  });
});

describe('authorizationServerMetadata', () => {
  it('puts every endpoint under the base URL and the issuer as given', () => {
    expect(authorizationServerMetadata('https://issuer.example', 'https://api.example/takedown')).toEqual({
      issuer: 'https://issuer.example',
      token_endpoint: 'https://api.example/takedown/v1/auth/token',
      jwks_uri: 'https://api.example/takedown/.well-known/jwks.json',
      grant_types_supported: ['client_credentials'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      scopes_supported: ['operator', 'ministry', 'marketplace', 'association', 'police'],
      response_types_supported: [],
      service_documentation: 'https://api.example/takedown/docs',
    });
  });
});
