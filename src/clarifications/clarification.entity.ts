import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Agency } from '../agencies/agency.entity';
import { Link } from '../links/link.entity';

/**
 * A marketplace's question about one of its links, put to the ministry that notified it, and that ministry's answer.
 * Asking does not object and stops no clock. A question is answered once: the answer, its author and its time are
 * set together (the check) by an UPDATE that only an open question matches.
 */
@Entity('clarifications')
@Index('idx_clarifications_link', ['linkId', 'askedAt'])
@Index('idx_clarifications_asked', ['askedAt', 'id'])
@Check(
  'ck_clarifications_answered',
  `("answer" IS NULL) = ("answered_at" IS NULL) AND ("answer" IS NULL) = ("answered_by_agency_id" IS NULL)`,
)
export class Clarification {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'link_id', type: 'uuid' })
  linkId!: string;

  @ManyToOne(() => Link, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'link_id', foreignKeyConstraintName: 'fk_clarifications_link' })
  link?: Link;

  @Column({ name: 'asked_by_agency_id', type: 'uuid' })
  askedByAgencyId!: string;

  @ManyToOne(() => Agency, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'asked_by_agency_id', foreignKeyConstraintName: 'fk_clarifications_asked_by' })
  askedBy?: Agency;

  @Column({ type: 'text' })
  question!: string;

  @Column({ name: 'asked_at', type: 'timestamptz' })
  askedAt!: Date;

  @Column({ type: 'text', nullable: true })
  answer!: string | null;

  @Column({ name: 'answered_by_agency_id', type: 'uuid', nullable: true })
  answeredByAgencyId!: string | null;

  @ManyToOne(() => Agency, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'answered_by_agency_id', foreignKeyConstraintName: 'fk_clarifications_answered_by' })
  answeredBy?: Agency;

  @Column({ name: 'answered_at', type: 'timestamptz', nullable: true })
  answeredAt!: Date | null;
}
