import type { FleetStats, FleetStatsSample, HostStatsSample, VmStatsSample } from '@kelpie/shared-types';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

const at = { type: String, format: 'date-time' } as const;

/** CPU and memory at one time: a host's sample, or a fleet bucket's. */
class CpuMemorySample {
  @ApiProperty(at)
  at!: string;

  @ApiProperty()
  cpuPercent!: number;

  @ApiProperty()
  memTotalKiB!: number;

  @ApiProperty()
  memFreeKiB!: number;
}

export class HostStatsSampleResponse extends CpuMemorySample implements HostStatsSample {
  @ApiPropertyOptional()
  ksmSharedPages?: number;
}

/** Byte counters are summed over the VM's devices. */
export class VmStatsSampleResponse implements VmStatsSample {
  @ApiProperty(at)
  at!: string;

  @ApiPropertyOptional()
  cpuPercent?: number;

  @ApiProperty()
  cpuTimeNs!: number;

  @ApiPropertyOptional()
  balloonKiB?: number;

  @ApiPropertyOptional()
  rssKiB?: number;

  @ApiProperty()
  blockRdBytes!: number;

  @ApiProperty()
  blockWrBytes!: number;

  @ApiProperty()
  netRxBytes!: number;

  @ApiProperty()
  netTxBytes!: number;
}

/** `at` is the start of the bucket. */
export class FleetStatsSampleResponse extends CpuMemorySample implements FleetStatsSample {
  @ApiProperty({ description: 'Hosts with a sample in this bucket.' })
  hosts!: number;
}

export class FleetStatsResponse implements FleetStats {
  @ApiProperty({ description: 'Hosts that are Up now (the ones whose histories are read).' })
  hosts!: number;

  @ApiProperty()
  bucketSeconds!: number;

  @ApiProperty({ type: FleetStatsSampleResponse, isArray: true })
  samples!: FleetStatsSampleResponse[];
}
