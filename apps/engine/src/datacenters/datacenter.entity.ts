import { DataCenter } from '@kelpie/shared-types';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { Check, Entity, Index, PrimaryColumn, Unique } from 'typeorm';
import { Persisted } from '../common/entities/columns';
import { InventoryColumns, nameCheck } from '../common/entities/inventory-columns';

@ApiSchema({ name: 'DataCenter' })
@Entity('datacenter')
@Unique('uq_datacenter_name', ['name'])
@Index('ix_datacenter_created_at', ['createdAt'])
@Check('ck_datacenter_name', nameCheck())
export class DataCenterEntity
  extends InventoryColumns
  implements Persisted<DataCenter, 'createdAt' | 'updatedAt'>
{
  @ApiProperty({ format: 'uuid' })
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'pk_datacenter' })
  id!: string;
}
