import { Disk, DiskBus, DiskCache, DiskFormat, values } from '@kelpie/shared-types';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { isoOrNull } from '../common/http/iso-or-null';
import { InventoryResponse, mapInventoryColumns } from '../crud/inventory.response';
import { DISK_SIZE_MAX, DISK_SIZE_MIN, type DiskEntity } from './disk.entity';

@ApiSchema({ name: 'Disk' })
export class DiskResponse extends InventoryResponse implements Disk {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  storageDomainId!: string;

  @ApiProperty({ description: 'Volume path on the storage domain, chosen by the engine.' })
  volumePath!: string;

  @ApiProperty({ enum: values(DiskFormat) })
  format!: DiskFormat;

  @ApiProperty({ minimum: DISK_SIZE_MIN, maximum: DISK_SIZE_MAX })
  virtualSizeBytes!: number;

  @ApiProperty({ minimum: 0 })
  allocationBytes!: number;

  @ApiProperty({ enum: values(DiskBus) })
  bus!: DiskBus;

  @ApiProperty({ enum: values(DiskCache) })
  cache!: DiskCache;

  @ApiProperty()
  bootable!: boolean;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  vmId!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'vda' })
  targetDev!: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description:
      'When the volume was first created on storage. A provisioned disk whose volume is missing is never re-created empty: starting its VM fails instead.',
  })
  provisionedAt!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'The image the VM writes to when it is not volumePath: the overlay an external snapshot put on top of the volume (null: volumePath itself). Set by external snapshots, cleared when they are merged; a domain defined again uses it, so no write since the snapshot is lost.',
  })
  activeImagePath!: string | null;
}

export function mapDisk(e: DiskEntity): DiskResponse {
  return {
    ...mapInventoryColumns(e),
    id: e.id,
    storageDomainId: e.storageDomainId,
    volumePath: e.volumePath,
    format: e.format,
    virtualSizeBytes: e.virtualSizeBytes,
    allocationBytes: e.allocationBytes,
    bus: e.bus,
    cache: e.cache,
    bootable: e.bootable,
    vmId: e.vmId,
    targetDev: e.targetDev,
    provisionedAt: isoOrNull(e.provisionedAt),
    activeImagePath: e.activeImagePath,
  };
}
