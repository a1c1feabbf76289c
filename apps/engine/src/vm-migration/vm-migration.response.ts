import {
  EffectiveMigrationPolicy,
  MigrationProgress,
  MigrationStatus,
  MigrationTaskResult,
  VmMigration,
  values,
} from '@kelpie/shared-types';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { isoOrNull } from '../common/http/iso-or-null';
import type { VmMigrationEntity } from './vm-migration.entity';

@ApiSchema({ name: 'VmMigration' })
export class VmMigrationResponse implements VmMigration {
  @ApiProperty({ format: 'uuid', description: 'Also the id of the vm.migrate task.' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  vmId!: string;

  @ApiProperty({ format: 'uuid' })
  sourceHostId!: string;

  @ApiProperty({ format: 'uuid' })
  targetHostId!: string;

  @ApiProperty({ enum: values(MigrationStatus) })
  status!: MigrationStatus;

  @ApiProperty({ type: Object })
  policy!: EffectiveMigrationPolicy;

  @ApiProperty()
  targetReason!: string;

  @ApiProperty({ type: Object, nullable: true, description: 'Latest domjobinfo sample of the source.' })
  progress!: MigrationProgress | null;

  @ApiProperty()
  progressSamples!: number;

  @ApiProperty({ type: Object, nullable: true })
  result!: MigrationTaskResult | null;

  @ApiProperty({ type: String, nullable: true })
  error!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  targetRunningAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  sourceGoneAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  finishedAt!: string | null;
}

export function mapVmMigration(m: VmMigrationEntity): VmMigrationResponse {
  return {
    id: m.id,
    vmId: m.vmId,
    sourceHostId: m.sourceHostId,
    targetHostId: m.targetHostId,
    status: m.status,
    policy: m.policy,
    targetReason: m.targetReason,
    progress: m.progress,
    progressSamples: m.progressSamples,
    result: m.result,
    error: m.error,
    targetRunningAt: isoOrNull(m.targetRunningAt),
    sourceGoneAt: isoOrNull(m.sourceGoneAt),
    createdAt: m.createdAt.toISOString(),
    finishedAt: isoOrNull(m.finishedAt),
  };
}
