import { Disk, DiskBus, DiskCache, DiskFormat, values } from '@kelpie/shared-types';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Unique } from 'typeorm';
import { bigintNumber, inList, Persisted } from '../common/entities/columns';
import { InventoryColumns, nameCheck } from '../common/entities/inventory-columns';
import { StorageDomainEntity } from '../storage-domains/storage-domain.entity';
import { VmEntity } from '../vms/vm.entity';

export const DISK_SIZE_MIN = 1024 * 1024;
export const DISK_SIZE_MAX = 64 * 1024 ** 4;
export const TARGET_DEV_PATTERN = /^(vd|sd|hd)[a-z]{1,2}$/;

/** One disk per volume of a domain: what keeps two disks off one LUN. */
export const DISK_VOLUME_UNIQUE = 'uq_disk_storage_domain_volume_path';

@Entity('disk')
@Unique(DISK_VOLUME_UNIQUE, ['storageDomainId', 'volumePath'])
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
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_disk' })
  id!: string;

  @Column('uuid')
  storageDomainId!: string;

  @ManyToOne(() => StorageDomainEntity, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'storage_domain_id', foreignKeyConstraintName: 'fk_disk_storage_domain' })
  storageDomain?: StorageDomainEntity;

  @Column({ type: 'varchar', length: 1024 })
  volumePath!: string;

  @Column({ type: 'varchar', length: 8 })
  format!: DiskFormat;

  @Column({ type: 'bigint', transformer: bigintNumber })
  virtualSizeBytes!: number;

  @Column({ type: 'bigint', default: 0, transformer: bigintNumber })
  allocationBytes!: number;

  @Column({ type: 'varchar', length: 8, default: DiskBus.Virtio })
  bus!: DiskBus;

  @Column({ type: 'varchar', length: 16, default: DiskCache.None })
  cache!: DiskCache;

  @Column({ type: 'boolean', default: false })
  bootable!: boolean;

  @Column({ type: 'uuid', nullable: true })
  vmId!: string | null;

  @ManyToOne(() => VmEntity, { onDelete: 'RESTRICT', nullable: true })
  @JoinColumn({ name: 'vm_id', foreignKeyConstraintName: 'fk_disk_vm' })
  vm?: VmEntity | null;

  @Column({ type: 'varchar', length: 8, nullable: true })
  targetDev!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  provisionedAt!: Date | null;

  @Column({ type: 'varchar', length: 1024, nullable: true })
  activeImagePath!: string | null;
}
