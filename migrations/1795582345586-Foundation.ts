import { MigrationInterface, QueryRunner } from 'typeorm';

export class Foundation1795582345586 implements MigrationInterface {
  name = 'Foundation1795582345586';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE "idempotency_keys" ("client_id" uuid NOT NULL, "key" character varying(255) NOT NULL, "request_hash" character varying(64) NOT NULL, "response_status" smallint NOT NULL, "response_body" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_9cf44f13e0f6543341a0c80108e" PRIMARY KEY ("client_id", "key"))',
    );
    await queryRunner.query(
      'CREATE INDEX "idx_idempotency_keys_created" ON "idempotency_keys" ("created_at") ',
    );
    await queryRunner.query(
      'CREATE TABLE "audit_events" ("seq" bigint NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "actor_client_id" uuid, "actor_agency_id" uuid, "actor_role" character varying(20) NOT NULL, "action" character varying(60) NOT NULL, "entity_type" character varying(40) NOT NULL, "entity_id" uuid NOT NULL, "party_agency_id" uuid, "request_id" character varying(128), "canonical" text NOT NULL, "prev_hash" bytea NOT NULL, "entry_hash" bytea NOT NULL, CONSTRAINT "PK_6e299f5706e715265416fefe53e" PRIMARY KEY ("seq"))',
    );
    await queryRunner.query(
      'CREATE INDEX "idx_audit_events_actor_agency" ON "audit_events" ("actor_agency_id", "seq") ',
    );
    await queryRunner.query(
      'CREATE INDEX "idx_audit_events_party" ON "audit_events" ("party_agency_id", "seq") ',
    );
    await queryRunner.query('CREATE INDEX "idx_audit_events_entity" ON "audit_events" ("entity_id", "seq") ');
    await queryRunner.query(
      'CREATE TABLE "audit_head" ("id" smallint NOT NULL, "next_seq" bigint NOT NULL, "last_hash" bytea NOT NULL, CONSTRAINT "ck_audit_head_single_row" CHECK ("id" = 1), CONSTRAINT "PK_d3ed64edb3e208e83ccb5da589a" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "agencies" ("id" uuid NOT NULL, "code" character varying(40) NOT NULL, "name" character varying(200) NOT NULL, "type" character varying(20) NOT NULL, "status" character varying(20) NOT NULL DEFAULT \'active\', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "uq_agencies_code" UNIQUE ("code"), CONSTRAINT "ck_agencies_code" CHECK ("code" ~ \'^[a-z0-9-]{2,40}$\'), CONSTRAINT "ck_agencies_status" CHECK ("status" IN (\'active\', \'suspended\')), CONSTRAINT "ck_agencies_type" CHECK ("type" IN (\'operator\', \'ministry\', \'marketplace\', \'association\', \'police\')), CONSTRAINT "PK_8ab1f1f53f56c8255b0d7e68b28" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE TABLE "api_clients" ("id" uuid NOT NULL, "agency_id" uuid NOT NULL, "name" character varying(200) NOT NULL, "secret_hash" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_ef2d5ef0eb5e9a6ddc67cfa310e" PRIMARY KEY ("id"))',
    );
    await queryRunner.query(
      'CREATE INDEX "idx_api_clients_agency" ON "api_clients" ("agency_id", "created_at") ',
    );
    await queryRunner.query(
      'ALTER TABLE "api_clients" ADD CONSTRAINT "fk_api_clients_agency" FOREIGN KEY ("agency_id") REFERENCES "agencies"("id") ON DELETE RESTRICT ON UPDATE NO ACTION',
    );
    // The audit trail is append-only by PostgreSQL's hand, not by convention.
    await queryRunner.query(`CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit tables are append-only: % on % refused', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await queryRunner.query(`CREATE TRIGGER audit_events_no_update_delete BEFORE UPDATE OR DELETE ON audit_events
      FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()`);
    await queryRunner.query(`CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
      FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()`);
    await queryRunner.query(
      `INSERT INTO audit_head (id, next_seq, last_hash) VALUES (1, 1, decode(repeat('00', 32), 'hex'))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER audit_events_no_truncate ON audit_events');
    await queryRunner.query('DROP TRIGGER audit_events_no_update_delete ON audit_events');
    await queryRunner.query('DROP FUNCTION audit_refuse_change()');
    await queryRunner.query('ALTER TABLE "api_clients" DROP CONSTRAINT "fk_api_clients_agency"');
    await queryRunner.query('DROP INDEX "public"."idx_api_clients_agency"');
    await queryRunner.query('DROP TABLE "api_clients"');
    await queryRunner.query('DROP TABLE "agencies"');
    await queryRunner.query('DROP TABLE "audit_head"');
    await queryRunner.query('DROP INDEX "public"."idx_audit_events_entity"');
    await queryRunner.query('DROP INDEX "public"."idx_audit_events_party"');
    await queryRunner.query('DROP INDEX "public"."idx_audit_events_actor_agency"');
    await queryRunner.query('DROP TABLE "audit_events"');
    await queryRunner.query('DROP INDEX "public"."idx_idempotency_keys_created"');
    await queryRunner.query('DROP TABLE "idempotency_keys"');
  }
}
