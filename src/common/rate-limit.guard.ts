import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { APP_CONFIG, AppConfig } from '../config/config';
import { tooManyRequests } from './app-error';
import { RateLimiter } from './rate-limiter';

/** Per-client (else per-address) request budget; runs after authentication so it can key on the client. */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly limiter: RateLimiter;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.limiter = new RateLimiter(config.rateLimitPerMinute);
  }

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    const wait = this.limiter.hit(req.actor?.clientId ? `client:${req.actor.clientId}` : `ip:${req.ip}`);
    if (wait > 0) throw tooManyRequests(wait);
    return true;
  }
}
