import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A stored Idempotency-Key response. Nothing here is readable without the pepper: the row is found by an HMAC of
 * client and key, and the request hash, status, headers and body are sealed (see IdempotencySecrets).
 */
@Entity('idempotency_keys')
@Index('idx_idempotency_keys_created', ['createdAt'])
export class IdempotencyKey {
  @PrimaryColumn({ name: 'lookup_hash', type: 'bytea' })
  lookupHash!: Buffer;

  @Column({ type: 'bytea' })
  iv!: Buffer;

  @Column({ name: 'sealed_response', type: 'bytea' })
  sealedResponse!: Buffer;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
