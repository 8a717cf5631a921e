import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { preVerify } from '../auth/access-token';
import type { TokenKeysService } from '../auth/token-keys.service';
import type { AppConfig } from '../config/config';
import { tooManyRequests } from '../errors/app-error';
import { sendProblem } from '../errors/problem-details.filter';
import type { RateLimits } from './rate-limits.service';

/**
 * The first middleware: counts the request against its address's budget and checks its bearer token's signature
 * (no database), before any body is read. A request without a valid-looking token is also counted against the
 * tighter unauthenticated budget, so a flood of them meets 429 having cost a signature check at most; its body
 * limit is the unauthenticated one (bodyParsing reads `req.preAuth`).
 */
export function cheapRefusals(
  limits: RateLimits,
  keys: TokenKeysService,
  config: Pick<AppConfig, 'tokenIssuer' | 'tokenAudience'>,
): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const refuse = (retryAfter: number) => {
      // Not worth reading the rest of a refused body: close the connection instead of draining it.
      if (req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined)
        res.setHeader('Connection', 'close');
      sendProblem(req, res, tooManyRequests(retryAfter));
    };
    void (async () => {
      const ip = req.ip ?? req.socket.remoteAddress ?? 'unknown';
      const address = await limits.address(ip);
      if (address.retryAfter > 0) return refuse(address.retryAfter);
      req.preAuth = req.headers.authorization
        ? await preVerify(req.headers.authorization, keys, config)
        : { error: null };
      if ('error' in req.preAuth) {
        const unauthenticated = await limits.unauthenticated(ip);
        if (unauthenticated.retryAfter > 0) return refuse(unauthenticated.retryAfter);
      }
      next();
    })().catch(next);
  };
}
