import { SchedulingPolicy, values } from '@kelpie/shared-types';
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

@ApiSchema({ name: 'BalanceMove' })
export class BalanceMoveDoc {
  @ApiProperty({ format: 'uuid' }) vmId!: string;
  @ApiProperty() vmName!: string;
  @ApiProperty({ format: 'uuid' }) fromHostId!: string;
  @ApiProperty() fromHostName!: string;
  @ApiProperty({ format: 'uuid' }) toHostId!: string;
  @ApiProperty() toHostName!: string;
  @ApiProperty({ description: 'The threshold broken, then why this host (the scheduler summary)' })
  reason!: string;
}

@ApiSchema({ name: 'BalanceHostState' })
export class BalanceHostStateDoc {
  @ApiProperty({ format: 'uuid' }) hostId!: string;
  @ApiProperty() hostName!: string;
  @ApiProperty() runningVms!: number;
  @ApiProperty({ description: 'Committed memory (VMs defined there) in percent of the host memory' })
  memoryPercent!: number;
  @ApiProperty({ type: Number, nullable: true, description: '1-minute load per CPU in percent' })
  cpuPercent!: number | null;
  @ApiProperty({ enum: ['over', 'under', 'ok', 'excluded'] }) state!: 'over' | 'under' | 'ok' | 'excluded';
  @ApiPropertyOptional({
    description:
      'Why an excluded host is left alone: not up, or involved in a maintenance (being evacuated, or still ' +
      'to be maintained by a running rolling maintenance)',
  })
  excludedBecause?: string;
}

@ApiSchema({ name: 'PowerDownCandidate' })
export class PowerDownCandidateDoc {
  @ApiProperty({ format: 'uuid' }) hostId!: string;
  @ApiProperty() hostName!: string;
}

@ApiSchema({ name: 'BalancePlan' })
export class BalancePlanDoc {
  @ApiProperty({ format: 'uuid' }) clusterId!: string;
  @ApiProperty({ enum: values(SchedulingPolicy) }) policy!: SchedulingPolicy;
  @ApiProperty() balancingEnabled!: boolean;
  @ApiProperty({ description: "Every host is within the policy's thresholds" }) withinThresholds!: boolean;
  @ApiProperty() summary!: string;
  @ApiProperty({ type: [BalanceHostStateDoc] }) hosts!: BalanceHostStateDoc[];
  @ApiProperty({ type: [BalanceMoveDoc], description: 'The next batch, in the order it starts' })
  moves!: BalanceMoveDoc[];
  @ApiProperty({ type: [String], description: 'VMs left alone: they migrated within the cool-down' })
  coolingDown!: string[];
  @ApiProperty({
    type: [PowerDownCandidateDoc],
    description: 'Power saving: hosts without running VMs after the moves (the first host stays on)',
  })
  powerDownCandidates!: PowerDownCandidateDoc[];
}
