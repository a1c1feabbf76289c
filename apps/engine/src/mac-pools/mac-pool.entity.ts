import { MacRange } from '@kelpie/shared-types';
import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  OneToOne,
  PrimaryColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import { nameCheck } from '../common/entities/inventory-columns';
import { DataCenterEntity } from '../datacenters/datacenter.entity';

/** The MAC ranges of one datacenter. */
@Entity('mac_pool')
@Unique('uq_mac_pool_datacenter', ['datacenterId'])
@Check('ck_mac_pool_name', nameCheck())
export class MacPoolEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_mac_pool' })
  id!: string;

  @Column('uuid')
  datacenterId!: string;

  @OneToOne(() => DataCenterEntity, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'datacenter_id', foreignKeyConstraintName: 'fk_mac_pool_datacenter' })
  datacenter?: DataCenterEntity;

  @Column({ type: 'varchar', length: 64 })
  name!: string;

  @Column({ type: 'jsonb' })
  ranges!: MacRange[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
