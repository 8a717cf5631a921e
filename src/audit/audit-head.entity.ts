import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/** The single row every writing transaction locks last: the serialisation point of the log. */
@Entity('audit_head')
@Check('ck_audit_head_single_row', `"id" = 1`)
export class AuditHead {
  @PrimaryColumn({ type: 'smallint' })
  id!: number;

  @Column({ name: 'next_seq', type: 'bigint' })
  nextSeq!: string;

  @Column({ name: 'last_hash', type: 'bytea' })
  lastHash!: Buffer;
}
