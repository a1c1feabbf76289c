import { Disk, DiskBus, DiskCache, DiskFormat, values } from '@kelpie/shared-types';
import { ApiHideProperty, ApiProperty, ApiSchema } from '@nestjs/swagger';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Unique } from 'typeorm';
import { bigintNumber, inList, Persisted } from '../common/entities/columns';
import { InventoryColumns, nameCheck } from '../common/entities/inventory-columns';
import { StorageDomainEntity } from '../storage-domains/storage-domain.entity';
import { VmEntity } from '../vms/vm.entity';

export const DISK_SIZE_MIN = 1024 * 1024;
export const DISK_SIZE_MAX = 64 * 1024 ** 4;
export const TARGET_DEV_PATTERN = /^(vd|sd|hd)[a-z]{1,2}$/;

@ApiSchema({ name: 'Disk' })
@Entity('disk')
@Unique('uq_disk_storage_domain_volume_path', ['storageDomainId', 'volumePath'])
@Unique('uq_disk_vm_target_dev', ['vmId', 'targetDev'])
@Index('ix_disk_name', ['name'])
@Index('ix_disk_virtual_size', ['virtualSizeBytes'])
@Index('ix_disk_created_at', ['createdAt'])
@Check('ck_disk_name', nameCheck())
@Check('ck_disk_format', inList('format', values(DiskFormat)))
@Check('ck_disk_bus', inList('bus', values(DiskBus)))
@Check('ck_disk_cache', inList('cache', values(DiskCache)))
@Check('ck_disk_virtual_size', `"virtual_size_bytes" BETWEEN ${DISK_SIZE_MIN} AND ${DISK_SIZE_MAX}`)
@Check('ck_disk_allocation', '"allocation_bytes" >= 0')
@Check('ck_disk_target_dev', `"target_dev" IS NULL OR "target_dev" ~ '${TARGET_DEV_PATTERN.source}'`)
export class DiskEntity
  extends InventoryColumns
  implements Persisted<Disk, 'createdAt' | 'updatedAt' | 'provisionedAt'>
{
  @ApiProperty({ format: 'uuid' })
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_disk' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  @Column('uuid')
  storageDomainId!: string;

  @ApiHideProperty()
  @ManyToOne(() => StorageDomainEntity, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'storage_domain_id', foreignKeyConstraintName: 'fk_disk_storage_domain' })
  storageDomain?: StorageDomainEntity;

  @ApiProperty({ description: 'Volume path on the storage domain, chosen by the engine.' })
  @Column({ type: 'varchar', length: 1024 })
  volumePath!: string;

  @ApiProperty({ enum: values(DiskFormat) })
  @Column({ type: 'varchar', length: 8 })
  format!: DiskFormat;

  @ApiProperty({ minimum: DISK_SIZE_MIN, maximum: DISK_SIZE_MAX })
  @Column({ type: 'bigint', transformer: bigintNumber })
  virtualSizeBytes!: number;

  @ApiProperty({ minimum: 0 })
  @Column({ type: 'bigint', default: 0, transformer: bigintNumber })
  allocationBytes!: number;

  @ApiProperty({ enum: values(DiskBus) })
  @Column({ type: 'varchar', length: 8, default: DiskBus.Virtio })
  bus!: DiskBus;

  @ApiProperty({ enum: values(DiskCache) })
  @Column({ type: 'varchar', length: 16, default: DiskCache.None })
  cache!: DiskCache;

  @ApiProperty()
  @Column({ type: 'boolean', default: false })
  bootable!: boolean;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  @Column({ type: 'uuid', nullable: true })
  vmId!: string | null;

  @ApiHideProperty()
  @ManyToOne(() => VmEntity, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'vm_id', foreignKeyConstraintName: 'fk_disk_vm' })
  vm?: VmEntity | null;

  @ApiProperty({ type: String, nullable: true, example: 'vda' })
  @Column({ type: 'varchar', length: 8, nullable: true })
  targetDev!: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description:
      'When the volume was first created on storage. A provisioned disk whose volume is missing is never re-created empty: starting its VM fails instead.',
  })
  @Column({ type: 'timestamptz', nullable: true })
  provisionedAt!: Date | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'The image the VM writes to when it is not volumePath: the overlay an external snapshot put on top of the volume (null: volumePath itself). Set by external snapshots, cleared when they are merged; a domain defined again uses it, so no write since the snapshot is lost.',
  })
  @Column({ type: 'varchar', length: 1024, nullable: true })
  activeImagePath!: string | null;
}
