import { Snapshot, SnapshotType, values } from '@kelpie/shared-types';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { SnapshotEntity } from './snapshot.entity';

@ApiSchema({ name: 'Snapshot' })
export class SnapshotResponse implements Snapshot {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  vmId!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  parentId!: string | null;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty({ enum: values(SnapshotType) })
  type!: SnapshotType;

  @ApiProperty()
  withMemory!: boolean;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: string;
}

export function mapSnapshot(e: SnapshotEntity): SnapshotResponse {
  return {
    id: e.id,
    vmId: e.vmId,
    parentId: e.parentId,
    name: e.name,
    description: e.description,
    type: e.type,
    withMemory: e.withMemory,
    createdAt: e.createdAt.toISOString(),
  };
}
