import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { AppError } from '../errors/app-error';
import { idempotencyStorage } from '../idempotency/idempotency-context';
import { isRetryable } from '../errors/pg-errors';

/** The one way a request writes: a READ COMMITTED transaction, retried once on serialization failure or deadlock. */
@Injectable()
export class TransactionService {
  constructor(readonly dataSource: DataSource) {}

  async run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        // PostgreSQL's default READ COMMITTED; naming it would cost a SET TRANSACTION round trip per request.
        return await this.dataSource.transaction(work);
      } catch (error) {
        if (!isRetryable(error)) throw error;
        if (attempt >= 2)
          throw AppError.unavailable('The database could not serialise this change; retry it');
      }
    }
  }

  /**
   * Like run(), for the transaction whose result is the request's response body: everything the client gets is read
   * inside it. When the request carries an Idempotency-Key, this transaction first claims the key and, before it
   * commits, stores that response as it will be sent (status, headers, the serialized bytes), sealed.
   */
  async answer<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const request = idempotencyStorage.getStore();
    if (request === undefined) return this.run(work);
    const { result, response } = await this.run(async (m) => {
      await request.claim(m);
      const result = await work(m);
      return { result, response: await request.record(m, result) };
    });
    request.answer = { response, result };
    return result;
  }

  /**
   * Like run(), for work that belongs to no one request: a background job, or one unit of work that many concurrent
   * callers share (the latest checkpoint's issuing). Not even an answer() inside it claims or stores the
   * Idempotency-Key of whichever request happened to start it.
   */
  detached<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return idempotencyStorage.exit(() => this.run(work));
  }

  /**
   * Long reads (an evidence export) in one REPEATABLE READ, READ ONLY snapshot on one connection, so everything read
   * agrees with everything else; cursors need the runner itself.
   */
  async snapshot(work: (runner: QueryRunner) => Promise<void>): Promise<void> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('START TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
      // The plans of such reads are fixed by their SQL; compiling them (JIT, set off by stale estimates) only costs time.
      await runner.query('SET LOCAL jit = off');
      await work(runner);
      await runner.query('COMMIT');
    } catch (error) {
      await runner.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }
}
