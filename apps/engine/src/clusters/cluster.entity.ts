import {
  Cluster,
  Firmware,
  MachineType,
  MigrationPolicy,
  SchedulingPolicy,
  SchedulingThresholds,
  SwitchType,
  values,
} from '@kelpie/shared-types';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Unique } from 'typeorm';
import { DataCenterEntity } from '../datacenters/datacenter.entity';
import { inList, Persisted } from '../common/entities/columns';
import { InventoryColumns, nameCheck } from '../common/entities/inventory-columns';

@Entity('cluster')
@Unique('uq_cluster_datacenter_name', ['datacenterId', 'name'])
@Index('ix_cluster_name', ['name'])
@Index('ix_cluster_created_at', ['createdAt'])
@Check('ck_cluster_name', nameCheck())
@Check('ck_cluster_scheduling_policy', inList('scheduling_policy', values(SchedulingPolicy)))
@Check('ck_cluster_switch_type', inList('switch_type', values(SwitchType)))
@Check('ck_cluster_default_machine_type', inList('default_machine_type', values(MachineType)))
@Check('ck_cluster_default_firmware', inList('default_firmware', values(Firmware)))
export class ClusterEntity extends InventoryColumns implements Persisted<Cluster, 'createdAt' | 'updatedAt'> {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_cluster' })
  id!: string;

  @Column('uuid')
  datacenterId!: string;

  @ManyToOne(() => DataCenterEntity, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'datacenter_id', foreignKeyConstraintName: 'fk_cluster_datacenter' })
  datacenter?: DataCenterEntity;

  @Column({ type: 'varchar', length: 64, nullable: true })
  cpuModel!: string | null;

  @Column({ type: 'varchar', length: 16, default: MachineType.Pc })
  defaultMachineType!: MachineType;

  @Column({ type: 'varchar', length: 16, default: Firmware.Bios })
  defaultFirmware!: Firmware;

  @Column({ type: 'varchar', length: 16, default: '1' })
  compatibilityLevel!: string;

  @Column({ type: 'varchar', length: 32, default: SchedulingPolicy.EvenlyDistributed })
  schedulingPolicy!: SchedulingPolicy;

  @Column({ type: 'jsonb' })
  migrationPolicy!: MigrationPolicy;

  @Column({ type: 'boolean', default: true })
  migrationEncrypted!: boolean;

  @Column({ type: 'varchar', length: 16, default: SwitchType.LinuxBridge })
  switchType!: SwitchType;

  @Column({ type: 'boolean', default: false })
  balancingEnabled!: boolean;

  /** Every policy's thresholds (each complete: defaults are filled in when written). */
  @Column({ type: 'jsonb' })
  schedulingThresholds!: SchedulingThresholds;
}
