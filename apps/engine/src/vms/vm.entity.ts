import { BootDevice, PendingRestart, Vm, VmBootSpec, VmStatus, values } from '@kelpie/shared-types';
import { ApiHideProperty, ApiProperty, ApiSchema } from '@nestjs/swagger';
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
@ApiSchema({ name: 'Vm' })
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
export class VmEntity extends InventoryColumns implements Persisted<Vm, 'createdAt' | 'updatedAt'> {
  @ApiProperty({ format: 'uuid', description: 'Also the libvirt domain UUID.' })
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_vm' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  @Column('uuid')
  datacenterId!: string;

  @ApiHideProperty()
  @ManyToOne(() => DataCenterEntity, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'datacenter_id', foreignKeyConstraintName: 'fk_vm_datacenter' })
  datacenter?: DataCenterEntity;

  @ApiProperty({ format: 'uuid' })
  @Column('uuid')
  clusterId!: string;

  @ApiHideProperty()
  @ManyToOne(() => ClusterEntity, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'cluster_id', foreignKeyConstraintName: 'fk_vm_cluster' })
  cluster?: ClusterEntity;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Host the VM runs on.' })
  @Column({ type: 'uuid', nullable: true })
  hostId!: string | null;

  @ApiHideProperty()
  @ManyToOne(() => HostEntity, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'host_id', foreignKeyConstraintName: 'fk_vm_host' })
  host?: HostEntity | null;

  @ApiProperty({ enum: values(VmStatus) })
  @Column({ type: 'varchar', length: 32, default: VmStatus.Down })
  desiredStatus!: VmStatus;

  @ApiProperty({ enum: values(VmStatus) })
  @Column({ type: 'varchar', length: 32, default: VmStatus.Down })
  status!: VmStatus;

  @ApiProperty({ type: String, nullable: true })
  @Column({ type: 'text', nullable: true })
  statusReason!: string | null;

  @ApiProperty({ minimum: 1, maximum: VCPUS_MAX })
  @Column({ type: 'integer' })
  vcpus!: number;

  @ApiProperty({ minimum: MEMORY_MIB_MIN, maximum: MEMORY_MIB_MAX })
  @Column({ type: 'integer' })
  memoryMib!: number;

  @ApiProperty({ minimum: MEMORY_MIB_MIN, maximum: MEMORY_MIB_MAX })
  @Column({ type: 'integer' })
  maxMemoryMib!: number;

  @ApiProperty({ example: 'linux' })
  @Column({ type: 'varchar', length: 32, default: 'other' })
  osType!: string;

  @ApiProperty({ enum: values(BootDevice), isArray: true })
  @Column({ type: 'jsonb', default: () => `'["hd"]'` })
  bootOrder!: BootDevice[];

  @ApiProperty()
  @Column({ type: 'boolean', default: true })
  graphicsVnc!: boolean;

  @ApiProperty()
  @Column({ type: 'boolean', default: false })
  isTemplate!: boolean;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  @Column({ type: 'uuid', nullable: true })
  sourceTemplateId!: string | null;

  @ApiHideProperty()
  @ManyToOne(() => VmEntity, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'source_template_id', foreignKeyConstraintName: 'fk_vm_source_template' })
  sourceTemplate?: VmEntity | null;

  @ApiProperty({
    description: 'Restarted on another host when its host is fenced, in place when its QEMU crashes.',
  })
  @Column({ type: 'boolean', default: false })
  highlyAvailable!: boolean;

  @ApiProperty({
    minimum: HA_PRIORITY_MIN,
    maximum: HA_PRIORITY_MAX,
    description: 'Order of HA restarts after a host is fenced: higher first (the capacity goes to them).',
  })
  @Column({ type: 'smallint', default: HA_PRIORITY_DEFAULT })
  haPriority!: number;

  @ApiProperty()
  @Column({ type: 'varchar', length: 64 })
  createdBy!: string;

  @ApiProperty({ description: 'Found on a host, not created by Kelpie.' })
  @Column({ type: 'boolean', default: false })
  external!: boolean;

  @ApiProperty({
    type: Object,
    nullable: true,
    description: '{ fields, since }: changes applied at next start.',
  })
  @Column({ type: 'jsonb', nullable: true })
  pendingRestart!: PendingRestart | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'Live VNC port on its host, as the agent reports it; null when not running or without VNC.',
  })
  @Column({ type: 'integer', nullable: true })
  graphicsPort!: number | null;

  @ApiProperty({
    type: Object,
    nullable: true,
    description:
      "How the VM boots: {kind:'disk'} | {kind:'cdrom'} | {kind:'kernel', kernel, initrd?, cmdline?}; null = disk.",
  })
  @Column({ type: 'jsonb', nullable: true })
  boot!: VmBootSpec | null;

  @ApiProperty({ type: String, nullable: true, description: 'ISO in the CD-ROM drive (hdc); null = empty.' })
  @Column({ type: 'varchar', length: 1024, nullable: true })
  cdromIsoPath!: string | null;
}
