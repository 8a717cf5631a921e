import { createHash } from 'node:crypto';
import * as express from 'express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { AppError } from '../errors/app-error';
import { sendProblem } from '../errors/problem-details.filter';

const MAX_DEPTH = 32;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Rejects keys that could reach an object's prototype when copied, and absurd nesting, before any DTO sees them. The
 * path is assembled only for what is refused (on the way back up, `at` collecting its steps innermost first): a bulk
 * body has tens of thousands of values, and naming each one on the way down cost more than the walk.
 */
function unsafeKeyIn(value: object, depth: number, at: (string | number)[]): string | null {
  if (depth > MAX_DEPTH) return `nested deeper than ${MAX_DEPTH} levels`;
  const array = Array.isArray(value);
  for (const key of array ? value.keys() : Object.keys(value)) {
    if (!array && FORBIDDEN_KEYS.has(key as string)) {
      at.push(key);
      return 'property is not allowed';
    }
    const item = (value as Record<string | number, unknown>)[key];
    if (typeof item === 'object' && item !== null) {
      const found = unsafeKeyIn(item, depth + 1, at);
      if (found) {
        at.push(key);
        return found;
      }
    }
  }
  return null;
}

function findUnsafeKey(body: object): string | null {
  const at: (string | number)[] = [];
  const problem = unsafeKeyIn(body, 0, at);
  if (!problem) return null;
  const path = at
    .reverse()
    .reduce<string>((p, k) => (typeof k === 'number' ? `${p}[${k}]` : p ? `${p}.${k}` : k), '');
  return `${path}: ${problem}`;
}

function rememberHash(req: Request, _res: Response, buf: Buffer): void {
  req.bodySha256 = createHash('sha256').update(buf).digest('hex');
}

export interface BodyLimits {
  json: string;
  csv: string;
  /** A raw image, read only on the routes of IMAGE_ROUTE (POST /v1/fingerprints); 10 MB unless said. */
  image?: string;
  /** For a request without a valid-looking bearer token (see cheapRefusals): only public routes take those. */
  unauthenticated?: string;
}

/** The one route that takes an image body; an image sent anywhere else is left unread for MediaTypeGuard's 415. */
const IMAGE_ROUTE = /^\/v1\/fingerprints\/?$/i;
const IMAGE_TYPE = /^image\/(jpeg|png|webp)\b/i;
const IMAGE_LIMIT = '10mb';

function parsers(limits: { json: string; csv: string; image: string }) {
  // body-parser counts `limit` on the inflated body for gzip, deflate and br alike, and stops inflating there.
  return {
    json: express.json({
      limit: limits.json,
      strict: true,
      type: ['application/json', 'application/*+json'],
      verify: rememberHash,
    }),
    form: express.urlencoded({
      limit: '16kb',
      extended: false,
      parameterLimit: 20,
      verify: rememberHash,
    }),
    csv: express.text({
      limit: limits.csv,
      type: ['text/csv'],
      defaultCharset: 'utf-8',
      verify: rememberHash,
    }),
    // The bytes as they came, for sharp to sniff and decode; hashed like any body, for Idempotency-Key.
    image: express.raw({
      limit: limits.image,
      type: ['image/jpeg', 'image/png', 'image/webp'],
      verify: rememberHash,
    }),
  };
}

/** A body parser's error as the problem it answers. */
function parserProblem(err: unknown): AppError {
  const e = err as { type?: string; status?: number; message?: string };
  if (e.type === 'entity.too.large') {
    return new AppError(
      413,
      'PAYLOAD_TOO_LARGE',
      'Payload too large',
      'The request body exceeds the limit for this media type',
    );
  }
  if (e.type === 'entity.parse.failed') {
    return AppError.badRequest('MALFORMED_BODY', 'The request body is not valid JSON');
  }
  if (e.type === 'charset.unsupported' || e.type === 'encoding.unsupported') {
    return new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Unsupported media type', e.message);
  }
  return AppError.badRequest('MALFORMED_BODY', 'The request body could not be read');
}

/**
 * A body over the unauthenticated limit under a bearer token that failed (expired, say) is answered with that
 * token's 401: "payload too large" would send the client to shrink its batch instead of fetching a new token.
 */
function tooLargeForToken(err: unknown, refusedToken: AppError | null): AppError | null {
  return refusedToken && (err as { type?: string }).type === 'entity.too.large' ? refusedToken : null;
}

/**
 * Body parsing with explicit limits. Parser errors become problem details here, because they happen before
 * Nest's exception filter can see the request. Which media types a route accepts is decided per route
 * (MediaTypeGuard); a body of any other type is not read at all.
 */
export function bodyParsing(limits: BodyLimits): RequestHandler {
  const authenticated = parsers({ ...limits, image: limits.image ?? IMAGE_LIMIT });
  const unauthenticated = limits.unauthenticated
    ? parsers({ json: limits.unauthenticated, csv: limits.unauthenticated, image: limits.unauthenticated })
    : authenticated;
  return (req: Request, res: Response, next: NextFunction) => {
    const refused = req.preAuth && 'error' in req.preAuth ? req.preAuth : null;
    const { json, form, csv, image } = refused ? unauthenticated : authenticated;
    const refusedToken = refused && /^bearer /i.test(req.headers.authorization ?? '') ? refused.error : null;
    const done = (err?: unknown) => {
      if (err) return sendProblem(req, res, tooLargeForToken(err, refusedToken) ?? parserProblem(err));
      // A raw image is a Buffer: its bytes are no keys to walk.
      const body: unknown = req.body;
      const parsed = typeof body === 'object' && body !== null && !Buffer.isBuffer(body);
      const unsafe = parsed ? findUnsafeKey(body) : null;
      if (unsafe) return sendProblem(req, res, AppError.badRequest('UNSAFE_JSON', unsafe));
      return next();
    };
    const hasBody =
      req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
    if (!hasBody) return next();
    const type = req.headers['content-type'] ?? '';
    if (/^application\/([a-z0-9.+-]+\+)?json\b/i.test(type)) return json(req, res, done);
    if (/^application\/x-www-form-urlencoded\b/i.test(type)) return form(req, res, done);
    if (/^text\/csv\b/i.test(type)) return csv(req, res, done);
    if (IMAGE_TYPE.test(type) && req.method === 'POST' && IMAGE_ROUTE.test(req.path))
      return image(req, res, done);
    // Left unread: MediaTypeGuard answers 415 with the media types of the route, which is not known here.
    return next();
  };
}
