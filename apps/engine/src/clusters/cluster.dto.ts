import { SchedulingPolicy, SwitchType, values } from '@kelpie/shared-types';
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
}

export class UpdateClusterDto extends PartialType(OmitType(CreateClusterDto, ['datacenterId'] as const)) {}

export class ClusterListQuery extends ListQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  datacenterId?: string;
}
