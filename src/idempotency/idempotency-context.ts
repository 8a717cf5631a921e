import { AsyncLocalStorage } from 'node:async_hooks';
import type { EntityManager } from 'typeorm';
import { AppError } from '../errors/app-error';
import { IdempotencySecrets } from './idempotency-secrets';

/** A response as it goes on the wire: what is stored for a key is exactly what was sent the first time. */
export interface StoredResponse {
  status: number;
  headers: [name: string, value: string][];
  body: Buffer;
}

type Query = Pick<EntityManager, 'query'>;

/** Thrown when the key was completed by another request between our look-up and our lock: replay it instead. */
export class IdempotencyReplayNeeded extends Error {}

/**
 * A request carrying an Idempotency-Key, from the interceptor into the one transaction that answers it
 * (TransactionService.answer): that transaction claims the key, and stores the answer it built before it commits.
 */
export class IdempotentRequest {
  readonly lookupHash: Buffer;
  /** Set once the answering transaction has committed: the interceptor sends exactly this response. */
  answer?: { response: StoredResponse; result: unknown };

  constructor(
    private readonly secrets: IdempotencySecrets,
    private readonly clientId: string,
    private readonly key: string,
    /** SHA-256 of method, URL, content type and body: the same key with another request is refused. */
    private readonly requestHash: string,
    /** The route's status and fixed headers, known before the handler runs. */
    private readonly status: number,
    private readonly headers: [string, string][],
  ) {
    this.lookupHash = secrets.lookupHash(clientId, key);
  }

  /** The stored answer for this client and key, if any; 422 when it was stored for another request. */
  async find(q: Query): Promise<StoredResponse | undefined> {
    const [row] = await q.query<{ iv: Buffer; sealed_response: Buffer }[]>(
      'SELECT iv, sealed_response FROM idempotency_keys WHERE lookup_hash = $1',
      [this.lookupHash],
    );
    if (!row) return undefined;
    const plain = this.secrets.open(this.clientId, this.key, this.lookupHash, {
      iv: row.iv,
      sealed: row.sealed_response,
    });
    const newline = plain.indexOf(0x0a);
    const head = JSON.parse(plain.subarray(0, newline).toString('utf8')) as {
      requestHash: string;
      status: number;
      headers: [string, string][];
    };
    if (head.requestHash !== this.requestHash) {
      throw AppError.unprocessable(
        'IDEMPOTENCY_KEY_REUSED',
        'This Idempotency-Key was used with a different request body; use a new key for a new request',
      );
    }
    return { status: head.status, headers: head.headers, body: plain.subarray(newline + 1) };
  }

  /**
   * Runs first inside the answering transaction: the advisory lock is held until commit, so a concurrent request with
   * the same key sees it as in flight (409), and the stored answer commits or rolls back with the change itself.
   */
  async claim(m: EntityManager): Promise<void> {
    if (this.answer) throw new Error('A request is answered by one transaction; this one already was');
    const [{ locked }] = await m.query<{ locked: boolean }[]>(
      'SELECT pg_try_advisory_xact_lock($1::bigint) AS locked',
      [this.lookupHash.readBigInt64BE(0).toString()],
    );
    if (!locked) {
      throw AppError.conflict(
        'IDEMPOTENCY_IN_FLIGHT',
        'A request with this Idempotency-Key is still in progress',
      );
    }
    const done = await m.query<unknown[]>('SELECT 1 FROM idempotency_keys WHERE lookup_hash = $1', [
      this.lookupHash,
    ]);
    if (done.length > 0) throw new IdempotencyReplayNeeded();
  }

  /** Serializes the handler's result once, as the HTTP layer would, and stores those bytes sealed. */
  async record(m: EntityManager, result: unknown): Promise<StoredResponse> {
    const response = toResponse(this.status, this.headers, result);
    const head = JSON.stringify({
      requestHash: this.requestHash,
      status: response.status,
      headers: response.headers,
    });
    const { iv, sealed } = this.secrets.seal(
      this.clientId,
      this.key,
      this.lookupHash,
      Buffer.concat([Buffer.from(`${head}\n`, 'utf8'), response.body]),
    );
    await m.query(
      'INSERT INTO idempotency_keys (lookup_hash, iv, sealed_response, created_at) VALUES ($1, $2, $3, now())',
      [this.lookupHash, iv, sealed],
    );
    return response;
  }
}

/**
 * The bytes Express's res.json() would send for this result (JSON.stringify, no replacer, no spacing); no body for
 * null or undefined, as Nest sends none then.
 */
export function toResponse(status: number, headers: [string, string][], result: unknown): StoredResponse {
  if (result === undefined || result === null) return { status, headers, body: Buffer.alloc(0) };
  return {
    status,
    headers: [['Content-Type', 'application/json; charset=utf-8'], ...headers],
    body: Buffer.from(JSON.stringify(result), 'utf8'),
  };
}

export const idempotencyStorage = new AsyncLocalStorage<IdempotentRequest>();
