import {
  CallHandler,
  ExecutionContext,
  HttpStatus,
  Injectable,
  NestInterceptor,
  StreamableFile,
} from '@nestjs/common';
import { HEADERS_METADATA, HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { catchError, from, map, Observable, switchMap } from 'rxjs';
import { DataSource } from 'typeorm';
import { AppError } from '../errors/app-error';
import {
  idempotencyStorage,
  IdempotencyReplayNeeded,
  IdempotentRequest,
  StoredResponse,
} from './idempotency-context';
import { IdempotencySecrets } from './idempotency-secrets';

const VALID_KEY = /^[\x20-\x7e]{1,255}$/;

/**
 * Idempotency-Key on state-changing requests: same client, key and body → the stored response, replayed byte for
 * byte; same key, other body → 422; same key still in flight → 409 (decided inside the transaction, see
 * IdempotentRequest.claim). The first answer is sent from the very bytes its transaction stored.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reflector: Reflector,
    private readonly secrets: IdempotencySecrets,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request>();
    const key = req.header('idempotency-key');
    if (key === undefined || !['POST', 'PATCH', 'DELETE'].includes(req.method) || !req.actor?.clientId) {
      return next.handle();
    }
    if (!VALID_KEY.test(key)) {
      throw AppError.badRequest(
        'INVALID_IDEMPOTENCY_KEY',
        'Idempotency-Key must be 1-255 printable ASCII characters',
      );
    }
    const { status, headers } = this.routeResponse(req, context.getHandler());
    const request = new IdempotentRequest(
      this.secrets,
      req.actor.clientId,
      key,
      requestHash(req),
      status,
      headers,
    );
    const res = context.switchToHttp().getResponse<Response>();
    return from(request.find(this.dataSource)).pipe(
      switchMap((stored) => (stored ? [send(res, stored, true)] : this.answerFirst(req, res, request, next))),
    );
  }

  /** Nest sets the route's status and fixed headers itself; they are stored too, so a record is the whole response. */
  private routeResponse(
    req: Request,
    handler: ReturnType<ExecutionContext['getHandler']>,
  ): { status: number; headers: [string, string][] } {
    const status =
      this.reflector.get<number | undefined>(HTTP_CODE_METADATA, handler) ??
      (req.method === 'POST' ? HttpStatus.CREATED : HttpStatus.OK);
    const headers = (
      this.reflector.get<{ name: string; value: string }[] | undefined>(HEADERS_METADATA, handler) ?? []
    )
      .filter((h) => typeof h.value === 'string')
      .map((h): [string, string] => [h.name, h.value]);
    return { status, headers };
  }

  /** The first request with this key: the handler runs and answers from what its transaction stored. */
  private answerFirst(
    req: Request,
    res: Response,
    request: IdempotentRequest,
    next: CallHandler,
  ): Observable<unknown> {
    return new Observable<unknown>((subscriber) =>
      idempotencyStorage.run(request, () => next.handle().subscribe(subscriber)),
    ).pipe(
      map((result) => {
        if (request.answer === undefined || request.answer.result !== result) {
          throw new Error(
            `${req.method} ${req.path} did not answer through TransactionService.answer; its Idempotency-Key response was not stored`,
          );
        }
        return send(res, request.answer.response, false);
      }),
      catchError((error: unknown) => {
        if (!(error instanceof IdempotencyReplayNeeded)) throw error;
        return this.replay(res, request);
      }),
    );
  }

  private replay(res: Response, request: IdempotentRequest): Observable<unknown> {
    return from(request.find(this.dataSource)).pipe(
      map((stored) => {
        if (!stored) throw new Error('The stored Idempotency-Key response vanished before its replay');
        return send(res, stored, true);
      }),
    );
  }
}

function requestHash(req: Request): string {
  return createHash('sha256')
    .update(`${req.method} ${req.originalUrl}\n${req.headers['content-type'] ?? ''}\n${req.bodySha256 ?? ''}`)
    .digest('hex');
}

/** Sends the stored bytes as they are; Nest adds Content-Length for a StreamableFile and keeps our Content-Type. */
function send(res: Response, stored: StoredResponse, replayed: boolean): StreamableFile | undefined {
  if (replayed) res.setHeader('Idempotent-Replayed', 'true');
  for (const [name, value] of stored.headers) res.setHeader(name, value);
  res.status(stored.status);
  return stored.body.length > 0 ? new StreamableFile(stored.body) : undefined;
}
