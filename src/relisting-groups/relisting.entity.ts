import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Link } from '../links/link.entity';

export const RELISTING_SIGNALS = ['image', 'title', 'seller', 'keyword'] as const;
export type RelistingSignalKind = (typeof RELISTING_SIGNALS)[number];

/**
 * What matching found when a link's listing evidence arrived: a taken-down link it resembles (image, title, seller),
 * or a watchlist term in its title (keyword, no other link).
 */
@Entity('relisting_signals')
@Index('idx_relisting_signals_link', ['linkId'])
@Index('idx_relisting_signals_matched', ['matchedLinkId'], { where: `matched_link_id IS NOT NULL` })
@Check('ck_relisting_signals_kind', `"signal" IN ('image', 'title', 'seller', 'keyword')`)
@Check(
  'ck_relisting_signals_shape',
  `("signal" = 'keyword') = ("matched_link_id" IS NULL AND "term" IS NOT NULL)`,
)
export class RelistingSignal {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ name: 'link_id', type: 'uuid' })
  linkId!: string;

  @ManyToOne(() => Link, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'link_id', foreignKeyConstraintName: 'fk_relisting_signals_link' })
  link?: Link;

  @Column({ name: 'matched_link_id', type: 'uuid', nullable: true })
  matchedLinkId!: string | null;

  @ManyToOne(() => Link, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'matched_link_id', foreignKeyConstraintName: 'fk_relisting_signals_matched_link' })
  matchedLink?: Link;

  @Column({ type: 'varchar', length: 10 })
  signal!: RelistingSignalKind;

  @Column({ type: 'varchar', length: 10, nullable: true })
  algorithm!: 'phash' | 'pdq' | null;

  @Column({ type: 'smallint', nullable: true })
  distance!: number | null;

  @Column({ type: 'real', nullable: true })
  similarity!: number | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  term!: string | null;

  @Column({ name: 'found_at', type: 'timestamptz' })
  foundAt!: Date;
}

/** Links that matching tied together, directly or through each other. A link is in at most one group. */
@Entity('relisting_groups')
@Index('idx_relisting_groups_updated', ['updatedAt', 'id'])
export class RelistingGroup {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

@Entity('relisting_group_members')
@Index('idx_relisting_group_members_group', ['groupId'])
export class RelistingGroupMember {
  @PrimaryColumn({ name: 'link_id', type: 'uuid' })
  linkId!: string;

  @ManyToOne(() => Link, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'link_id', foreignKeyConstraintName: 'fk_relisting_group_members_link' })
  link?: Link;

  @Column({ name: 'group_id', type: 'uuid' })
  groupId!: string;

  @ManyToOne(() => RelistingGroup, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id', foreignKeyConstraintName: 'fk_relisting_group_members_group' })
  group?: RelistingGroup;

  @Column({ name: 'added_at', type: 'timestamptz' })
  addedAt!: Date;
}

/** A pair the ministry said is not a relisting: matching never ties them again. Stored with link_id < other_link_id. */
@Entity('relisting_dismissals')
@Check('ck_relisting_dismissals_order', `"link_id" < "other_link_id"`)
export class RelistingDismissal {
  @PrimaryColumn({ name: 'link_id', type: 'uuid' })
  linkId!: string;

  @PrimaryColumn({ name: 'other_link_id', type: 'uuid' })
  otherLinkId!: string;

  @ManyToOne(() => Link, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'link_id', foreignKeyConstraintName: 'fk_relisting_dismissals_link' })
  link?: Link;

  @ManyToOne(() => Link, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'other_link_id', foreignKeyConstraintName: 'fk_relisting_dismissals_other_link' })
  otherLink?: Link;

  @Column({ name: 'dismissed_at', type: 'timestamptz' })
  dismissedAt!: Date;

  @Column({ name: 'dismissed_by_agency_id', type: 'uuid' })
  dismissedByAgencyId!: string;
}
