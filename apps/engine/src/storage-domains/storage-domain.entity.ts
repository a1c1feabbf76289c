import {
  StorageConnection,
  StorageDomain,
  StorageDomainStatus,
  StorageDomainType,
  values,
} from '@kelpie/shared-types';
import { ApiHideProperty, ApiProperty, ApiSchema } from '@nestjs/swagger';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Unique } from 'typeorm';
import { inList, Persisted } from '../common/entities/columns';
import { InventoryColumns, nameCheck } from '../common/entities/inventory-columns';
import { DataCenterEntity } from '../datacenters/datacenter.entity';
import { StorageConnectionDto } from './storage-domain.dto';

@ApiSchema({ name: 'StorageDomain' })
@Entity('storage_domain')
@Unique('uq_storage_domain_datacenter_name', ['datacenterId', 'name'])
@Index('ix_storage_domain_name', ['name'])
@Index('ix_storage_domain_type', ['type'])
@Index('ix_storage_domain_status', ['status'])
@Index('ix_storage_domain_created_at', ['createdAt'])
@Check('ck_storage_domain_name', nameCheck())
@Check('ck_storage_domain_type', inList('type', values(StorageDomainType)))
@Check('ck_storage_domain_status', inList('status', values(StorageDomainStatus)))
export class StorageDomainEntity
  extends InventoryColumns
  implements Persisted<StorageDomain, 'createdAt' | 'updatedAt'>
{
  @ApiProperty({ format: 'uuid' })
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_storage_domain' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  @Column('uuid')
  datacenterId!: string;

  @ApiHideProperty()
  @ManyToOne(() => DataCenterEntity, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'datacenter_id', foreignKeyConstraintName: 'fk_storage_domain_datacenter' })
  datacenter?: DataCenterEntity;

  @ApiProperty({ enum: values(StorageDomainType) })
  @Column({ type: 'varchar', length: 16 })
  type!: StorageDomainType;

  @ApiProperty({ type: StorageConnectionDto })
  @Column({ type: 'jsonb', default: () => "'{}'" })
  connection!: StorageConnection;

  @ApiProperty({ example: '/var/lib/kelpie/images' })
  @Column({ type: 'varchar', length: 1024 })
  path!: string;

  @ApiProperty({ enum: values(StorageDomainStatus) })
  @Column({ type: 'varchar', length: 16, default: StorageDomainStatus.Unknown })
  status!: StorageDomainStatus;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Why it is degraded: the failing hosts and why.',
  })
  @Column({ type: 'varchar', length: 2000, nullable: true })
  statusReason!: string | null;
}
