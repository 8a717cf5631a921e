import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { errors, jwtVerify } from 'jose';
import { DataSource } from 'typeorm';
import { AppError } from '../common/app-error';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Role, ROLES } from './actor';
import { IS_PUBLIC, ROLES_KEY } from './decorators';
import { TOKEN_ALG, TokenKeysService } from './token-keys.service';

interface AccessClaims {
  sub: string;
  agency: string;
  role: Role;
}

/**
 * Deny by default: a route opens only through @Public() or @Roles(...). Every request re-reads the client and its
 * agency, so a revocation or suspension bites on the next request, not at token expiry.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: TokenKeysService,
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = context.switchToHttp().getRequest<Request>();
    const claims = await this.verify(req.header('authorization'));
    const [row] = await this.dataSource.query<{ type: string; marketplace_ids: string[] | null }[]>(
      `SELECT a.type, CASE WHEN a.type = 'marketplace'
                          THEN ARRAY(SELECT m.id FROM marketplaces m WHERE m.agency_id = a.id ORDER BY m.id) END AS marketplace_ids
         FROM api_clients c JOIN agencies a ON a.id = c.agency_id
        WHERE c.id = $1 AND c.agency_id = $2 AND c.revoked_at IS NULL AND a.status = 'active'`,
      [claims.sub, claims.agency],
    );
    if (row?.type !== claims.role) throw AppError.unauthorized();
    req.actor = {
      clientId: claims.sub,
      agencyId: claims.agency,
      role: claims.role,
      requestId: req.id ?? null,
      ...(row.marketplace_ids ? { marketplaceIds: row.marketplace_ids } : {}),
    };
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!roles?.includes(claims.role)) throw AppError.forbidden();
    return true;
  }

  private async verify(header: string | undefined): Promise<AccessClaims> {
    const match = /^Bearer ([A-Za-z0-9_.-]+)$/.exec(header ?? '');
    if (!match) throw AppError.unauthorized('A bearer token is required');
    try {
      const { payload } = await jwtVerify(
        match[1],
        (protectedHeader) => {
          if (protectedHeader.kid !== this.keys.kid) throw new errors.JWKSNoMatchingKey();
          return this.keys.publicKey;
        },
        {
          algorithms: [TOKEN_ALG],
          issuer: this.config.tokenIssuer,
          audience: this.config.tokenAudience,
          requiredClaims: ['sub', 'exp', 'iat', 'jti'],
          clockTolerance: 5,
        },
      );
      const { sub, agency, role } = payload as Partial<AccessClaims>;
      if (typeof sub !== 'string' || typeof agency !== 'string' || !ROLES.includes(role as Role)) {
        throw new Error('claims missing');
      }
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
}
