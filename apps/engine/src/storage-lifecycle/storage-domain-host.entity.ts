import { StorageDomainHostStatus } from '@kelpie/shared-types';
import { ApiHideProperty, ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { bigintNumber, inList } from '../common/entities/columns';
import { HostEntity } from '../hosts/host.entity';
import { StorageDomainEntity } from '../storage-domains/storage-domain.entity';

export const POOL_HOST_STATUSES = ['active', 'failed'] as const;

/** How one host last saw one storage domain's pool (its agent's check or the engine's activate). */
@ApiSchema({ name: 'StorageDomainHostStatus' })
@Entity('storage_domain_host')
@Check('ck_storage_domain_host_status', inList('status', POOL_HOST_STATUSES))
export class StorageDomainHostEntity implements Omit<StorageDomainHostStatus, 'checkedAt' | 'hostName'> {
  @ApiProperty({ format: 'uuid' })
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_storage_domain_host' })
  storageDomainId!: string;

  @ApiProperty({ format: 'uuid' })
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_storage_domain_host' })
  hostId!: string;

  @ApiHideProperty()
  @ManyToOne(() => StorageDomainEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'storage_domain_id', foreignKeyConstraintName: 'fk_storage_domain_host_domain' })
  storageDomain?: StorageDomainEntity;

  @ApiHideProperty()
  @ManyToOne(() => HostEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'host_id', foreignKeyConstraintName: 'fk_storage_domain_host_host' })
  host?: HostEntity;

  @ApiProperty({ enum: POOL_HOST_STATUSES })
  @Column({ type: 'varchar', length: 16 })
  status!: 'active' | 'failed';

  @ApiPropertyOptional({ type: Number, nullable: true })
  @Column({ type: 'bigint', nullable: true, transformer: bigintNumber })
  capacityBytes!: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true })
  @Column({ type: 'bigint', nullable: true, transformer: bigintNumber })
  availableBytes!: number | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  @Column({ type: 'varchar', length: 1000, nullable: true })
  error!: string | null;

  @ApiProperty({ format: 'date-time' })
  @Column({ type: 'timestamptz' })
  checkedAt!: Date;
}
