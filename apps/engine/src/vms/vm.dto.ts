import { BootDevice, VmStatus, values } from '@kelpie/shared-types';
import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { ListQueryDto } from '../common/list/list-query';
import { IsDescription, IsName, toBoolean } from '../common/validation/validators';
import {
  HA_PRIORITY_DEFAULT,
  HA_PRIORITY_MAX,
  HA_PRIORITY_MIN,
  MEMORY_MIB_MAX,
  MEMORY_MIB_MIN,
  VCPUS_MAX,
} from './vm.entity';
import { CreateVmDiskDto, CreateVmNicDto, VmBootDto } from './vm-devices.dto';

export class CreateVmDto {
  @IsName()
  name!: string;

  @IsOptional()
  @IsDescription()
  description?: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID('all')
  clusterId!: string;

  @ApiPropertyOptional({ minimum: 1, maximum: VCPUS_MAX, default: 1 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(VCPUS_MAX)
  vcpus?: number;

  @ApiPropertyOptional({ minimum: MEMORY_MIB_MIN, maximum: MEMORY_MIB_MAX, default: 1024 })
  @IsOptional()
  @IsInt()
  @Min(MEMORY_MIB_MIN)
  @Max(MEMORY_MIB_MAX)
  memoryMib?: number;

  @ApiPropertyOptional({
    minimum: MEMORY_MIB_MIN,
    maximum: MEMORY_MIB_MAX,
    description: 'Default: memoryMib.',
  })
  @IsOptional()
  @IsInt()
  @Min(MEMORY_MIB_MIN)
  @Max(MEMORY_MIB_MAX)
  maxMemoryMib?: number;

  @ApiPropertyOptional({ example: 'linux', default: 'other' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9_.-]{1,32}$/, {
    message: 'osType must be 1-32 of lowercase letters, digits, "_", "." or "-"',
  })
  osType?: string;

  @ApiPropertyOptional({ enum: values(BootDevice), isArray: true, default: ['hd'] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(3)
  @ArrayUnique()
  @IsIn(values(BootDevice), { each: true })
  bootOrder?: BootDevice[];

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  graphicsVnc?: boolean;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  isTemplate?: boolean;

  @ApiPropertyOptional({ format: 'uuid', description: 'Template this VM is made from (same datacenter).' })
  @IsOptional()
  @IsUUID('all')
  sourceTemplateId?: string;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  highlyAvailable?: boolean;

  @ApiPropertyOptional({
    minimum: HA_PRIORITY_MIN,
    maximum: HA_PRIORITY_MAX,
    default: HA_PRIORITY_DEFAULT,
    description: 'HA restart order after a host is fenced: higher first.',
  })
  @IsOptional()
  @IsInt()
  @Min(HA_PRIORITY_MIN)
  @Max(HA_PRIORITY_MAX)
  haPriority?: number;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Place the VM on this host (validated); omitted: the scheduler picks one. Provisions.',
  })
  @IsOptional()
  @IsUUID('all')
  hostId?: string;

  @ApiPropertyOptional({
    type: [CreateVmDiskDto],
    description: 'New disks (volumes are created). Provisions.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(16)
  @ValidateNested({ each: true })
  @Type(() => CreateVmDiskDto)
  disks?: CreateVmDiskDto[];

  @ApiPropertyOptional({ type: [CreateVmNicDto], description: 'NICs on logical networks. Provisions.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(16)
  @ValidateNested({ each: true })
  @Type(() => CreateVmNicDto)
  nics?: CreateVmNicDto[];

  @ApiPropertyOptional({ type: VmBootDto, description: 'Default: {kind: "disk"}. Provisions.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => VmBootDto)
  boot?: VmBootDto;
}

export class UpdateVmDto extends PartialType(
  OmitType(CreateVmDto, ['sourceTemplateId', 'isTemplate', 'hostId', 'disks', 'nics', 'boot'] as const),
) {}

export class VmListQuery extends ListQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  clusterId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  datacenterId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  hostId?: string;

  @ApiPropertyOptional({ enum: values(VmStatus) })
  @IsOptional()
  @IsIn(values(VmStatus))
  status?: VmStatus;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  isTemplate?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  external?: boolean;
}
