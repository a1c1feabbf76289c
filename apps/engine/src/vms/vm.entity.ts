import {
  BootDevice,
  Firmware,
  MachineType,
  PendingRestart,
  Vm,
  VmBootSpec,
  VmStatus,
  values,
  WatchdogAction,
} from '@kelpie/shared-types';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Unique } from 'typeorm';
import { inList, Persisted } from '../common/entities/columns';
import { InventoryColumns, nameCheck } from '../common/entities/inventory-columns';
import { ClusterEntity } from '../clusters/cluster.entity';
import { DataCenterEntity } from '../datacenters/datacenter.entity';
import { HostEntity } from '../hosts/host.entity';

export const VCPUS_MAX = 512;
export const MEMORY_MIB_MIN = 16;
export const MEMORY_MIB_MAX = 4_194_304;
export const HA_PRIORITY_MIN = 0;
export const HA_PRIORITY_MAX = 100;
export const HA_PRIORITY_DEFAULT = 50;

/** The id is also the libvirt domain UUID. datacenterId is the cluster's, kept here so that VM names
 * are unique per datacenter by a plain unique constraint. */
@Entity('vm')
@Unique('uq_vm_datacenter_name', ['datacenterId', 'name'])
@Index('ix_vm_name', ['name'])
@Index('ix_vm_cluster', ['clusterId'])
@Index('ix_vm_host', ['hostId'])
@Index('ix_vm_status', ['status'])
@Index('ix_vm_source_template', ['sourceTemplateId'])
@Index('ix_vm_created_at', ['createdAt'])
@Check('ck_vm_name', nameCheck())
@Check('ck_vm_status', inList('status', values(VmStatus)))
@Check('ck_vm_desired_status', inList('desired_status', values(VmStatus)))
@Check('ck_vm_vcpus', `"vcpus" BETWEEN 1 AND ${VCPUS_MAX}`)
@Check('ck_vm_memory', `"memory_mib" BETWEEN ${MEMORY_MIB_MIN} AND ${MEMORY_MIB_MAX}`)
@Check('ck_vm_max_memory', `"max_memory_mib" BETWEEN "memory_mib" AND ${MEMORY_MIB_MAX}`)
@Check('ck_vm_ha_priority', `"ha_priority" BETWEEN ${HA_PRIORITY_MIN} AND ${HA_PRIORITY_MAX}`)
@Check('ck_vm_graphics_port', '"graphics_port" BETWEEN 1 AND 65535')
@Check('ck_vm_machine_type', inList('machine_type', values(MachineType)))
@Check('ck_vm_firmware', inList('firmware', values(Firmware)))
@Check('ck_vm_watchdog_action', inList('watchdog_action', values(WatchdogAction)))
@Check('ck_vm_secure_boot', `NOT "secure_boot" OR ("firmware" = 'uefi' AND "machine_type" = 'q35')`)
export class VmEntity extends InventoryColumns implements Persisted<Vm, 'createdAt' | 'updatedAt'> {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_vm' })
  id!: string;

  @Column('uuid')
  datacenterId!: string;

  @ManyToOne(() => DataCenterEntity, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'datacenter_id', foreignKeyConstraintName: 'fk_vm_datacenter' })
  datacenter?: DataCenterEntity;

  @Column('uuid')
  clusterId!: string;

  @ManyToOne(() => ClusterEntity, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'cluster_id', foreignKeyConstraintName: 'fk_vm_cluster' })
  cluster?: ClusterEntity;

  @Column({ type: 'uuid', nullable: true })
  hostId!: string | null;

  @ManyToOne(() => HostEntity, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'host_id', foreignKeyConstraintName: 'fk_vm_host' })
  host?: HostEntity | null;

  @Column({ type: 'varchar', length: 32, default: VmStatus.Down })
  desiredStatus!: VmStatus;

  @Column({ type: 'varchar', length: 32, default: VmStatus.Down })
  status!: VmStatus;

  @Column({ type: 'text', nullable: true })
  statusReason!: string | null;

  @Column({ type: 'integer' })
  vcpus!: number;

  @Column({ type: 'integer' })
  memoryMib!: number;

  @Column({ type: 'integer' })
  maxMemoryMib!: number;

  @Column({ type: 'varchar', length: 32, default: 'other' })
  osType!: string;

  @Column({ type: 'jsonb', default: () => `'["hd"]'` })
  bootOrder!: BootDevice[];

  @Column({ type: 'varchar', length: 16, default: MachineType.Pc })
  machineType!: MachineType;

  @Column({ type: 'varchar', length: 16, default: Firmware.Bios })
  firmware!: Firmware;

  @Column({ type: 'boolean', default: false })
  secureBoot!: boolean;

  /** An i6300esb watchdog with this action; null: none. */
  @Column({ type: 'varchar', length: 16, nullable: true })
  watchdogAction!: WatchdogAction | null;

  @Column({ type: 'boolean', default: true })
  graphicsVnc!: boolean;

  @Column({ type: 'boolean', default: false })
  isTemplate!: boolean;

  @Column({ type: 'uuid', nullable: true })
  sourceTemplateId!: string | null;

  @ManyToOne(() => VmEntity, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'source_template_id', foreignKeyConstraintName: 'fk_vm_source_template' })
  sourceTemplate?: VmEntity | null;

  @Column({ type: 'boolean', default: false })
  highlyAvailable!: boolean;

  @Column({ type: 'smallint', default: HA_PRIORITY_DEFAULT })
  haPriority!: number;

  @Column({ type: 'varchar', length: 64 })
  createdBy!: string;

  @Column({ type: 'boolean', default: false })
  external!: boolean;

  @Column({ type: 'jsonb', nullable: true })
  pendingRestart!: PendingRestart | null;

  @Column({ type: 'integer', nullable: true })
  graphicsPort!: number | null;

  @Column({ type: 'jsonb', nullable: true })
  boot!: VmBootSpec | null;

  @Column({ type: 'varchar', length: 1024, nullable: true })
  cdromIsoPath!: string | null;
}
