import { CallHandler, ExecutionContext, HttpStatus, Injectable, NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { Reflector } from '@nestjs/core';
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { catchError, from, Observable, of, switchMap } from 'rxjs';
import { DataSource } from 'typeorm';
import { AppError } from './app-error';
import { IdempotencyContext, idempotencyStorage, IdempotencyReplayNeeded } from './idempotency-context';

const VALID_KEY = /^[\x20-\x7e]{1,255}$/;

/**
 * Idempotency-Key on state-changing requests: same client, key and body → the stored response, replayed;
 * same key, other body → 422; same key still in flight → 409 (decided inside the transaction, see claimIdempotencyKey).
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reflector: Reflector,
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
    const requestHash = createHash('sha256')
      .update(
        `${req.method} ${req.originalUrl}\n${req.headers['content-type'] ?? ''}\n${req.bodySha256 ?? ''}`,
      )
      .digest('hex');
    const status =
      this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ??
      (req.method === 'POST' ? HttpStatus.CREATED : HttpStatus.OK);
    const ctx: IdempotencyContext = {
      clientId: req.actor.clientId,
      key,
      requestHash,
      responseStatus: status,
      claimed: false,
    };
    const res = context.switchToHttp().getResponse<Response>();

    return from(this.replay(ctx, res)).pipe(
      switchMap((replayed) => {
        if (replayed !== undefined) return of(replayed.body);
        return new Observable<unknown>((subscriber) =>
          idempotencyStorage.run(ctx, () => next.handle().subscribe(subscriber)),
        ).pipe(
          catchError((error: unknown) => {
            if (!(error instanceof IdempotencyReplayNeeded)) throw error;
            return from(this.replay(ctx, res)).pipe(switchMap((again) => of(again?.body)));
          }),
        );
      }),
    );
  }

  private async replay(ctx: IdempotencyContext, res: Response): Promise<{ body: unknown } | undefined> {
    const rows = await this.dataSource.query<
      { request_hash: string; response_status: number; response_body: unknown }[]
    >(
      'SELECT request_hash, response_status, response_body FROM idempotency_keys WHERE client_id = $1 AND key = $2',
      [ctx.clientId, ctx.key],
    );
    const stored = rows[0];
    if (!stored) return undefined;
    if (stored.request_hash !== ctx.requestHash) {
      throw AppError.unprocessable(
        'IDEMPOTENCY_KEY_REUSED',
        'This Idempotency-Key was used with a different request body; use a new key for a new request',
      );
    }
    res.setHeader('Idempotent-Replayed', 'true');
    res.status(stored.response_status);
    return { body: stored.response_body };
  }
}
