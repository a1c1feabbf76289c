import { MacPool } from '@kelpie/shared-types';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { poolSize } from './mac-allocator';
import { MacRangeDto } from './mac-pool.dto';
import type { MacPoolEntity } from './mac-pool.entity';

@ApiSchema({ name: 'MacPool' })
export class MacPoolResponse implements MacPool {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  datacenterId!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ type: [MacRangeDto] })
  ranges!: MacRangeDto[];

  @ApiProperty({ description: 'Addresses the ranges hold.' })
  size!: number;

  @ApiProperty({ description: 'Addresses of the ranges NICs use.' })
  used!: number;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt!: string;
}

export function mapMacPool(e: MacPoolEntity, used: number): MacPoolResponse {
  return {
    id: e.id,
    datacenterId: e.datacenterId,
    name: e.name,
    ranges: e.ranges.map((r) => ({ from: r.from, to: r.to })),
    size: poolSize(e.ranges),
    used,
    createdAt: e.createdAt.toISOString(),
    updatedAt: e.updatedAt.toISOString(),
  };
}
