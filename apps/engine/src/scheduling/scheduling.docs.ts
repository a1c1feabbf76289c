import { SchedulingFilter, SchedulingPolicy, values } from '@kelpie/shared-types';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';

@ApiSchema({ name: 'SchedulingScore' })
export class SchedulingScoreDoc {
  @ApiProperty() weight!: string;
  @ApiProperty() factor!: number;
  @ApiProperty({ minimum: 0, maximum: 100 }) score!: number;
  @ApiProperty() why!: string;
}

@ApiSchema({ name: 'SchedulingRefusal' })
export class SchedulingRefusalDoc {
  @ApiProperty({ enum: values(SchedulingFilter) }) filter!: string;
  @ApiProperty() reason!: string;
}

@ApiSchema({ name: 'HostSchedulingVerdict' })
export class HostSchedulingVerdictDoc {
  @ApiProperty({ format: 'uuid' }) hostId!: string;
  @ApiProperty() hostName!: string;
  @ApiProperty({ type: SchedulingRefusalDoc, nullable: true }) filteredBy!: SchedulingRefusalDoc | null;
  @ApiProperty({ type: [SchedulingScoreDoc] }) scores!: SchedulingScoreDoc[];
  @ApiProperty() total!: number;
  @ApiProperty() chosen!: boolean;
}

@ApiSchema({ name: 'SchedulingDecision' })
export class SchedulingDecisionDoc {
  @ApiProperty({ format: 'uuid' }) vmId!: string;
  @ApiProperty({ enum: values(SchedulingPolicy) }) policy!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) hostId!: string | null;
  @ApiProperty({ type: String, nullable: true }) hostName!: string | null;
  @ApiProperty() summary!: string;
  @ApiProperty({ type: [HostSchedulingVerdictDoc] }) hosts!: HostSchedulingVerdictDoc[];
}

@ApiSchema({ name: 'AffinityViolation' })
export class AffinityViolationDoc {
  @ApiProperty({ format: 'uuid' }) groupId!: string;
  @ApiProperty() groupName!: string;
  @ApiProperty() enforcing!: boolean;
  @ApiProperty({ format: 'uuid' }) vmId!: string;
  @ApiProperty() vmName!: string;
  @ApiProperty({ format: 'uuid' }) hostId!: string;
  @ApiProperty() hostName!: string;
  @ApiProperty() reason!: string;
}
