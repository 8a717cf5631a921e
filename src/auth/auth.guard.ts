import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { AppError } from '../errors/app-error';
import { APP_CONFIG, AppConfig } from '../config/config';
import { RateLimits } from '../common/rate-limits.service';
import { preVerify } from './access-token';
import { Role } from './actor';
import { IS_PUBLIC, ROLES_KEY } from './decorators';
import { TokenKeysService } from './token-keys.service';

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
    private readonly limits: RateLimits,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = context.switchToHttp().getRequest<Request>();
    const pre = req.preAuth ?? (await preVerify(req.header('authorization'), this.keys, this.config));
    // Without a valid-looking token the request was already charged to the unauthenticated budget.
    if ('error' in pre) throw pre.error ?? AppError.unauthorized('A bearer token is required');
    const claims = pre.claims;
    const [row] = await this.dataSource.query<{ type: string; marketplace_ids: string[] | null }[]>(
      `SELECT a.type, CASE WHEN a.type = 'marketplace'
                          THEN ARRAY(SELECT m.id FROM marketplaces m WHERE m.agency_id = a.id ORDER BY m.id) END AS marketplace_ids
         FROM api_clients c JOIN agencies a ON a.id = c.agency_id
        WHERE c.id = $1 AND c.agency_id = $2 AND c.revoked_at IS NULL AND a.status = 'active'`,
      [claims.sub, claims.agency],
    );
    if (row?.type !== claims.role) {
      // A signed token of a revoked client or suspended agency: a failed authentication all the same.
      await this.limits.unauthenticated(req.ip ?? '');
      throw AppError.unauthorized();
    }
    req.actor = {
      clientId: claims.sub,
      agencyId: claims.agency,
      role: claims.role,
      requestId: req.id ?? null,
      ...(row.marketplace_ids ? { marketplaceIds: row.marketplace_ids } : {}),
    };
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!roles?.includes(claims.role)) throw AppError.forbidden(forbiddenDetail(claims.role, roles ?? []));
    return true;
  }
}

/** Names the caller's role and who may call, so a 403 says whether another client of theirs would do. */
export function forbiddenDetail(role: Role, allowed: readonly Role[]): string {
  return allowed.length > 0
    ? `Your role (${role}) may not call this; it is for ${allowed.join(', ')}`
    : `Your role (${role}) may not call this; no role may`;
}
