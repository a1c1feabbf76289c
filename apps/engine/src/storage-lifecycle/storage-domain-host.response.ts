import { StorageDomainHostStatus } from '@kelpie/shared-types';
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { POOL_HOST_STATUSES } from './storage-domain-host.entity';
import type { StorageDomainHostView } from './storage-lifecycle.repository';

/** How one host last saw one storage domain's pool (its agent's check or the engine's activate). */
@ApiSchema({ name: 'StorageDomainHostStatus' })
export class StorageDomainHostStatusResponse implements StorageDomainHostStatus {
  @ApiProperty({ format: 'uuid' })
  storageDomainId!: string;

  @ApiProperty({ format: 'uuid' })
  hostId!: string;

  @ApiProperty()
  hostName!: string;

  @ApiProperty({ enum: POOL_HOST_STATUSES })
  status!: 'active' | 'failed';

  @ApiPropertyOptional({ type: Number, nullable: true })
  capacityBytes!: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true })
  availableBytes!: number | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  error!: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  checkedAt!: string;
}

export function mapStorageDomainHostStatus(v: StorageDomainHostView): StorageDomainHostStatusResponse {
  return {
    storageDomainId: v.storageDomainId,
    hostId: v.hostId,
    hostName: v.hostName,
    status: v.status,
    capacityBytes: v.capacityBytes,
    availableBytes: v.availableBytes,
    error: v.error,
    checkedAt: v.checkedAt.toISOString(),
  };
}
