import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { AppError } from './app-error';

/** What a request with an Idempotency-Key carries into the transaction that does its work. */
export interface IdempotencyContext {
  clientId: string;
  key: string;
  requestHash: string;
  responseStatus: number;
  claimed: boolean;
}

export const idempotencyStorage = new AsyncLocalStorage<IdempotencyContext>();

/** Thrown when the key was completed by another request between our look-up and our lock: replay it instead. */
export class IdempotencyReplayNeeded extends Error {}

function lockKey(clientId: string, key: string): string {
  return createHash('sha256').update(`${clientId}\0${key}`).digest().readBigInt64BE(0).toString();
}

/**
 * Runs first inside the request's transaction: the advisory lock is held until commit, so a concurrent request with
 * the same key sees it as in flight (409), and the stored response commits or rolls back with the change itself.
 */
export async function claimIdempotencyKey(manager: EntityManager, ctx: IdempotencyContext): Promise<void> {
  const [{ locked }] = await manager.query<{ locked: boolean }[]>(
    'SELECT pg_try_advisory_xact_lock($1::bigint) AS locked',
    [lockKey(ctx.clientId, ctx.key)],
  );
  if (!locked) {
    throw AppError.conflict(
      'IDEMPOTENCY_IN_FLIGHT',
      'A request with this Idempotency-Key is still in progress',
    );
  }
  const done = await manager.query<unknown[]>(
    'SELECT 1 FROM idempotency_keys WHERE client_id = $1 AND key = $2',
    [ctx.clientId, ctx.key],
  );
  if (done.length > 0) throw new IdempotencyReplayNeeded();
  ctx.claimed = true;
}

export async function storeIdempotentResponse(
  manager: EntityManager,
  ctx: IdempotencyContext,
  body: unknown,
): Promise<void> {
  await manager.query(
    `INSERT INTO idempotency_keys (client_id, key, request_hash, response_status, response_body, created_at)
     VALUES ($1, $2, $3, $4, $5::jsonb, now())`,
    [ctx.clientId, ctx.key, ctx.requestHash, ctx.responseStatus, JSON.stringify(body ?? null)],
  );
}
