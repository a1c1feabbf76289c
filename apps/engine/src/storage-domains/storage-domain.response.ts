import {
  StorageConnection,
  StorageDomain,
  StorageDomainStatus,
  StorageDomainType,
  values,
} from '@kelpie/shared-types';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { InventoryResponse, mapInventoryColumns } from '../crud/inventory.response';
import { StorageConnectionDto } from './storage-domain.dto';
import type { StorageDomainEntity } from './storage-domain.entity';

@ApiSchema({ name: 'StorageDomain' })
export class StorageDomainResponse extends InventoryResponse implements StorageDomain {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  datacenterId!: string;

  @ApiProperty({ enum: values(StorageDomainType) })
  type!: StorageDomainType;

  @ApiProperty({ type: StorageConnectionDto })
  connection!: StorageConnection;

  @ApiProperty({ example: '/var/lib/kelpie/images' })
  path!: string;

  @ApiProperty({ enum: values(StorageDomainStatus) })
  status!: StorageDomainStatus;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Why it is degraded: the failing hosts and why.',
  })
  statusReason!: string | null;
}

export function mapStorageDomain(e: StorageDomainEntity): StorageDomainResponse {
  return {
    ...mapInventoryColumns(e),
    id: e.id,
    datacenterId: e.datacenterId,
    type: e.type,
    connection: e.connection,
    path: e.path,
    status: e.status,
    statusReason: e.statusReason,
  };
}
