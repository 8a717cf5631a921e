import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Unique } from 'typeorm';
import { Agency } from '../agencies/agency.entity';

@Entity('marketplaces')
@Unique('uq_marketplaces_code', ['code'])
@Index('idx_marketplaces_agency', ['agencyId'])
@Check('ck_marketplaces_sla', `"takedown_sla_hours" BETWEEN 1 AND 8760`)
// An urgent link is never given longer than a normal one.
@Check('ck_marketplaces_urgent_sla', `"urgent_sla_hours" BETWEEN 1 AND "takedown_sla_hours"`)
export class Marketplace {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'agency_id', type: 'uuid' })
  agencyId!: string;

  @ManyToOne(() => Agency, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'agency_id', foreignKeyConstraintName: 'fk_marketplaces_agency' })
  agency?: Agency;

  @Column({ type: 'varchar', length: 40 })
  code!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ name: 'takedown_sla_hours', type: 'int', default: 48 })
  takedownSlaHours!: number;

  /** Hours a marketplace has to take an urgent link down; at most takedownSlaHours. */
  @Column({ name: 'urgent_sla_hours', type: 'int', default: 12 })
  urgentSlaHours!: number;

  /** Each takedown of its links must carry a statement of reasons (DSA art. 17). */
  @Column({ name: 'require_statement_of_reasons', type: 'boolean', default: false })
  requireStatementOfReasons!: boolean;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
