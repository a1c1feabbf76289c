import { DataCenter } from '@kelpie/shared-types';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { InventoryResponse, mapInventoryColumns } from '../crud/inventory.response';
import type { DataCenterEntity } from './datacenter.entity';

@ApiSchema({ name: 'DataCenter' })
export class DataCenterResponse extends InventoryResponse implements DataCenter {
  @ApiProperty({ format: 'uuid' })
  id!: string;
}

export function mapDataCenter(d: DataCenterEntity): DataCenterResponse {
  return { ...mapInventoryColumns(d), id: d.id };
}
