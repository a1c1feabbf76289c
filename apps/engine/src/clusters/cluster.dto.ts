import { applyDecorators } from '@nestjs/common';
import { Firmware, MachineType, SchedulingPolicy, SwitchType, values } from '@kelpie/shared-types';
import { ApiProperty, ApiPropertyOptional, ApiSchema, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { ListQueryDto } from '../common/list/list-query';
import { IsDescription, IsName } from '../common/validation/validators';

/** Partial migration policy; missing fields keep their current (or default) value. */
export class MigrationPolicyDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  autoConverge?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  postCopy?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  compressed?: boolean;

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
}

/** Response form of the migration policy (every field present). */
@ApiSchema({ name: 'MigrationPolicy' })
export class MigrationPolicyDoc {
  @ApiProperty() autoConverge!: boolean;
  @ApiProperty() postCopy!: boolean;
  @ApiProperty() compressed!: boolean;
  @ApiProperty({ type: Number, nullable: true }) maxBandwidthMiBps!: number | null;
  @ApiProperty() maxDowntimeMs!: number;
}

/** Percent fields are whole numbers 1..100. */
const Percent = (description: string) =>
  applyDecorators(
    ApiPropertyOptional({ minimum: 1, maximum: 100, description }),
    IsOptional(),
    IsInt(),
    Min(1),
    Max(100),
  );

export class EvenlyThresholdsDto {
  @Percent('1-minute load per CPU above which a host is overloaded')
  cpuHighPercent?: number;

  @Percent('a host takes VMs only while its load per CPU is below this')
  cpuLowPercent?: number;

  @Percent('committed memory share above which a host is overloaded')
  memoryHighPercent?: number;

  @Percent('a host takes VMs only while its committed memory share is below this')
  memoryLowPercent?: number;
}

export class PowerSavingThresholdsDto {
  @Percent('a host below this (memory and CPU) is emptied so it can be powered down')
  lowUtilizationPercent?: number;

  @Percent('VMs moved off an under-used host never push a host above this')
  highUtilizationPercent?: number;
}

export class VmCountThresholdsDto {
  @ApiPropertyOptional({
    minimum: 1,
    maximum: 1000,
    description: 'most running VMs one host may have above another',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  maxSpread?: number;
}

/** Partial thresholds; missing fields keep their current (or default) value. */
export class SchedulingThresholdsDto {
  @ApiPropertyOptional({ type: EvenlyThresholdsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => EvenlyThresholdsDto)
  evenly?: EvenlyThresholdsDto;

  @ApiPropertyOptional({ type: PowerSavingThresholdsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => PowerSavingThresholdsDto)
  powerSaving?: PowerSavingThresholdsDto;

  @ApiPropertyOptional({ type: VmCountThresholdsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => VmCountThresholdsDto)
  vmCount?: VmCountThresholdsDto;
}

@ApiSchema({ name: 'EvenlyThresholds' })
class EvenlyThresholdsDoc {
  @ApiProperty() cpuHighPercent!: number;
  @ApiProperty() cpuLowPercent!: number;
  @ApiProperty() memoryHighPercent!: number;
  @ApiProperty() memoryLowPercent!: number;
}

@ApiSchema({ name: 'PowerSavingThresholds' })
class PowerSavingThresholdsDoc {
  @ApiProperty() lowUtilizationPercent!: number;
  @ApiProperty() highUtilizationPercent!: number;
}

@ApiSchema({ name: 'VmCountThresholds' })
class VmCountThresholdsDoc {
  @ApiProperty() maxSpread!: number;
}

/** Response form of the thresholds (every field present). */
@ApiSchema({ name: 'SchedulingThresholds' })
export class SchedulingThresholdsDoc {
  @ApiProperty({ type: EvenlyThresholdsDoc }) evenly!: EvenlyThresholdsDoc;
  @ApiProperty({ type: PowerSavingThresholdsDoc }) powerSaving!: PowerSavingThresholdsDoc;
  @ApiProperty({ type: VmCountThresholdsDoc }) vmCount!: VmCountThresholdsDoc;
}

export class CreateClusterDto {
  @IsName()
  name!: string;

  @IsOptional()
  @IsDescription()
  description?: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID('all')
  datacenterId!: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'Skylake-Client-IBRS' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @Matches(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'cpuModel must be a libvirt CPU model name' })
  cpuModel?: string | null;

  @ApiPropertyOptional({
    enum: values(MachineType),
    default: MachineType.Pc,
    description: 'Machine type of new VMs that do not name one (existing VMs keep theirs).',
  })
  @IsOptional()
  @IsIn(values(MachineType))
  defaultMachineType?: MachineType;

  @ApiPropertyOptional({
    enum: values(Firmware),
    default: Firmware.Bios,
    description: 'Firmware of new VMs that do not name one (existing VMs keep theirs).',
  })
  @IsOptional()
  @IsIn(values(Firmware))
  defaultFirmware?: Firmware;

  @ApiPropertyOptional({ example: '1' })
  @IsOptional()
  @IsString()
  @Matches(/^[0-9]{1,4}(\.[0-9]{1,4})?$/, { message: 'compatibilityLevel must look like "1" or "1.2"' })
  compatibilityLevel?: string;

  @ApiPropertyOptional({ enum: values(SchedulingPolicy), default: SchedulingPolicy.EvenlyDistributed })
  @IsOptional()
  @IsIn(values(SchedulingPolicy))
  schedulingPolicy?: SchedulingPolicy;

  @ApiPropertyOptional({
    default: true,
    description:
      'Encrypt live migrations (memory and disks) with TLS between the hosts (engine-issued certificates). Turn off only on a trusted migration network: it costs CPU and time.',
  })
  @IsOptional()
  @IsBoolean()
  migrationEncrypted?: boolean;

  @ApiPropertyOptional({ type: MigrationPolicyDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => MigrationPolicyDto)
  migrationPolicy?: MigrationPolicyDto;

  @ApiPropertyOptional({
    enum: values(SwitchType),
    default: SwitchType.LinuxBridge,
    description: 'How hosts carry the networks: one Linux bridge per network, or Open vSwitch.',
  })
  @IsOptional()
  @IsIn(values(SwitchType))
  switchType?: SwitchType;

  @ApiPropertyOptional({
    default: false,
    description:
      "Periodic balancing: the engine live-migrates running VMs, a batch at a time, to bring the cluster within its policy's thresholds.",
  })
  @IsOptional()
  @IsBoolean()
  balancingEnabled?: boolean;

  @ApiPropertyOptional({ type: SchedulingThresholdsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => SchedulingThresholdsDto)
  schedulingThresholds?: SchedulingThresholdsDto;
}

export class UpdateClusterDto extends PartialType(OmitType(CreateClusterDto, ['datacenterId'] as const)) {}

export class ClusterListQuery extends ListQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  datacenterId?: string;
}
