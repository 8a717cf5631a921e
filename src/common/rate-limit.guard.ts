import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { tooManyRequests } from '../errors/app-error';
import { RateLimits } from './rate-limits.service';

/**
 * Per-client request budget; runs after authentication so it can key on the client. Addresses, and requests
 * without a valid token, were already limited before their bodies were read (cheapRefusals).
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(private readonly limits: RateLimits) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<Request>();
    if (!req.actor?.clientId) return true;
    const { retryAfter } = await this.limits.client(req.actor.clientId);
    if (retryAfter > 0) throw tooManyRequests(retryAfter);
    return true;
  }
}
