import { Check, Column, Entity, PrimaryColumn, Unique } from 'typeorm';
import type { Role } from '../auth/actor';

export type AgencyStatus = 'active' | 'suspended';

@Entity('agencies')
@Unique('uq_agencies_code', ['code'])
@Check('ck_agencies_type', `"type" IN ('operator', 'ministry', 'marketplace', 'association', 'police')`)
@Check('ck_agencies_status', `"status" IN ('active', 'suspended')`)
@Check('ck_agencies_code', `"code" ~ '^[a-z0-9-]{2,40}$'`)
export class Agency {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 40 })
  code!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 20 })
  type!: Role;

  @Column({ type: 'varchar', length: 20, default: 'active' })
  status!: AgencyStatus;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
