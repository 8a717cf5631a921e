import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Agency } from '../agencies/agency.entity';
import { Link } from '../links/link.entity';
import type { ObjectionGround, ObjectionStatus } from './dto/objection.dto';

/**
 * A marketplace's objection to one of its links, and the notifying ministry's decision on it. One objection per link
 * is open at a time (the partial unique index); a decision sets its author, time, note and the time the link's clock
 * stood still together (the check), by an UPDATE that only an open objection matches.
 */
@Entity('objections')
@Index('uq_objections_open_link', ['linkId'], { unique: true, where: `status = 'open'` })
@Index('idx_objections_link', ['linkId', 'filedAt'])
@Index('idx_objections_filed', ['filedAt', 'id'])
@Check(
  'ck_objections_ground',
  `"ground" IN ('not_illegal', 'listing_not_found', 'wrong_marketplace', 'insufficient_evidence', 'seller_authorised', 'invalid_url', 'other')`,
)
@Check('ck_objections_status', `"status" IN ('open', 'upheld', 'rejected')`)
@Check(
  'ck_objections_decided',
  `("status" = 'open') = ("decided_at" IS NULL) AND ("decided_at" IS NULL) = ("decided_by_agency_id" IS NULL) AND ("decided_at" IS NULL) = ("note" IS NULL) AND ("decided_at" IS NULL) = ("paused_ms" IS NULL)`,
)
@Check('ck_objections_paused', `"paused_ms" >= 0 AND ("clock_paused" OR "paused_ms" = 0)`)
export class Objection {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'link_id', type: 'uuid' })
  linkId!: string;

  @ManyToOne(() => Link, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'link_id', foreignKeyConstraintName: 'fk_objections_link' })
  link?: Link;

  @Column({ name: 'filed_by_agency_id', type: 'uuid' })
  filedByAgencyId!: string;

  @ManyToOne(() => Agency, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'filed_by_agency_id', foreignKeyConstraintName: 'fk_objections_filed_by' })
  filedBy?: Agency;

  @Column({ type: 'varchar', length: 30 })
  ground!: ObjectionGround;

  @Column({ type: 'text' })
  detail!: string;

  @Column({ name: 'on_behalf_of_seller', type: 'boolean' })
  onBehalfOfSeller!: boolean;

  @Column({ name: 'evidence_sha256', type: 'char', length: 64, nullable: true })
  evidenceSha256!: string | null;

  @Column({ name: 'filed_at', type: 'timestamptz' })
  filedAt!: Date;

  /** When the ministry should have decided: filedAt + OBJECTION_REPLY_MS. */
  @Column({ name: 'reply_due_at', type: 'timestamptz' })
  replyDueAt!: Date;

  /** The link was open when the objection came, so its clock stopped until the decision. */
  @Column({ name: 'clock_paused', type: 'boolean' })
  clockPaused!: boolean;

  @Column({ type: 'varchar', length: 20 })
  status!: ObjectionStatus;

  @Column({ name: 'decided_by_agency_id', type: 'uuid', nullable: true })
  decidedByAgencyId!: string | null;

  @ManyToOne(() => Agency, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'decided_by_agency_id', foreignKeyConstraintName: 'fk_objections_decided_by' })
  decidedBy?: Agency;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  /** Milliseconds the link's clock stood still, from filing to decision (0 when it was not paused). */
  @Column({ name: 'paused_ms', type: 'bigint', nullable: true })
  pausedMs!: string | null;
}
