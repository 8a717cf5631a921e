import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Agency } from '../agencies/agency.entity';
import { Link } from '../links/link.entity';
import type { ListingEvidence } from '../links/link.entity';

export const OBSERVATION_RESULTS = ['online', 'offline', 'not_found', 'redirected'] as const;
/** What a look at a listing's URL found: the listing live, gone (offline, not_found), or sent elsewhere. */
export type ObservationResult = (typeof OBSERVATION_RESULTS)[number];

/**
 * One look at a link's listing, by a ministry or the link's marketplace: appended, never changed (a trigger refuses
 * UPDATE and DELETE). The link keeps the latest one (by observedAt) and whether it shows a takedown undone.
 */
@Entity('observations')
// The same observer reports a look at a link once; led by the link, it is also the index of a link's observations.
@Index('uq_observations_look', ['linkId', 'observerAgencyId', 'observedAt'], { unique: true })
@Check('ck_observations_result', `"result" IN ('online', 'offline', 'not_found', 'redirected')`)
export class Observation {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'link_id', type: 'uuid' })
  linkId!: string;

  @ManyToOne(() => Link, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'link_id', foreignKeyConstraintName: 'fk_observations_link' })
  link?: Link;

  @Column({ name: 'observer_agency_id', type: 'uuid' })
  observerAgencyId!: string;

  @ManyToOne(() => Agency, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'observer_agency_id', foreignKeyConstraintName: 'fk_observations_agency' })
  observer?: Agency;

  @Column({ name: 'observed_at', type: 'timestamptz' })
  observedAt!: Date;

  @Column({ type: 'varchar', length: 20 })
  result!: ObservationResult;

  @Column({ name: 'final_url', type: 'text', nullable: true })
  finalUrl!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  listing!: ListingEvidence | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
