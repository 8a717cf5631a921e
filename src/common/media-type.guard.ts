import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AppError } from '../errors/app-error';

const ACCEPTS = 'accepts-media-types';
export type BodyMediaType = 'json' | 'form' | 'csv' | 'jpeg' | 'png' | 'webp';

/** Routes accept JSON bodies unless they say otherwise with @Accepts(...). */
export const Accepts = (...types: BodyMediaType[]) => SetMetadata(ACCEPTS, types);

export const MEDIA_TYPES: Record<BodyMediaType, string> = {
  json: 'application/json',
  form: 'application/x-www-form-urlencoded',
  csv: 'text/csv',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
};

const PATTERNS: Record<BodyMediaType, RegExp> = {
  json: /^application\/([a-z0-9.+-]+\+)?json\b/i,
  form: /^application\/x-www-form-urlencoded\b/i,
  csv: /^text\/csv\b/i,
  jpeg: /^image\/jpeg\b/i,
  png: /^image\/png\b/i,
  webp: /^image\/webp\b/i,
};

/** `a`, `a or b`, `a, b or c`. */
const either = (items: string[]) =>
  items.length > 1 ? `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}` : items[0];

/** The 415 of a route, naming the media types it takes and what it got. */
export function unsupportedMediaType(
  accepted: readonly BodyMediaType[],
  contentType: string | undefined,
): AppError {
  const types = either(accepted.map((t) => MEDIA_TYPES[t]));
  const got = contentType?.split(';')[0].trim();
  return new AppError(
    415,
    'UNSUPPORTED_MEDIA_TYPE',
    'Unsupported media type',
    got
      ? `This route accepts a body as ${types}, not ${got}`
      : `This route accepts a body as ${types}; say which in Content-Type`,
  );
}

/**
 * A body of a media type the route does not take is refused here, where the route is known: the body parsers read
 * only the types some route takes and leave any other body unread.
 */
@Injectable()
export class MediaTypeGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    const type = req.headers['content-type'];
    const hasBody =
      req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
    if (!hasBody) return true;
    const accepted = this.reflector.getAllAndOverride<BodyMediaType[]>(ACCEPTS, [
      context.getHandler(),
      context.getClass(),
    ]) ?? ['json'];
    if (type && accepted.some((t) => PATTERNS[t].test(type))) return true;
    throw unsupportedMediaType(accepted, type);
  }
}
