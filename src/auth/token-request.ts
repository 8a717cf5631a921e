import { invalidClient, oauthError } from './oauth-errors';

export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post';

/** A client credentials grant (RFC 6749 §4.4) as read from the body and the Authorization header. */
export interface TokenRequest {
  clientId: string;
  clientSecret: string;
  method: ClientAuthMethod;
  /** The scope tokens asked for (RFC 6749 §3.3); empty when none were. */
  scope: string[];
}

const PARAMETERS = ['grant_type', 'client_id', 'client_secret', 'scope', 'client_assertion'] as const;
type Parameter = (typeof PARAMETERS)[number];

// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;
const BASIC = /^basic +([A-Za-z0-9+/]+={0,2}) *$/i;

/**
 * The parameters this grant knows, each a single string or absent. RFC 6749 §3.2: a parameter without a value counts
 * as omitted, unrecognized ones are ignored, and none may be sent twice (a form body repeats it, giving an array).
 */
function readParameters(body: unknown): Partial<Record<Parameter, string>> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw oauthError('invalid_request', 'The body must be a form or a JSON object of the grant parameters');
  }
  const out: Partial<Record<Parameter, string>> = {};
  for (const name of PARAMETERS) {
    const value = (body as Record<string, unknown>)[name];
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) throw oauthError('invalid_request', `${name} is sent more than once`);
    if (typeof value !== 'string') throw oauthError('invalid_request', `${name} must be a string`);
    out[name] = value;
  }
  return out;
}

/** application/x-www-form-urlencoded decoding (RFC 6749 §2.3.1 encodes id and secret so before Basic's base64). */
function formDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}

/** Client id and secret from `Authorization: Basic ...`; any other scheme, or a malformed one, is a failed authentication. */
function readBasic(authorization: string): { clientId: string; clientSecret: string } {
  const match = BASIC.exec(authorization);
  if (!match) {
    throw invalidClient(
      /^basic\b/i.test(authorization)
        ? 'The Authorization header is not valid Basic credentials'
        : 'The token endpoint takes client_secret_basic (Authorization: Basic) or client_secret_post',
      true,
    );
  }
  try {
    const decoded = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(match[1], 'base64'));
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new Error('no colon');
    const clientId = formDecode(decoded.slice(0, colon));
    const clientSecret = formDecode(decoded.slice(colon + 1));
    if (!clientId || !clientSecret) throw new Error('empty');
    return { clientId, clientSecret };
  } catch {
    throw invalidClient(
      'The Authorization header is not valid Basic credentials: base64 of the form-urlencoded client id, a colon, and the form-urlencoded secret',
      true,
    );
  }
}

function readScope(scope: string | undefined): string[] {
  const tokens = (scope ?? '').split(' ').filter(Boolean);
  if (!tokens.every((t) => SCOPE_TOKEN.test(t))) throw oauthError('invalid_scope', 'The scope is malformed');
  return [...new Set(tokens)];
}

/**
 * Reads a token request without touching the database, so a malformed one costs nothing: OAuth's codes in the order a
 * client can act on them (invalid_request, unsupported_grant_type, invalid_client); the secret is checked later.
 */
export function readTokenRequest(body: unknown, authorizationHeader: string | undefined): TokenRequest {
  const authorization = authorizationHeader?.trim() || undefined;
  const p = readParameters(body);
  if (!p.grant_type) throw oauthError('invalid_request', 'grant_type is required');
  if (p.grant_type !== 'client_credentials') {
    throw oauthError('unsupported_grant_type', 'Only the client_credentials grant is supported');
  }
  const scope = readScope(p.scope);
  const methods = [
    authorization !== undefined,
    p.client_secret !== undefined,
    p.client_assertion !== undefined,
  ];
  if (methods.filter(Boolean).length > 1) {
    throw oauthError(
      'invalid_request',
      'Use one client authentication method: HTTP Basic or client_id and client_secret in the body, not both',
    );
  }
  if (p.client_assertion !== undefined) {
    throw invalidClient(
      'client_assertion is not supported: use client_secret_basic or client_secret_post',
      true,
    );
  }
  if (authorization !== undefined) {
    const basic = readBasic(authorization);
    if (p.client_id !== undefined && p.client_id !== basic.clientId) {
      throw oauthError('invalid_request', 'client_id in the body is not the one in the Authorization header');
    }
    return { ...basic, method: 'client_secret_basic', scope };
  }
  if (p.client_secret === undefined) {
    throw invalidClient(
      'Client authentication is required: HTTP Basic, or client_id and client_secret in the body',
      true,
    );
  }
  if (p.client_id === undefined)
    throw oauthError('invalid_request', 'client_secret was sent without client_id');
  return { clientId: p.client_id, clientSecret: p.client_secret, method: 'client_secret_post', scope };
}
