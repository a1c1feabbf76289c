import {
  StorageConnection,
  StorageDomain,
  StorageDomainStatus,
  StorageDomainType,
  values,
} from '@kelpie/shared-types';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, Unique } from 'typeorm';
import { inList, Persisted } from '../common/entities/columns';
import { InventoryColumns, nameCheck } from '../common/entities/inventory-columns';
import { DataCenterEntity } from '../datacenters/datacenter.entity';

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
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_storage_domain' })
  id!: string;

  @Column('uuid')
  datacenterId!: string;

  @ManyToOne(() => DataCenterEntity, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn({ name: 'datacenter_id', foreignKeyConstraintName: 'fk_storage_domain_datacenter' })
  datacenter?: DataCenterEntity;

  @Column({ type: 'varchar', length: 16 })
  type!: StorageDomainType;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  connection!: StorageConnection;

  @Column({ type: 'varchar', length: 1024 })
  path!: string;

  @Column({ type: 'varchar', length: 16, default: StorageDomainStatus.Unknown })
  status!: StorageDomainStatus;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  statusReason!: string | null;
}
