import { errors, jwtVerify } from 'jose';
import { AppError } from '../errors/app-error';
import type { AppConfig } from '../config/config';
import { Role, ROLES } from './actor';
import { TOKEN_ALG, TokenKeysService } from './token-keys.service';

export interface AccessClaims {
  sub: string;
  agency: string;
  role: Role;
}

const BEARER = /^Bearer ([A-Za-z0-9_.-]+)$/;

/**
 * Checks an access token's signature, type (RFC 9068's at+jwt, so no other JWT passes for one), issuer, audience
 * and lifetime: no database, so it is cheap enough to run before a body is read. Whether the client is still allowed
 * is the AuthGuard's question.
 */
export async function verifyAccessToken(
  header: string | undefined,
  keys: TokenKeysService,
  config: Pick<AppConfig, 'tokenIssuer' | 'tokenAudience'>,
): Promise<AccessClaims> {
  const match = BEARER.exec(header ?? '');
  if (!match) throw AppError.unauthorized('A bearer token is required');
  try {
    const { payload } = await jwtVerify(
      match[1],
      (protectedHeader) => {
        if (protectedHeader.kid !== keys.kid) throw new errors.JWKSNoMatchingKey();
        return keys.publicKey;
      },
      {
        algorithms: [TOKEN_ALG],
        typ: 'at+jwt',
        issuer: config.tokenIssuer,
        audience: config.tokenAudience,
        requiredClaims: ['sub', 'client_id', 'exp', 'iat', 'jti'],
        clockTolerance: 5,
      },
    );
    const { sub, agency, role } = payload as Partial<AccessClaims>;
    if (typeof sub !== 'string' || typeof agency !== 'string' || !ROLES.includes(role as Role)) {
      throw new Error('claims missing');
    }
    if (payload.client_id !== sub) throw new Error('client_id is not the subject');
    if (
      typeof payload.exp !== 'number' ||
      typeof payload.iat !== 'number' ||
      payload.exp - payload.iat > 900
    ) {
      throw new Error('lifetime too long');
    }
    return { sub, agency, role: role as Role };
  } catch {
    throw AppError.unauthorized('The access token is invalid or expired');
  }
}

/** A request's token as the first middleware found it: its claims, or the 401 it would get (null: no header). */
export type PreVerifiedToken = { claims: AccessClaims } | { error: AppError | null };

export async function preVerify(
  header: string | undefined,
  keys: TokenKeysService,
  config: Pick<AppConfig, 'tokenIssuer' | 'tokenAudience'>,
): Promise<PreVerifiedToken> {
  try {
    return { claims: await verifyAccessToken(header, keys, config) };
  } catch (error) {
    return { error: error as AppError };
  }
}
