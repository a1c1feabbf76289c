import { StorageDomainHostStatus } from '@kelpie/shared-types';
import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { bigintNumber, inList } from '../common/entities/columns';
import { HostEntity } from '../hosts/host.entity';
import { StorageDomainEntity } from '../storage-domains/storage-domain.entity';

export const POOL_HOST_STATUSES = ['active', 'failed'] as const;

/** How one host last saw one storage domain's pool (its agent's check or the engine's activate). */
@Entity('storage_domain_host')
@Check('ck_storage_domain_host_status', inList('status', POOL_HOST_STATUSES))
export class StorageDomainHostEntity implements Omit<StorageDomainHostStatus, 'checkedAt' | 'hostName'> {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_storage_domain_host' })
  storageDomainId!: string;

  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_storage_domain_host' })
  hostId!: string;

  @ManyToOne(() => StorageDomainEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'storage_domain_id', foreignKeyConstraintName: 'fk_storage_domain_host_domain' })
  storageDomain?: StorageDomainEntity;

  @ManyToOne(() => HostEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'host_id', foreignKeyConstraintName: 'fk_storage_domain_host_host' })
  host?: HostEntity;

  @Column({ type: 'varchar', length: 16 })
  status!: 'active' | 'failed';

  @Column({ type: 'bigint', nullable: true, transformer: bigintNumber })
  capacityBytes!: number | null;

  @Column({ type: 'bigint', nullable: true, transformer: bigintNumber })
  availableBytes!: number | null;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  error!: string | null;

  @Column({ type: 'timestamptz' })
  checkedAt!: Date;
}
