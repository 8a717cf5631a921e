import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Stored Idempotency-Key responses become sealed records found by an HMAC of client and key. The old rows held keys
 * and responses (issued client secrets among them) in plain text and cannot be sealed without the pepper: they are
 * truncated, which also frees their storage at once (a DELETE would leave them in dead tuples until a vacuum).
 */
export class IdempotencySealedResponses1796153934432 implements MigrationInterface {
  name = 'IdempotencySealedResponses1796153934432';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('TRUNCATE "idempotency_keys"');
    await queryRunner.query(
      'ALTER TABLE "idempotency_keys" DROP CONSTRAINT "PK_9cf44f13e0f6543341a0c80108e"',
    );
    await queryRunner.query(
      'ALTER TABLE "idempotency_keys" DROP COLUMN "client_id", DROP COLUMN "key", DROP COLUMN "request_hash", DROP COLUMN "response_status", DROP COLUMN "response_body"',
    );
    await queryRunner.query(
      'ALTER TABLE "idempotency_keys" ADD "lookup_hash" bytea NOT NULL, ADD "iv" bytea NOT NULL, ADD "sealed_response" bytea NOT NULL',
    );
    await queryRunner.query(
      'ALTER TABLE "idempotency_keys" ADD CONSTRAINT "PK_0a82f4fd3916823f0f8f109d5cb" PRIMARY KEY ("lookup_hash")',
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('TRUNCATE "idempotency_keys"');
    await queryRunner.query(
      'ALTER TABLE "idempotency_keys" DROP CONSTRAINT "PK_0a82f4fd3916823f0f8f109d5cb"',
    );
    await queryRunner.query(
      'ALTER TABLE "idempotency_keys" DROP COLUMN "lookup_hash", DROP COLUMN "iv", DROP COLUMN "sealed_response"',
    );
    await queryRunner.query(
      'ALTER TABLE "idempotency_keys" ADD "client_id" uuid NOT NULL, ADD "key" character varying(255) NOT NULL, ADD "request_hash" character varying(64) NOT NULL, ADD "response_status" smallint NOT NULL, ADD "response_body" jsonb NOT NULL',
    );
    await queryRunner.query(
      'ALTER TABLE "idempotency_keys" ADD CONSTRAINT "PK_9cf44f13e0f6543341a0c80108e" PRIMARY KEY ("client_id", "key")',
    );
  }
}
