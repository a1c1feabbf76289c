import {
  MigrateVmRequest,
  MigrationPostcopyMode,
  MigrationStorageMode,
  MigrationTargetOption,
  MigrationTargets,
} from '@kelpie/shared-types';
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsUUID, Max, Min, ValidateIf } from 'class-validator';
import { ListQueryDto } from '../common/list/list-query';
import { toBoolean } from '../common/validation/validators';

/** `POST /vms/{id}/migrate`: every field optional; policy fields override the cluster's migrationPolicy. */
export class MigrateVmDto implements MigrateVmRequest {
  @ApiPropertyOptional({ format: 'uuid', description: 'Omitted: the scheduler picks a host.' })
  @IsOptional()
  @IsUUID('all')
  targetHostId?: string;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 1, maximum: 100000 })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsInt()
  @Min(1)
  @Max(100000)
  maxBandwidthMiBps?: number | null;

  @ApiPropertyOptional({ minimum: 10, maximum: 600000 })
  @IsOptional()
  @IsInt()
  @Min(10)
  @Max(600000)
  maxDowntimeMs?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  autoConverge?: boolean;

  @ApiPropertyOptional({ enum: MigrationPostcopyMode.options })
  @IsOptional()
  @IsIn(MigrationPostcopyMode.options)
  postcopy?: MigrationPostcopyMode;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  compressed?: boolean;

  @ApiPropertyOptional({ enum: MigrationStorageMode.options })
  @IsOptional()
  @IsIn(MigrationStorageMode.options)
  storage?: MigrationStorageMode;

  @ApiPropertyOptional({
    minimum: 10,
    maximum: 86400,
    description: 'Time limit per GiB of memory (+ copied disks).',
  })
  @IsOptional()
  @IsInt()
  @Min(10)
  @Max(86400)
  maxTimePerGiBSeconds?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 3600 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3600)
  abortOnNoProgressSeconds?: number;

  @ApiPropertyOptional({ description: 'Migrate although a disk cache mode is not none/directsync.' })
  @IsOptional()
  @IsBoolean()
  allowUnsafeCache?: boolean;
}

export class MigrationListQuery extends ListQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  vmId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Source or target host.' })
  @IsOptional()
  @IsUUID('all')
  hostId?: string;

  @ApiPropertyOptional({ enum: ['running', 'succeeded', 'failed', 'cancelled'] })
  @IsOptional()
  @IsIn(['running', 'succeeded', 'failed', 'cancelled'])
  status?: string;
}

/** `GET /vms/{id}/migrate/targets`: the policy fields that change what the pre-checks accept. */
export class MigrationTargetsQuery {
  @ApiPropertyOptional({ enum: MigrationStorageMode.options })
  @IsOptional()
  @IsIn(MigrationStorageMode.options)
  storage?: MigrationStorageMode;

  @ApiPropertyOptional({ description: 'Accept disks whose cache mode is not none/directsync.' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  allowUnsafeCache?: boolean;
}

@ApiSchema({ name: 'MigrationTargetOption' })
class MigrationTargetOptionDoc implements MigrationTargetOption {
  @ApiProperty({ format: 'uuid' }) hostId!: string;
  @ApiProperty() hostName!: string;
  @ApiProperty() hostStatus!: string;
  @ApiProperty({ description: 'Every pre-check passed.' }) eligible!: boolean;
  @ApiProperty({ type: [String], description: 'Why not (empty when eligible).' }) problems!: string[];
  @ApiProperty({ type: Number, nullable: true }) freeMemoryMiB!: number | null;
  @ApiProperty({ description: "The scheduler's choice when no target is given." }) recommended!: boolean;
}

@ApiSchema({ name: 'MigrationTargets' })
export class MigrationTargetsDoc implements MigrationTargets {
  @ApiProperty({ format: 'uuid' }) vmId!: string;
  @ApiProperty() sourceHostId!: string;
  @ApiProperty({ type: [String] }) vmProblems!: string[];
  @ApiProperty({ type: [MigrationTargetOptionDoc] }) targets!: MigrationTargetOption[];
  @ApiProperty() recommendation!: string;
}
