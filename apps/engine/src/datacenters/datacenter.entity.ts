import { DataCenter } from '@kelpie/shared-types';
import { Check, Entity, Index, PrimaryColumn, Unique } from 'typeorm';
import { Persisted } from '../common/entities/columns';
import { InventoryColumns, nameCheck } from '../common/entities/inventory-columns';

@Entity('datacenter')
@Unique('uq_datacenter_name', ['name'])
@Index('ix_datacenter_created_at', ['createdAt'])
@Check('ck_datacenter_name', nameCheck())
export class DataCenterEntity
  extends InventoryColumns
  implements Persisted<DataCenter, 'createdAt' | 'updatedAt'>
{
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_datacenter' })
  id!: string;
}
