import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AppError } from '../errors/app-error';

const ACCEPTS = 'accepts-media-types';
export type BodyMediaType = 'json' | 'form' | 'csv';

/** Routes accept JSON bodies unless they say otherwise with @Accepts(...). */
export const Accepts = (...types: BodyMediaType[]) => SetMetadata(ACCEPTS, types);

const PATTERNS: Record<BodyMediaType, RegExp> = {
  json: /^application\/([a-z0-9.+-]+\+)?json\b/i,
  form: /^application\/x-www-form-urlencoded\b/i,
  csv: /^text\/csv\b/i,
};

@Injectable()
export class MediaTypeGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    const type = req.headers['content-type'];
    const hasBody =
      req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
    if (!hasBody || !type) return true;
    const accepted = this.reflector.getAllAndOverride<BodyMediaType[]>(ACCEPTS, [
      context.getHandler(),
      context.getClass(),
    ]) ?? ['json'];
    if (accepted.some((t) => PATTERNS[t].test(type))) return true;
    throw new AppError(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      'Unsupported media type',
      `This endpoint accepts ${accepted.join(', ')} bodies, not ${type.split(';')[0]}`,
    );
  }
}
