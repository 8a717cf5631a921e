import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One entry of the append-only log. `canonical` is the exact RFC 8785 text that was hashed. */
@Entity('audit_events')
@Index('idx_audit_events_entity', ['entityId', 'seq'])
@Index('idx_audit_events_party', ['partyAgencyId', 'seq'])
@Index('idx_audit_events_actor_agency', ['actorAgencyId', 'seq'])
export class AuditEvent {
  @PrimaryColumn({ type: 'bigint' })
  seq!: string;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ name: 'actor_client_id', type: 'uuid', nullable: true })
  actorClientId!: string | null;

  @Column({ name: 'actor_agency_id', type: 'uuid', nullable: true })
  actorAgencyId!: string | null;

  @Column({ name: 'actor_role', type: 'varchar', length: 20 })
  actorRole!: string;

  @Column({ type: 'varchar', length: 60 })
  action!: string;

  @Column({ name: 'entity_type', type: 'varchar', length: 40 })
  entityType!: string;

  @Column({ name: 'entity_id', type: 'uuid' })
  entityId!: string;

  /** The agency, besides operator and ministry, entitled to read this event (e.g. the marketplace of a link). */
  @Column({ name: 'party_agency_id', type: 'uuid', nullable: true })
  partyAgencyId!: string | null;

  @Column({ name: 'request_id', type: 'varchar', length: 128, nullable: true })
  requestId!: string | null;

  @Column({ type: 'text' })
  canonical!: string;

  @Column({ name: 'prev_hash', type: 'bytea' })
  prevHash!: Buffer;

  @Column({ name: 'entry_hash', type: 'bytea' })
  entryHash!: Buffer;
}
